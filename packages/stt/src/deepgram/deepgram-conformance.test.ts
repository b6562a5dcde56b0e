import { createDeepgramTranscriber } from '@patchbay/stt/deepgram';
import { defineTranscriberConformance, runConformance } from '@patchbay/testing';
import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, describe, it } from 'vitest';

let simulator: DeepgramSimulator;
beforeAll(async () => {
  simulator = await createDeepgramSimulator().start();
});
afterAll(async () => {
  await simulator.close();
});

describe('Deepgram transcriber', () => {
  runConformance(
    defineTranscriberConformance({
      simulator: () => simulator,
      create: ({ id, apiKey, baseURL, env }) => createDeepgramTranscriber({ id, apiKey, baseURL, env }),
      validApiKey: 'test-key',
      invalidApiKey: 'wrong-key',
      faultPath: '/v1/listen',
    }),
    { it },
  );
});
