import type { LanguageModel, LanguageModelRequest, LanguageModelStreamPart } from '@patchbay/core';
import { type ConformanceOptions, commonCases, streamCases } from './common-cases.js';
import type { ConformanceCase } from './conformance-case.js';
import { assert } from './lazy-node.js';

export interface LanguageModelConformanceOptions extends ConformanceOptions<LanguageModel> {
  /** A small request the simulator can serve (default: one user message). */
  request?: LanguageModelRequest | undefined;
  /** Run the streaming cases (default true). */
  streaming?: boolean | undefined;
  /** Where stream faults are injected, when streams use another path than `faultPath`. */
  streamFaultPath?: string | RegExp | undefined;
  /** Events the simulator sends before a stream cut (default 2). */
  streamCutAfterChunks?: number | undefined;
}

const defaultRequest: LanguageModelRequest = {
  messages: [{ role: 'user', content: 'Say hello in five words.' }],
  maxOutputTokens: 32,
};

function checkUsage(usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number }): void {
  assert.ok(Number.isInteger(usage.inputTokens) && usage.inputTokens > 0, `usage.inputTokens: ${usage.inputTokens}`);
  assert.ok(
    Number.isInteger(usage.outputTokens) && usage.outputTokens > 0,
    `usage.outputTokens: ${usage.outputTokens}`,
  );
  assert.ok(
    Number.isInteger(usage.cachedInputTokens) && usage.cachedInputTokens >= 0,
    `usage.cachedInputTokens: ${usage.cachedInputTokens}`,
  );
}

/**
 * The cases every LanguageModel adapter must pass against its vendor simulator:
 * `runConformance(defineLanguageModelConformance({ simulator, create, validApiKey }), { it })`.
 */
export function defineLanguageModelConformance(options: LanguageModelConformanceOptions): ConformanceCase[] {
  const request = options.request ?? defaultRequest;
  const cases = commonCases<LanguageModel, Awaited<ReturnType<LanguageModel['generate']>>>(options, {
    kind: 'llm',
    call: (provider, callOptions) => provider.generate(request, callOptions),
    checkSuccess: (result, _provider, expected) => {
      assert.equal(result.provider, expected.id, 'result.provider');
      assert.equal(result.vendor, expected.vendor, 'result.vendor');
      assert.ok(typeof result.model === 'string' && result.model.length > 0, 'result.model');
      assert.equal(typeof result.text, 'string', 'result.text');
      assert.ok(Array.isArray(result.toolCalls), 'result.toolCalls');
      assert.ok(Array.isArray(result.warnings), 'result.warnings');
      checkUsage(result.usage);
    },
    malformedMustFail: true,
    sideEffects: false,
  });
  const streaming = options.streaming ?? true;
  if (!streaming) return cases;
  return [
    ...cases,
    ...streamCases<LanguageModel, Awaited<ReturnType<LanguageModel['stream']>>, LanguageModelStreamPart>(options, {
      kind: 'llm',
      open: (provider, callOptions) => provider.stream(request, callOptions),
      checkStream: (result, parts, _provider, expected) => {
        assert.equal(result.provider, expected.id, 'result.provider');
        assert.equal(result.vendor, expected.vendor, 'result.vendor');
        assert.ok(typeof result.model === 'string' && result.model.length > 0, 'result.model');
        const last = parts.at(-1);
        assert.equal(last?.type, 'finish', 'the stream must end with a finish part');
        if (last?.type === 'finish') checkUsage(last.usage);
        assert.equal(parts.filter((part) => part.type === 'finish').length, 1, 'exactly one finish part');
        assert.ok(
          parts.some((part) => part.type === 'text-delta' || part.type === 'tool-call'),
          'the stream carried no text or tool call',
        );
      },
      cutAfterChunks: options.streamCutAfterChunks ?? 2,
      faultPath: options.streamFaultPath,
    }),
  ];
}
