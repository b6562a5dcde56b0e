import type {
  CallWarning,
  LanguageModelFinishReason,
  LanguageModelMessage,
  LanguageModelRequest,
  LanguageModelUsage,
} from '@patchbay/core';
import type OpenAI from 'openai';
import { imageUrl } from './images.js';
import { toolOutputText } from './tool-calls.js';

export type ChatParams = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, 'stream'>;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** How the two Chat Completions dialects (OpenAI itself, compatible servers) differ. */
export interface ChatDialect {
  /** OpenAI renamed `max_tokens`; most compatible servers know only the old name. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Key of `request.providerOptions` passed through verbatim. */
  providerOptionsKey: string;
}

export function toChatMessages(messages: LanguageModelMessage[]): ChatMessage[] {
  const result: ChatMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        result.push({ role: 'system', content: message.content });
        break;
      case 'user':
        result.push({
          role: 'user',
          content:
            typeof message.content === 'string'
              ? message.content
              : message.content.map((part) =>
                  part.type === 'text'
                    ? { type: 'text' as const, text: part.text }
                    : { type: 'image_url' as const, image_url: { url: imageUrl(part) } },
                ),
        });
        break;
      case 'assistant': {
        if (typeof message.content === 'string') {
          result.push({ role: 'assistant', content: message.content });
          break;
        }
        const text = message.content
          .filter((part) => part.type === 'text')
          .map((part) => part.text)
          .join('');
        const calls = message.content.filter((part) => part.type === 'tool-call');
        result.push({
          role: 'assistant',
          content: text || null,
          ...(calls.length
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.toolCallId,
                  type: 'function' as const,
                  function: { name: call.toolName, arguments: JSON.stringify(call.input ?? {}) },
                })),
              }
            : {}),
        });
        break;
      }
      case 'tool':
        for (const part of message.content) {
          result.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutputText(part.output) });
        }
        break;
    }
  }
  return result;
}

/** The Chat Completions body for a request (without `stream`). */
export function toChatParams(
  request: LanguageModelRequest,
  model: string,
  dialect: ChatDialect,
  warnings: CallWarning[],
): ChatParams {
  const params: ChatParams = { model, messages: toChatMessages(request.messages) };
  if (request.tools?.length) {
    params.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }));
  }
  const choice = request.toolChoice;
  if (choice !== undefined) {
    if (!request.tools?.length) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'toolChoice',
        message: 'toolChoice without tools is ignored',
      });
    } else {
      params.tool_choice =
        typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.toolName } };
    }
  }
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.topP !== undefined) params.top_p = request.topP;
  if (request.maxOutputTokens !== undefined) params[dialect.maxTokensField] = request.maxOutputTokens;
  if (request.stopSequences?.length) params.stop = request.stopSequences;
  const format = request.responseFormat;
  if (format?.type === 'json') {
    params.response_format = format.schema
      ? {
          type: 'json_schema',
          json_schema: {
            name: format.name ?? 'response',
            ...(format.description ? { description: format.description } : {}),
            schema: format.schema,
          },
        }
      : { type: 'json_object' };
  }
  Object.assign(params, request.providerOptions?.[dialect.providerOptionsKey]);
  return params;
}

export function chatFinishReason(reason: string | null | undefined): LanguageModelFinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

export function chatUsage(usage: OpenAI.CompletionUsage | null | undefined): LanguageModelUsage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}
