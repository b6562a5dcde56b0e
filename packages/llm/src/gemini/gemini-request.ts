import type {
  Content,
  FunctionCallingConfigMode,
  GenerateContentConfig,
  GenerateContentResponse,
  Part,
} from '@google/genai';
import type {
  CallWarning,
  LanguageModelFinishReason,
  LanguageModelMessage,
  LanguageModelRequest,
  LanguageModelUsage,
} from '@patchbay/core';
import { inlineImage } from '../shared/images.js';

function responseObject(output: unknown, isError: boolean | undefined): Record<string, unknown> {
  if (isError) return { error: output };
  // Gemini wants an object; anything else is wrapped.
  return typeof output === 'object' && output !== null && !Array.isArray(output)
    ? (output as Record<string, unknown>)
    : { output };
}

/** System messages become the one `systemInstruction`; the rest become `contents`. */
export function toGeminiContents(messages: LanguageModelMessage[]): {
  system: string | undefined;
  contents: Content[];
} {
  const system: string[] = [];
  const contents: Content[] = [];
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(message.content);
        break;
      case 'user':
        contents.push({
          role: 'user',
          parts:
            typeof message.content === 'string'
              ? [{ text: message.content }]
              : message.content.map((part): Part => {
                  if (part.type === 'text') return { text: part.text };
                  const inline = inlineImage(part);
                  return inline
                    ? { inlineData: inline }
                    : { fileData: { fileUri: part.image as string, mimeType: part.mimeType ?? 'image/jpeg' } };
                }),
        });
        break;
      case 'assistant':
        contents.push({
          role: 'model',
          parts:
            typeof message.content === 'string'
              ? [{ text: message.content }]
              : message.content.map(
                  (part): Part =>
                    part.type === 'text'
                      ? { text: part.text }
                      : {
                          functionCall: {
                            id: part.toolCallId,
                            name: part.toolName,
                            args: (part.input ?? {}) as Record<string, unknown>,
                          },
                        },
                ),
        });
        break;
      case 'tool':
        contents.push({
          role: 'user',
          parts: message.content.map((part) => ({
            functionResponse: {
              id: part.toolCallId,
              name: part.toolName,
              response: responseObject(part.output, part.isError),
            },
          })),
        });
        break;
    }
  }
  return { system: system.length ? system.join('\n\n') : undefined, contents };
}

/**
 * The `config` of a generateContent call. Automatic function calling and continuation are off, whatever
 * `providerOptions.gemini` says: one request per call (retries and follow-ups belong to the router and the caller).
 */
export function toGeminiConfig(
  request: LanguageModelRequest,
  warnings: CallWarning[],
): { contents: Content[]; config: GenerateContentConfig } {
  const { system, contents } = toGeminiContents(request.messages);
  const config: GenerateContentConfig = {};
  if (system) config.systemInstruction = system;
  if (request.tools?.length) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description ? { description: tool.description } : {}),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
  }
  const choice = request.toolChoice;
  if (choice !== undefined && request.tools?.length) {
    config.toolConfig = {
      functionCallingConfig:
        typeof choice === 'string'
          ? { mode: ({ auto: 'AUTO', none: 'NONE', required: 'ANY' } as const)[choice] as FunctionCallingConfigMode }
          : { mode: 'ANY' as FunctionCallingConfigMode, allowedFunctionNames: [choice.toolName] },
    };
  } else if (choice !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      message: 'toolChoice without tools is ignored',
    });
  }
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stopSequences?.length) config.stopSequences = request.stopSequences;
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema) config.responseJsonSchema = request.responseFormat.schema;
  }
  const gemini = request.providerOptions?.gemini;
  Object.assign(config, gemini);
  // Set after the caller's options, so that they cannot be switched back on.
  config.automaticFunctionCalling = { disable: true };
  config.automaticContinuation = false;
  for (const key of ['automaticFunctionCalling', 'automaticContinuation'] as const) {
    if (gemini?.[key] !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: `providerOptions.gemini.${key}`,
        message: `${key} stays off: the adapter makes one request per call`,
      });
    }
  }
  return { contents, config };
}

const contentFilterReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'LANGUAGE',
]);

export function geminiFinishReason(reason: string | undefined, hasToolCalls: boolean): LanguageModelFinishReason {
  if (reason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason && contentFilterReasons.has(reason)) return 'content-filter';
  if (reason === 'MALFORMED_FUNCTION_CALL') return 'error';
  return 'other';
}

/** Gemini bills thinking tokens as output; `promptTokenCount` already includes the cached ones. */
export function geminiUsage(metadata: GenerateContentResponse['usageMetadata']): LanguageModelUsage {
  return {
    inputTokens: metadata?.promptTokenCount ?? 0,
    outputTokens: (metadata?.candidatesTokenCount ?? 0) + (metadata?.thoughtsTokenCount ?? 0),
    cachedInputTokens: metadata?.cachedContentTokenCount ?? 0,
  };
}
