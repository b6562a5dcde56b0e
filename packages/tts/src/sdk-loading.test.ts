import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { createOpenAISimulator, type LanguageModelSimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Records when each vendor SDK module is evaluated; the real SDK is returned unchanged.
// The ElevenLabs import is held open until the test releases it: a slow first import (a large SDK, a cold disk).
const loads = vi.hoisted(() => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { modules: [] as string[], gate, release: () => release() };
});
vi.mock('openai', async (importOriginal) => {
  loads.modules.push('openai');
  return importOriginal();
});
vi.mock('@elevenlabs/elevenlabs-js', async (importOriginal) => {
  loads.modules.push('@elevenlabs/elevenlabs-js');
  await loads.gate;
  return importOriginal();
});
vi.mock('@deepgram/sdk', async (importOriginal) => {
  loads.modules.push('@deepgram/sdk');
  return importOriginal();
});

const elevenLabsKey = 'el-valid-key-7f3a';
let elevenlabs: ElevenLabsSimulator;
let openai: LanguageModelSimulator;
let deepgram: DeepgramSimulator;

beforeAll(async () => {
  elevenlabs = await createElevenLabsSimulator({ validKeys: [elevenLabsKey] }).start();
  openai = await createOpenAISimulator({ apiKeys: ['sk-test'] }).start();
  deepgram = await createDeepgramSimulator().start();
});
afterAll(async () => {
  loads.release();
  await Promise.all([elevenlabs.close(), openai.close(), deepgram.close()]);
});

describe('vendor SDKs are optional peers, loaded on first use', () => {
  it('importing every entry and constructing adapters loads no SDK; each loads once, on its first call', async () => {
    const root = await import('./index.js');
    const { createElevenLabsSpeechSynthesizer } = await import('./elevenlabs/index.js');
    const { createOpenAISpeechSynthesizer } = await import('./openai/index.js');
    const { createDeepgramSpeechSynthesizer } = await import('./deepgram/index.js');
    expect(typeof root.SpeechSynthesizerAdapter).toBe('function');
    const speech = createElevenLabsSpeechSynthesizer({ apiKey: elevenLabsKey, baseURL: elevenlabs.url, env: {} });
    const openaiSpeech = createOpenAISpeechSynthesizer({ apiKey: 'sk-test', baseURL: `${openai.url}/v1`, env: {} });
    const deepgramSpeech = createDeepgramSpeechSynthesizer({ apiKey: 'test-key', baseURL: deepgram.url, env: {} });
    expect(loads.modules).toEqual([]);

    // The first ElevenLabs call is aborted while its SDK import is still running: it settles at once, as aborted.
    const controller = new AbortController();
    const first = speech.synthesize({ text: 'Hello' }, { signal: controller.signal }).then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    );
    await vi.waitFor(() => expect(loads.modules).toContain('@elevenlabs/elevenlabs-js'));
    controller.abort();
    expect(await first).toBe('aborted');
    expect(elevenlabs.requests).toHaveLength(0);

    loads.release();
    expect((await speech.synthesize({ text: 'Hello' })).audio.byteLength).toBeGreaterThan(0);
    await openaiSpeech.synthesize({ text: 'Hello' });
    await deepgramSpeech.synthesize({ text: 'Hello' });
    await speech.synthesize({ text: 'Again' });
    expect(loads.modules).toEqual(['@elevenlabs/elevenlabs-js', 'openai', '@deepgram/sdk']);
  });
});
