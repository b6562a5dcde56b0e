import { createElevenLabsTranscriber } from '@patchbay/stt/elevenlabs';
import { defineTranscriberConformance, runConformance } from '@patchbay/testing';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, describe, it } from 'vitest';

let simulator: ElevenLabsSimulator;
beforeAll(async () => {
  simulator = await createElevenLabsSimulator().start();
});
afterAll(async () => {
  await simulator.close();
});

describe('ElevenLabs transcriber', () => {
  runConformance(
    defineTranscriberConformance({
      simulator: () => simulator,
      create: ({ id, apiKey, baseURL, env }) => createElevenLabsTranscriber({ id, apiKey, baseURL, env }),
      validApiKey: 'test-key',
      invalidApiKey: 'wrong-key',
      faultPath: '/v1/speech-to-text',
    }),
    { it },
  );
});
