import type Anthropic from '@anthropic-ai/sdk';
import type {
  CallWarning,
  LanguageModelFinishReason,
  LanguageModelImagePart,
  LanguageModelMessage,
  LanguageModelRequest,
  LanguageModelUsage,
} from '@patchbay/core';
import { inlineImage } from '../shared/images.js';
import { toolOutputText } from '../shared/tool-calls.js';

type MessageParams = Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'>;
type MessageParam = Anthropic.MessageParam;

const mediaTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function image(part: LanguageModelImagePart): Anthropic.ImageBlockParam {
  const inline = inlineImage(part);
  if (inline && mediaTypes.has(inline.mimeType)) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: inline.mimeType as 'image/png', data: inline.data },
    };
  }
  return { type: 'image', source: { type: 'url', url: typeof part.image === 'string' ? part.image : '' } };
}

/** Leading system messages become `system`; later ones stay in place as system turns. */
export function toAnthropicMessages(messages: LanguageModelMessage[]): {
  system: string | undefined;
  messages: MessageParam[];
} {
  const system: string[] = [];
  const result: MessageParam[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (result.length === 0) system.push(message.content);
        else result.push({ role: 'system', content: message.content });
        break;
      case 'user':
        result.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : image(part))),
        });
        break;
      case 'assistant':
        result.push({
          role: 'assistant',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text', text: part.text }
                    : { type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} },
                ),
        });
        break;
      case 'tool':
        // Tool results travel in a user turn.
        result.push({
          role: 'user',
          content: message.content.map((part) => ({
            type: 'tool_result' as const,
            tool_use_id: part.toolCallId,
            content: toolOutputText(part.output),
            ...(part.isError ? { is_error: true } : {}),
          })),
        });
        break;
    }
  }
  return { system: system.length ? system.join('\n\n') : undefined, messages: result };
}

/** The Messages API body for a request (without `stream`). */
export function toMessageParams(
  request: LanguageModelRequest,
  model: string,
  defaultMaxTokens: number,
  warnings: CallWarning[],
): MessageParams {
  const { system, messages } = toAnthropicMessages(request.messages);
  const params: MessageParams = {
    model,
    messages,
    max_tokens: request.maxOutputTokens ?? defaultMaxTokens,
    ...(system ? { system } : {}),
  };
  // API version 2026-10-21 rejects sampling parameters outright; dropping them is the useful answer.
  for (const setting of ['temperature', 'topP'] as const) {
    if (request[setting] !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting,
        message: `Anthropic's Messages API no longer accepts ${setting}; it was not sent`,
      });
    }
  }
  if (request.tools?.length) {
    params.tools = request.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.parameters as Anthropic.Tool.InputSchema,
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined && request.tools?.length) {
    params.tool_choice =
      choice === 'auto'
        ? { type: 'auto' }
        : choice === 'none'
          ? { type: 'none' }
          : choice === 'required'
            ? { type: 'any' }
            : { type: 'tool', name: choice.toolName };
  }
  if (request.stopSequences?.length) params.stop_sequences = request.stopSequences;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    if (format.schema) params.output_config = { format: { type: 'json_schema', schema: format.schema } };
    else {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'responseFormat',
        message: 'Anthropic constrains JSON output only with a schema; give responseFormat.schema',
      });
    }
  }
  Object.assign(params, request.providerOptions?.anthropic);
  return params;
}

export function anthropicFinishReason(reason: string | null | undefined): LanguageModelFinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

interface UsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`; ours
 * include them, with the cache reads also in `cachedInputTokens`.
 */
export function anthropicUsage(usage: UsageLike | null | undefined): LanguageModelUsage {
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: cacheRead,
  };
}
