import { createOpenAITranscriber } from '@patchbay/stt/openai';
import { defineTranscriberConformance, runConformance } from '@patchbay/testing';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, it } from 'vitest';

let simulator: ReturnType<typeof createOpenAISimulator>;
beforeAll(async () => {
  simulator = await createOpenAISimulator().start();
});
afterAll(async () => {
  await simulator.close();
});

describe('OpenAI transcriber', () => {
  runConformance(
    defineTranscriberConformance({
      simulator: () => simulator,
      create: ({ id, apiKey, baseURL, env }) => createOpenAITranscriber({ id, apiKey, baseURL: `${baseURL}/v1`, env }),
      validApiKey: 'test-key',
      invalidApiKey: 'wrong-key',
      faultPath: '/v1/audio/transcriptions',
    }),
    { it },
  );
});
