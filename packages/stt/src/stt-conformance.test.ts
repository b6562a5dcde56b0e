import { createDeepgramTranscriber } from '@patchbay/stt/deepgram';
import { createElevenLabsTranscriber } from '@patchbay/stt/elevenlabs';
import { createOpenAITranscriber } from '@patchbay/stt/openai';
import { defineTranscriberConformance, runConformance, type TranscriberConformanceOptions } from '@patchbay/testing';
import { createDeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import type { VendorSimulator } from '@patchbay/testing/simulators/framework';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** Each adapter against its own simulator, through the shared transcriber conformance suite. */
const adapters: {
  name: string;
  start: () => Promise<VendorSimulator>;
  create: TranscriberConformanceOptions['create'];
  faultPath: string;
}[] = [
  {
    name: 'Deepgram transcriber',
    start: () => createDeepgramSimulator().start(),
    create: ({ id, apiKey, baseURL, env }) => createDeepgramTranscriber({ id, apiKey, baseURL, env }),
    faultPath: '/v1/listen',
  },
  {
    name: 'ElevenLabs transcriber',
    start: () => createElevenLabsSimulator().start(),
    create: ({ id, apiKey, baseURL, env }) => createElevenLabsTranscriber({ id, apiKey, baseURL, env }),
    faultPath: '/v1/speech-to-text',
  },
  {
    name: 'OpenAI transcriber',
    start: () => createOpenAISimulator().start(),
    create: ({ id, apiKey, baseURL, env }) => createOpenAITranscriber({ id, apiKey, baseURL: `${baseURL}/v1`, env }),
    faultPath: '/v1/audio/transcriptions',
  },
];

describe.each(adapters)('$name', ({ start, create, faultPath }) => {
  let simulator: VendorSimulator;
  beforeAll(async () => {
    simulator = await start();
  });
  afterAll(async () => {
    await simulator.close();
  });

  runConformance(
    defineTranscriberConformance({
      simulator: () => simulator,
      create,
      validApiKey: 'test-key',
      invalidApiKey: 'wrong-key',
      faultPath,
    }),
    { it },
  );
});
