import type { BaseProvider, CallOptions } from './provider.js';

export type LanguageModelTextPart = { type: 'text'; text: string };
export type LanguageModelImagePart = {
  type: 'image';
  /** An https/data URL, or raw bytes with `mimeType`. */
  image: string | Uint8Array;
  mimeType?: string | undefined;
};
export type LanguageModelToolCallPart = {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  /** Parsed JSON arguments. */
  input: unknown;
};
export type LanguageModelToolResultPart = {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  /** JSON-serialisable result; strings are sent verbatim. */
  output: unknown;
  isError?: boolean | undefined;
};

export type LanguageModelMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | Array<LanguageModelTextPart | LanguageModelImagePart> }
  | { role: 'assistant'; content: string | Array<LanguageModelTextPart | LanguageModelToolCallPart> }
  | { role: 'tool'; content: LanguageModelToolResultPart[] };

/** JSON Schema (draft 2020-12 subset vendors accept). */
export type JsonSchema = Record<string, unknown>;

export interface LanguageModelTool {
  name: string;
  description?: string | undefined;
  /**
   * JSON Schema, or any object with a `toJSONSchema()`-able zod schema; adapters
   * receive JSON Schema only (the kind package converts zod before calling).
   */
  parameters: JsonSchema;
}

export type LanguageModelToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };

export type LanguageModelResponseFormat =
  | { type: 'text' }
  | { type: 'json'; schema?: JsonSchema | undefined; name?: string | undefined; description?: string | undefined };

export interface LanguageModelRequest {
  messages: LanguageModelMessage[];
  /** Overrides the provider's configured model for this call. */
  model?: string | undefined;
  tools?: LanguageModelTool[] | undefined;
  toolChoice?: LanguageModelToolChoice | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  maxOutputTokens?: number | undefined;
  stopSequences?: string[] | undefined;
  responseFormat?: LanguageModelResponseFormat | undefined;
  /** Vendor-specific options, keyed by vendor: `{ openai: { user: 'x' } }`. */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

export type LanguageModelFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

export interface LanguageModelUsage {
  /** All input tokens, cached ones included (metering bills the cached part separately). */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the vendor's prompt cache (billed lower). */
  cachedInputTokens: number;
}

export interface LanguageModelToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** A setting the vendor ignored or changed, instead of an error. */
export interface CallWarning {
  type: 'unsupported-setting' | 'other';
  setting?: string | undefined;
  message: string;
}

export interface LanguageModelResult {
  text: string;
  toolCalls: LanguageModelToolCall[];
  finishReason: LanguageModelFinishReason;
  usage: LanguageModelUsage;
  /** Provider id and model that actually served (after routing). */
  provider: string;
  vendor: string;
  model: string;
  warnings: CallWarning[];
  /** The vendor's response id. */
  responseId?: string | undefined;
}

export type LanguageModelStreamPart =
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call-start'; toolCallId: string; toolName: string }
  | { type: 'tool-call-delta'; toolCallId: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCallId: string; toolName: string; input: unknown }
  | { type: 'usage'; usage: LanguageModelUsage }
  | { type: 'finish'; finishReason: LanguageModelFinishReason; usage: LanguageModelUsage };

export interface LanguageModelStreamResult {
  /**
   * Parts in the order the vendor produced them, never buffered. Ends with a
   * `finish` part; a stream that breaks early throws a `stream_cut` PatchbayError.
   */
  stream: AsyncIterable<LanguageModelStreamPart>;
  provider: string;
  vendor: string;
  model: string;
  warnings: CallWarning[];
}

export interface LanguageModelCapabilities {
  streaming: boolean;
  tools: boolean;
  images: boolean;
  jsonOutput: boolean;
}

export interface LanguageModel extends BaseProvider {
  readonly kind: 'llm';
  readonly capabilities: LanguageModelCapabilities;
  generate(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelResult>;
  /** Resolves once the first part is ready, so failover can happen until then. */
  stream(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelStreamResult>;
}
