import { createPatchbay } from '@patchbay/core';
import {
  assertNoLeakedResources,
  defineSpeechSynthesizerConformance,
  openResources,
  runConformance,
} from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AcmeSpeechSynthesizer,
  acmeSimulatorKeys,
  acmeSpeechFactory,
  createAcmeSpeechSimulator,
} from './acme-speech/index.js';

const simulator = createAcmeSpeechSimulator();
let baseline: Record<string, number>;
beforeAll(async () => {
  baseline = openResources();
  await simulator.start();
});
afterAll(async () => {
  await simulator.close();
  await assertNoLeakedResources(baseline);
});

describe('Acme Speech adapter', () => {
  runConformance(
    defineSpeechSynthesizerConformance({
      simulator: () => simulator,
      create: ({ baseURL, apiKey, env, id }) => new AcmeSpeechSynthesizer({ id, baseURL, apiKey, env }),
      validApiKey: acmeSimulatorKeys[0] as string,
      invalidApiKey: 'acme-wrong-key',
      rotatedApiKey: acmeSimulatorKeys[1],
      faultPath: '/v1/speech',
      vendor: 'acme-speech',
    }),
    { it },
  );

  it('speaks the requested text with the chosen voice', async () => {
    const acme = new AcmeSpeechSynthesizer({ baseURL: simulator.url, apiKey: acmeSimulatorKeys[0], voice: 'aria' });
    const result = await acme.synthesize({ text: 'Bonjour' });
    expect(Buffer.from(result.audio).toString()).toBe('ID3Bonjour');
    expect(result).toMatchObject({ voice: 'aria', characters: 7, provider: 'acme-speech', vendor: 'acme-speech' });
    expect(simulator.requests.at(-1)?.json).toMatchObject({ text: 'Bonjour', voice: 'aria', model: 'acme-tts-1' });
  });

  it('maps a vendor error code that says more than the status', async () => {
    const acme = new AcmeSpeechSynthesizer({ baseURL: simulator.url, apiKey: acmeSimulatorKeys[0] });
    await expect(acme.synthesize({ text: 'hi', voice: 'nobody' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 404,
      vendorCode: 'voice_not_found',
      provider: 'acme-speech',
    });
  });

  it('is built from configuration and fails over to a mock when Acme is down', async () => {
    const { mockFactories } = await import('@patchbay/testing');
    const patchbay = createPatchbay({
      config: {
        providers: {
          acme: { kind: 'tts', vendor: 'acme-speech', settings: { baseURL: simulator.url } },
          backup: { kind: 'tts', vendor: 'mock', settings: { script: { audio: 'backup-audio' } } },
        },
        routes: { tts: { providers: ['acme', 'backup'], retry: { maxRetries: 0 } } },
      },
      factories: [acmeSpeechFactory, ...mockFactories],
      env: { ACME_SPEECH_API_KEY: acmeSimulatorKeys[0] },
    });
    try {
      expect((await patchbay.tts.synthesize({ text: 'one' })).provider).toBe('acme');
      simulator.inject({ type: 'status', status: 503 }, { path: '/v1/speech' });
      const result = await patchbay.tts.synthesize({ text: 'two' });
      expect(result.provider).toBe('backup');
      expect(Buffer.from(result.audio).toString()).toBe('backup-audio');
      expect(await patchbay.provider('acme').test()).toMatchObject({
        status: 'connected',
        details: { credentialSources: { apiKey: 'environment' } },
      });
    } finally {
      patchbay.close();
    }
  });
});
