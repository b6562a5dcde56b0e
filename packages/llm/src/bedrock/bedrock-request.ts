import type {
  ContentBlock,
  ConverseCommandInput,
  Message,
  SystemContentBlock,
  TokenUsage,
  Tool,
  ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';
import type {
  CallWarning,
  LanguageModelFinishReason,
  LanguageModelImagePart,
  LanguageModelRequest,
  LanguageModelUsage,
} from '@patchbay/core';
import { PatchbayError } from '@patchbay/core/adapter';

const imageFormats: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function invalid(field: string, message: string): PatchbayError {
  return new PatchbayError({ code: 'invalid_request', message: `${field}: ${message}`, details: { field } });
}

/** Converse takes image bytes (or S3 locations), not URLs: a `data:` URL is decoded, a remote URL refused. */
function imageBlock(part: LanguageModelImagePart, field: string): ContentBlock {
  let bytes: Uint8Array;
  let mimeType = part.mimeType ?? 'image/png';
  if (typeof part.image === 'string') {
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.image);
    if (!match) throw invalid(field, 'Bedrock takes image bytes or a data: URL, not a remote URL');
    mimeType = match[1] as string;
    bytes = Buffer.from(match[2] as string, 'base64');
  } else {
    bytes = part.image;
  }
  const format = imageFormats[mimeType.toLowerCase()];
  if (!format) throw invalid(field, `Bedrock takes png, jpeg, gif or webp images, not ${mimeType}`);
  return { image: { format, source: { bytes } } };
}

function toolResultContent(output: unknown) {
  if (typeof output === 'string') return [{ text: output }];
  // `json` takes a document; a top-level array or scalar is wrapped so that it stays one.
  return [
    {
      json: (output !== null && typeof output === 'object' && !Array.isArray(output)
        ? output
        : { result: output ?? null }) as never,
    },
  ];
}

/** A message's content as blocks: text parts as text (Converse refuses empty text), the others by `other`. */
function blocks<P extends { type: string }>(
  content: string | Array<{ type: 'text'; text: string } | P>,
  other: (part: P, position: number) => ContentBlock,
): ContentBlock[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  return content.flatMap((part, position): ContentBlock[] => {
    if (part.type !== 'text') return [other(part as P, position)];
    const { text } = part as { text: string };
    return text ? [{ text }] : [];
  });
}

/**
 * The conversation as Converse wants it: system text apart, tool results in
 * user turns, and consecutive turns of one role merged (Converse requires
 * user and assistant to alternate).
 */
export function toConverseMessages(request: LanguageModelRequest): {
  system: SystemContentBlock[];
  messages: Message[];
} {
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlock[]) => {
    if (content.length === 0) return;
    const last = messages.at(-1);
    if (last?.role === role) last.content = [...(last.content ?? []), ...content];
    else messages.push({ role, content });
  };
  for (const [index, message] of request.messages.entries()) {
    switch (message.role) {
      case 'system':
        if (message.content) system.push({ text: message.content });
        break;
      case 'user':
        push(
          'user',
          blocks(message.content, (part, position) =>
            imageBlock(part, `messages[${index}].content[${position}].image`),
          ),
        );
        break;
      case 'assistant':
        push(
          'assistant',
          blocks(message.content, (part) => ({
            toolUse: { toolUseId: part.toolCallId, name: part.toolName, input: (part.input ?? {}) as never },
          })),
        );
        break;
      case 'tool':
        push(
          'user',
          message.content.map((part) => ({
            toolResult: { toolUseId: part.toolCallId, content: toolResultContent(part.output) },
          })),
        );
        break;
    }
  }
  return { system, messages };
}

function toolChoiceOf(request: LanguageModelRequest, warnings: CallWarning[]): ToolChoice | undefined {
  const choice = request.toolChoice;
  if (choice === undefined || choice === 'auto') return choice === 'auto' ? { auto: {} } : undefined;
  if (choice === 'required') return { any: {} };
  if (choice === 'none') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      message: 'Converse has no "none" tool choice; the tools are sent with "auto"',
    });
    return { auto: {} };
  }
  return { tool: { name: choice.toolName } };
}

/** The Converse input for a request (ConverseStream takes the same). */
export function toConverseInput(
  request: LanguageModelRequest,
  model: string,
  warnings: CallWarning[],
): ConverseCommandInput {
  const { system, messages } = toConverseMessages(request);
  const input: ConverseCommandInput = { modelId: model, messages };
  if (system.length) input.system = system;
  const inference: NonNullable<ConverseCommandInput['inferenceConfig']> = {};
  if (request.maxOutputTokens !== undefined) inference.maxTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) inference.temperature = request.temperature;
  if (request.topP !== undefined) inference.topP = request.topP;
  if (request.stopSequences?.length) inference.stopSequences = request.stopSequences;
  if (Object.keys(inference).length) input.inferenceConfig = inference;
  if (request.tools?.length) {
    const tools: Tool[] = request.tools.map((tool) => ({
      toolSpec: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        inputSchema: { json: tool.parameters as never },
      },
    }));
    const toolChoice = toolChoiceOf(request, warnings);
    input.toolConfig = { tools, ...(toolChoice ? { toolChoice } : {}) };
  } else if (request.toolChoice !== undefined) {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'toolChoice',
      message: 'toolChoice without tools is ignored',
    });
  }
  if (request.responseFormat?.type === 'json') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'responseFormat',
      message: 'Converse has no JSON output mode; describe the format in the prompt, or use a tool',
    });
  }
  Object.assign(input, request.providerOptions?.bedrock);
  return input;
}

export function converseFinishReason(reason: string | undefined): LanguageModelFinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** Bedrock counts cache reads and writes apart from `inputTokens`; we report all input, the cached part inside it. */
export function converseUsage(usage: TokenUsage | undefined): LanguageModelUsage {
  const cached = usage?.cacheReadInputTokens ?? 0;
  return {
    inputTokens: (usage?.inputTokens ?? 0) + cached + (usage?.cacheWriteInputTokens ?? 0),
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: cached,
  };
}
