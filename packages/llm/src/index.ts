// The kind package: spec types, the tool() helper and the base every adapter is built on.
// Vendor adapters live in subpaths (`@patchbay/llm/openai`, …) so that importing this
// entry never loads a vendor SDK.
export type {
  CallWarning,
  JsonSchema,
  LanguageModel,
  LanguageModelCapabilities,
  LanguageModelFinishReason,
  LanguageModelImagePart,
  LanguageModelMessage,
  LanguageModelRequest,
  LanguageModelResponseFormat,
  LanguageModelResult,
  LanguageModelStreamPart,
  LanguageModelStreamResult,
  LanguageModelTextPart,
  LanguageModelTool,
  LanguageModelToolCall,
  LanguageModelToolCallPart,
  LanguageModelToolChoice,
  LanguageModelToolResultPart,
  LanguageModelUsage,
} from '@patchbay/core';
export {
  type CallContext,
  LanguageModelAdapter,
  StreamEndedEarly,
  type VendorResult,
} from './shared/language-model-adapter.js';
export { type ToolDefinition, toJsonSchema, tool } from './tool.js';
