import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { defineSpeechSynthesizerConformance, runConformance } from '@patchbay/testing';
import { failureOf as failure } from '@patchbay/testing/conformance';
import {
  createGoogleCloudSimulator,
  createTestServiceAccount,
  type GoogleCloudSimulator,
} from '@patchbay/testing/simulators/google-cloud';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGoogleSpeechSynthesizer,
  type GoogleSpeechSynthesizerOptions,
  googleSpeechSynthesizerFactory,
} from './index.js';

const apiKey = 'test-key';
const account = createTestServiceAccount();
const stranger = createTestServiceAccount('stranger@simulated-project.iam.gserviceaccount.com');
let simulator: GoogleCloudSimulator;

beforeAll(async () => {
  simulator = await createGoogleCloudSimulator({
    // The stranger's email is registered with another key: its signatures must fail.
    serviceAccounts: [account, { clientEmail: stranger.clientEmail, publicKey: account.publicKey }],
  }).start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = (options: GoogleSpeechSynthesizerOptions = {}) =>
  createGoogleSpeechSynthesizer({
    id: 'speech',
    baseURL: simulator.url,
    tokenURL: simulator.tokenURL,
    env: {},
    ...options,
  });
const text = 'Your appointment is confirmed.';
const privateKeyLine = account.privateKey.split('\n')[1] as string;

describe('Google Cloud speech synthesizer', () => {
  it('synthesizes MP3 with the API key in X-Goog-Api-Key (never the URL)', async () => {
    const result = await create({ apiKey }).synthesize({ text, speed: 1.1 });
    const [request] = simulator.requestsTo('/v1/text:synthesize');
    expect(request?.headers['x-goog-api-key']).toBe(apiKey);
    expect(request?.query.has('key')).toBe(false);
    expect(request?.json).toEqual({
      input: { text },
      voice: { languageCode: 'en-US', name: 'en-US-Neural2-F' },
      audioConfig: { audioEncoding: 'MP3', sampleRateHertz: 24000, speakingRate: 1.1 },
    });
    expect(result).toMatchObject({
      vendor: 'google',
      model: 'Neural2',
      voice: 'en-US-Neural2-F',
      format: { encoding: 'mp3' },
    });
    expect(result.audio[0]).toBe(0xff);
  });

  it('returns raw μ-law at 8 kHz: MULAW without the WAV header Google wraps it in', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect((simulator.requests[0]?.json as { audioConfig?: unknown } | undefined)?.audioConfig).toEqual({
      audioEncoding: 'MULAW',
      sampleRateHertz: 8000,
    });
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
    expect(String.fromCharCode(...result.audio.subarray(0, 4))).not.toBe('RIFF');
    expect(result.durationSeconds).toBeCloseTo(text.length * 0.06, 2);
  });

  it('keeps the WAV container for wav and strips it for pcm_s16le', async () => {
    const provider = create({ apiKey });
    const wav = await provider.synthesize({ text, format: { encoding: 'wav', sampleRate: 16000 } });
    expect(String.fromCharCode(...wav.audio.subarray(0, 4))).toBe('RIFF');
    const pcm = await provider.synthesize({ text, format: { encoding: 'pcm_s16le', sampleRate: 16000 } });
    expect(pcm.audio.length).toBe(Math.round(text.length * 0.06 * 16000) * 2);
  });

  describe('service account credentials', () => {
    it('signs an RS256 JWT, exchanges it once, and reuses the token until shortly before it expires', async () => {
      const provider = create({ serviceAccount: account.json });
      await Promise.all([provider.synthesize({ text }), provider.synthesize({ text })]);
      await provider.synthesize({ text });
      expect(simulator.auth.issued).toBe(1);
      expect(simulator.requestsTo('/token')).toHaveLength(1);
      const [call] = simulator.requestsTo('/v1/text:synthesize');
      expect(call?.headers.authorization).toMatch(/^Bearer ya29\.simulated-/);
      expect(call?.headers['x-goog-api-key']).toBeUndefined();
    });

    it('exchanges again for a token that is about to expire', async () => {
      const short = await createGoogleCloudSimulator({ serviceAccounts: [account], tokenLifetimeSeconds: 30 }).start();
      try {
        const provider = createGoogleSpeechSynthesizer({
          baseURL: short.url,
          tokenURL: short.tokenURL,
          serviceAccount: account.json,
          env: {},
        });
        await provider.synthesize({ text });
        await provider.synthesize({ text });
        // A 30 s token is inside the one-minute refresh margin: each call gets a fresh one.
        expect(short.auth.issued).toBe(2);
      } finally {
        await short.close();
      }
    });

    it('maps a signature the token endpoint rejects (invalid_grant) to auth, without the private key anywhere', async () => {
      const provider = create({ serviceAccount: stranger.json });
      const error = await failure(provider.synthesize({ text }));
      expect(error).toMatchObject({ code: 'auth', status: 400, vendorCode: 'invalid_grant', provider: 'speech' });
      expect(simulator.requestsTo('/v1/text:synthesize')).toHaveLength(0);
      const health = await provider.test();
      expect(health).toMatchObject({ status: 'error', code: 'auth' });
      for (const view of [
        JSON.stringify(error),
        inspect(error, { depth: 8 }),
        JSON.stringify(health),
        JSON.stringify(provider.getConfig()),
        inspect(provider),
      ]) {
        expect(view).not.toContain(privateKeyLine);
        expect(view).not.toContain(stranger.privateKey.split('\n')[1]);
      }
    });

    it('refuses key JSON that does not parse, as not_configured naming the field and not its content', async () => {
      const error = await failure(
        create({ serviceAccount: '{"private_key": "-----BEGIN PRIVATE KEY-----secret' }).synthesize({ text }),
      );
      expect(error.code).toBe('not_configured');
      expect(error.message).toContain('service account');
      expect(error.message).not.toContain('secret');
      expect(simulator.requests).toHaveLength(0);
    });

    it('reads the key file GOOGLE_APPLICATION_CREDENTIALS names, but never a path from settings', async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'patchbay-google-')), 'key.json');
      writeFileSync(file, account.json);
      const fromEnvironment = create({ env: { GOOGLE_APPLICATION_CREDENTIALS: file } });
      expect(await fromEnvironment.synthesize({ text })).toMatchObject({ vendor: 'google' });
      const fromSettings = await failure(create({ serviceAccount: file }).synthesize({ text }));
      expect(fromSettings.code).toBe('not_configured');
    });

    it('test(): connected through the token exchange', async () => {
      const health = await create({ serviceAccount: account.json }).test();
      expect(health.status).toBe('connected');
      expect(JSON.stringify(health.details)).toContain('service-account');
      expect(simulator.auth.issued).toBe(1);
    });
  });

  it('maps a rejected API key (400 API_KEY_INVALID) to auth, not invalid_request', async () => {
    const error = await failure(create({ apiKey: 'wrong-key-123' }).synthesize({ text }));
    expect(error).toMatchObject({ code: 'auth', status: 400, vendorCode: 'API_KEY_INVALID', retryable: false });
    expect(JSON.stringify(error)).not.toContain('wrong-key-123');
  });

  it('maps an unknown voice (400 INVALID_ARGUMENT) to invalid_request, 403 to auth, a daily quota to quota_exceeded', async () => {
    await expect(create({ apiKey }).synthesize({ text, voice: 'xx-XX-Nobody-A' })).rejects.toMatchObject({
      code: 'invalid_request',
      vendorCode: 'INVALID_ARGUMENT',
    });
    simulator.inject({
      type: 'status',
      status: 403,
      message: 'Cloud Text-to-Speech API has not been used in project 1 before or it is disabled.',
    });
    await expect(create({ apiKey }).synthesize({ text })).rejects.toMatchObject({ code: 'auth', status: 403 });
    simulator.inject({
      type: 'status',
      status: 429,
      message: "Quota exceeded for quota metric 'Requests' and limit 'Requests per day'",
    });
    await expect(create({ apiKey }).synthesize({ text })).rejects.toMatchObject({ code: 'quota_exceeded' });
  });

  it('lists voices', async () => {
    expect(await create({ apiKey }).listVoices()).toContainEqual({
      id: 'en-GB-Neural2-A',
      name: 'en-GB-Neural2-A',
      language: 'en-GB',
      gender: 'female',
    });
  });

  it('is built by its factory with GOOGLE_API_KEY', async () => {
    const provider = googleSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: simulator.url },
      runtime: { env: { GOOGLE_API_KEY: apiKey } },
    });
    expect(await provider.synthesize({ text })).toMatchObject({ provider: 'voice', vendor: 'google' });
    expect(provider.capabilities.streaming).toBe(false);
  });

  describe('conformance', () => {
    runConformance(
      defineSpeechSynthesizerConformance({
        simulator: () => simulator,
        create: (settings) => createGoogleSpeechSynthesizer(settings),
        validApiKey: apiKey,
        apiKeyEnv: 'GOOGLE_API_KEY',
        faultPath: '/v1/text:synthesize',
        // One JSON answer per clip: there is no stream to cut (capabilities.streaming is false).
        streaming: false,
      }),
      { it },
    );
  });
});
