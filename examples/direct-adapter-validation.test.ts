import { PatchbayError } from '@patchbay/core';
import { createOpenAILanguageModel } from '@patchbay/llm/openai';
import { createOpenAITranscriber } from '@patchbay/stt/openai';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { createOpenAISpeechSynthesizer } from '@patchbay/tts/openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Adapters used directly (no router) check the request with the same validators the router uses:
// a malformed request is `invalid_request` naming the field, and nothing reaches the vendor.
let simulator: ReturnType<typeof createOpenAISimulator>;
beforeAll(async () => {
  simulator = await createOpenAISimulator().start();
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => simulator.reset());

async function refusal(call: () => Promise<unknown>): Promise<PatchbayError> {
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!PatchbayError.isInstance(error)) throw new Error(`expected a PatchbayError, got ${String(error)}`);
  return error;
}

const settings = () => ({ apiKey: 'test-key', baseURL: `${simulator.url}/v1`, env: false as const });

describe('direct adapters validate requests before any vendor call', () => {
  it('language model: content null is refused naming messages.0.content', async () => {
    const model = createOpenAILanguageModel({ ...settings(), model: 'gpt-4o-mini' });
    const error = await refusal(() =>
      model.generate({ messages: [{ role: 'user', content: null as unknown as string }] }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('messages.0.content');
    expect(simulator.requests).toHaveLength(0);
  });

  it('speech: a numeric text is refused naming text', async () => {
    const synthesizer = createOpenAISpeechSynthesizer(settings());
    const error = await refusal(() => synthesizer.synthesize({ text: 42 as unknown as string }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('text');
    expect(simulator.requests).toHaveLength(0);
  });

  it('transcription: audio that is neither bytes, a stream nor a URL is refused naming audio', async () => {
    const transcriber = createOpenAITranscriber(settings());
    const error = await refusal(() =>
      transcriber.transcribe({ audio: 'not audio' as unknown as Uint8Array, mimeType: 'audio/wav' }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('audio');
    expect(simulator.requests).toHaveLength(0);
  });
});
