import type { SpeechRequest, SpeechSynthesizer } from '@patchbay/core';
import { type ConformanceOptions, commonCases, streamCases } from './common-cases.js';
import type { ConformanceCase } from './conformance-case.js';
import { assert } from './lazy-node.js';

export interface SpeechSynthesizerConformanceOptions extends ConformanceOptions<SpeechSynthesizer> {
  /** A small request the simulator can serve (default: one sentence). */
  request?: SpeechRequest | undefined;
  /** Run the streaming cases (default true). */
  streaming?: boolean | undefined;
  streamFaultPath?: string | RegExp | undefined;
  /** Audio chunks the simulator sends before a stream cut (default 1). */
  streamCutAfterChunks?: number | undefined;
}

const defaultRequest: SpeechRequest = { text: 'Hello from the Patchbay conformance suite.' };

/** The cases every SpeechSynthesizer adapter must pass against its vendor simulator. */
export function defineSpeechSynthesizerConformance(options: SpeechSynthesizerConformanceOptions): ConformanceCase[] {
  const request = options.request ?? defaultRequest;
  const describe = (
    result: { provider: string; vendor: string; model: string; voice: string; characters: number },
    expected: { id: string; vendor: string },
  ) => {
    assert.equal(result.provider, expected.id, 'result.provider');
    assert.equal(result.vendor, expected.vendor, 'result.vendor');
    assert.ok(typeof result.model === 'string' && result.model.length > 0, 'result.model');
    assert.ok(typeof result.voice === 'string' && result.voice.length > 0, 'result.voice');
    assert.equal(result.characters, request.text.length, 'characters billed must be the text length');
  };
  const cases = commonCases<SpeechSynthesizer, Awaited<ReturnType<SpeechSynthesizer['synthesize']>>>(options, {
    kind: 'tts',
    call: (provider, callOptions) => provider.synthesize(request, callOptions),
    checkSuccess: (result, _provider, expected) => {
      describe(result, expected);
      assert.ok(result.audio instanceof Uint8Array && result.audio.length > 0, 'result.audio must hold bytes');
      assert.ok(typeof result.format?.encoding === 'string', 'result.format.encoding');
    },
    // Audio answers are binary: a vendor body that is not JSON may legitimately pass through.
    malformedMustFail: false,
    sideEffects: false,
  });
  if (options.streaming === false) return cases;
  return [
    ...cases,
    ...streamCases<SpeechSynthesizer, Awaited<ReturnType<SpeechSynthesizer['stream']>>, Uint8Array>(options, {
      kind: 'tts',
      open: (provider, callOptions) => provider.stream(request, callOptions),
      checkStream: (result, parts, _provider, expected) => {
        describe(result, expected);
        assert.ok(
          parts.every((part) => part instanceof Uint8Array),
          'stream parts must be Uint8Array',
        );
        assert.ok(parts.reduce((sum, part) => sum + part.length, 0) > 0, 'the stream carried no audio bytes');
      },
      cutAfterChunks: options.streamCutAfterChunks ?? 1,
      faultPath: options.streamFaultPath,
    }),
  ];
}
