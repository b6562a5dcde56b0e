import type {
  CallOptions,
  CallWarning,
  LanguageModel,
  LanguageModelCapabilities,
  LanguageModelFinishReason,
  LanguageModelRequest,
  LanguageModelResult,
  LanguageModelStreamPart,
  LanguageModelStreamResult,
  LanguageModelToolCall,
  LanguageModelUsage,
} from '@patchbay/core';
import { lazySchema } from '@patchbay/core/adapter';
import { z } from 'zod';
import {
  type MockBaseSettings,
  MockProvider,
  type MockProviderOptions,
  mockSettingsShape,
  splitInto,
} from './mock-provider.js';
import type { MockFailureStep, MockHangStep, MockScript } from './mock-script.js';

/** A successful language-model call. */
export interface LanguageModelMockSuccess {
  /** Default `'ok'`. */
  text?: string | undefined;
  toolCalls?: LanguageModelToolCall[] | undefined;
  /** Default: about one token per 4 characters of the request's messages and of `text`. */
  usage?: Partial<LanguageModelUsage> | undefined;
  /** Default `tool-calls` when there are tool calls, else `stop`. */
  finishReason?: LanguageModelFinishReason | undefined;
  /** `stream()` text deltas; default: `text` split in 3. */
  chunks?: string[] | undefined;
  /** `stream()`: throw `stream_cut` after this many parts (0: `stream()` itself rejects). */
  cutAfter?: number | undefined;
  /** `stream()`: wait between parts (honours the abort signal). */
  chunkDelayMs?: number | undefined;
  /** Latency before answering; honours the abort signal. */
  delayMs?: number | undefined;
  warnings?: CallWarning[] | undefined;
  responseId?: string | undefined;
}

export type LanguageModelMockStep = LanguageModelMockSuccess | MockFailureStep | MockHangStep;

export interface MockLanguageModelOptions extends MockProviderOptions<LanguageModelMockStep, LanguageModelRequest> {
  script?: MockScript<LanguageModelMockStep, LanguageModelRequest> | undefined;
  capabilities?: Partial<LanguageModelCapabilities> | undefined;
}

const settingsSchema = lazySchema(() => z.strictObject({ ...mockSettingsShape() }));

type MockLanguageModelSettings = MockBaseSettings;

function estimateTokens(characters: number): number {
  return characters === 0 ? 0 : Math.max(1, Math.ceil(characters / 4));
}

function requestCharacters(request: LanguageModelRequest): number {
  let characters = 0;
  for (const message of request.messages ?? []) {
    if (typeof message.content === 'string') characters += message.content.length;
    else
      for (const part of message.content) {
        if ('text' in part && typeof part.text === 'string') characters += part.text.length;
      }
  }
  return characters;
}

/** A scriptable language model: `generate` and `stream` follow the script and are recorded in `calls`. */
export class MockLanguageModel
  extends MockProvider<
    MockLanguageModelSettings,
    LanguageModelMockStep,
    LanguageModelRequest,
    LanguageModelCapabilities
  >
  implements LanguageModel
{
  readonly kind = 'llm' as const;

  constructor(options: MockLanguageModelOptions = {}) {
    super({
      id: options.id ?? 'mock-llm',
      vendor: options.vendor ?? 'mock',
      kind: 'llm',
      schema: settingsSchema as unknown as z.ZodType<MockLanguageModelSettings>,
      options,
      defaultStep: { text: 'ok' },
      defaultCapabilities: { streaming: true, tools: true, images: true, jsonOutput: true },
    });
  }

  #answer(step: LanguageModelMockSuccess, request: LanguageModelRequest) {
    const text = step.text ?? (step.chunks ? step.chunks.join('') : 'ok');
    const toolCalls = step.toolCalls ?? [];
    const usage: LanguageModelUsage = {
      inputTokens: step.usage?.inputTokens ?? estimateTokens(requestCharacters(request)),
      outputTokens: step.usage?.outputTokens ?? estimateTokens(text.length),
      cachedInputTokens: step.usage?.cachedInputTokens ?? 0,
    };
    const finishReason = step.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop');
    return { text, toolCalls, usage, finishReason };
  }

  generate(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelResult> {
    return this.run('generate', request, options, ({ step, settings, call }) => {
      const answer = this.#answer(step, request);
      return {
        ...answer,
        provider: this.id,
        vendor: this.vendor,
        model: request.model ?? settings.model,
        warnings: step.warnings ?? [],
        responseId: step.responseId ?? `mock-response-${call.index}`,
      };
    });
  }

  async stream(request: LanguageModelRequest, options?: CallOptions): Promise<LanguageModelStreamResult> {
    const { call, step, settings, signal } = await this.begin('stream', request, options);
    const answer = this.#answer(step, request);
    const parts: LanguageModelStreamPart[] = (step.chunks ?? splitInto(answer.text, 3)).map((delta) => ({
      type: 'text-delta',
      delta,
    }));
    for (const toolCall of answer.toolCalls) {
      parts.push(
        { type: 'tool-call-start', toolCallId: toolCall.toolCallId, toolName: toolCall.toolName },
        { type: 'tool-call-delta', toolCallId: toolCall.toolCallId, argumentsDelta: JSON.stringify(toolCall.input) },
        { type: 'tool-call', ...toolCall },
      );
    }
    parts.push({ type: 'finish', finishReason: answer.finishReason, usage: answer.usage });
    if (step.cutAfter === 0) {
      // Broke before the first part: the call fails as a whole, so routing can still fail over.
      const error = this.streamCut(0);
      this.settle(call, error);
      throw error;
    }
    return {
      stream: this.relay(call, parts, { cutAfter: step.cutAfter, chunkDelayMs: step.chunkDelayMs, signal }),
      provider: this.id,
      vendor: this.vendor,
      model: request.model ?? settings.model,
      warnings: step.warnings ?? [],
    };
  }
}
