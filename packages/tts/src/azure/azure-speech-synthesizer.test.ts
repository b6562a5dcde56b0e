import { failureOf as failure } from '@patchbay/testing/conformance';
import {
  type AzureSpeechSimulator,
  createAzureSpeechSimulator,
  readSsml,
} from '@patchbay/testing/simulators/azure-speech';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSpeechAdapterSuites } from '../shared/speech-adapter-test-cases.js';
import { azureSsml, escapeSsml } from './azure-settings.js';
import {
  type AzureSpeechSynthesizerOptions,
  azureSpeechSynthesizerFactory,
  createAzureSpeechSynthesizer,
} from './index.js';

const apiKey = 'test-key';
let simulator: AzureSpeechSimulator;

beforeAll(async () => {
  simulator = await createAzureSpeechSimulator().start();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const create = (options: AzureSpeechSynthesizerOptions = {}) =>
  createAzureSpeechSynthesizer({ id: 'speech', baseURL: simulator.url, env: {}, ...options });
const text = 'Your appointment is confirmed.';

describe('Azure Speech synthesizer', () => {
  it('posts SSML with the key, output format and User-Agent, and returns MP3 by default', async () => {
    const result = await create({ apiKey }).synthesize({ text });
    const [request] = simulator.requestsTo('/cognitiveservices/v1');
    expect(request?.headers).toMatchObject({
      'ocp-apim-subscription-key': apiKey,
      'content-type': 'application/ssml+xml',
      'x-microsoft-outputformat': 'audio-24khz-48kbitrate-mono-mp3',
      'user-agent': 'patchbay',
    });
    expect(request?.body.toString()).toBe(
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
        `<voice name="en-US-AvaMultilingualNeural">${text}</voice></speak>`,
    );
    expect(result).toMatchObject({
      format: { encoding: 'mp3', sampleRate: 24000 },
      vendor: 'azure',
      voice: 'en-US-AvaMultilingualNeural',
      characters: text.length,
    });
  });

  it('asks for raw-8khz-8bit-mono-mulaw for telephony', async () => {
    const result = await create({ apiKey }).synthesize({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
    expect(simulator.requests[0]?.headers['x-microsoft-outputformat']).toBe('raw-8khz-8bit-mono-mulaw');
    expect(result.audio.length).toBe(Math.round(text.length * 0.06 * 8000));
  });

  it.each([
    [{ encoding: 'pcm_s16le', sampleRate: 16000 }, 'raw-16khz-16bit-mono-pcm'],
    [{ encoding: 'wav', sampleRate: 16000 }, 'riff-16khz-16bit-mono-pcm'],
    [{ encoding: 'alaw', sampleRate: 8000 }, 'raw-8khz-8bit-mono-alaw'],
    [{ encoding: 'opus', sampleRate: 48000 }, 'ogg-48khz-16bit-mono-opus'],
  ] as const)('maps %o to %s', async (format, name) => {
    await create({ apiKey }).synthesize({ text, format });
    expect(simulator.requests[0]?.headers['x-microsoft-outputformat']).toBe(name);
  });

  it('escapes the text: markup in it is spoken, never interpreted', async () => {
    const hostile = `Tom & Jerry <break time="10s"/> say "hi" </voice><voice name='x'>`;
    await create({ apiKey }).synthesize({ text: hostile });
    const ssml = simulator.requests[0]?.body.toString() ?? '';
    expect(ssml).not.toContain('<break');
    expect(readSsml(ssml)).toEqual({ voice: 'en-US-AvaMultilingualNeural', text: hostile });
    expect(escapeSsml('a\u0001b')).toBe('ab');
  });

  it('takes the language from the request and speed as prosody rate', () => {
    expect(azureSsml({ text: 'hi', voice: 'en-GB-SoniaNeural', language: 'en-GB', speed: 1.25 })).toContain(
      '<prosody rate="125%">hi</prosody>',
    );
  });

  it('builds the regional host from the region, and refuses a missing or malformed region before any request', async () => {
    const requests: string[] = [];
    const fetch = (async (url: string | URL | Request) => {
      requests.push(String(url));
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'audio/mpeg' } });
    }) as typeof globalThis.fetch;
    await createAzureSpeechSynthesizer({ apiKey, region: 'westeurope', fetch, env: {} }).synthesize({ text });
    expect(requests).toEqual(['https://westeurope.tts.speech.microsoft.com/cognitiveservices/v1']);
    await createAzureSpeechSynthesizer({ apiKey, fetch, env: { AZURE_SPEECH_REGION: 'eastus' } }).synthesize({ text });
    expect(requests[1]).toBe('https://eastus.tts.speech.microsoft.com/cognitiveservices/v1');
    const missing = await failure(createAzureSpeechSynthesizer({ apiKey, fetch, env: {} }).synthesize({ text }));
    expect(missing).toMatchObject({ code: 'not_configured', details: { missing: ['region'] } });
    const hostile = await failure(
      createAzureSpeechSynthesizer({ apiKey, region: 'evil.com/x?', fetch, env: {} }).synthesize({ text }),
    );
    expect(hostile.code).toBe('not_configured');
    expect(requests).toHaveLength(2);
  });

  it('needs no region with a baseURL, but still needs the key; SPEECH_KEY / SPEECH_REGION are fallbacks', async () => {
    const requests: string[] = [];
    const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
      requests.push(`${String(url)} ${new Headers(init?.headers).get('ocp-apim-subscription-key')}`);
      return new Response(new Uint8Array([1, 2, 3]), { headers: { 'content-type': 'audio/mpeg' } });
    }) as typeof globalThis.fetch;
    const proxy = 'https://speech-proxy.example.com';
    await createAzureSpeechSynthesizer({ apiKey, baseURL: proxy, fetch, env: {} }).synthesize({ text });
    expect(requests).toEqual([`${proxy}/cognitiveservices/v1 ${apiKey}`]);
    const keyless = await failure(
      createAzureSpeechSynthesizer({ baseURL: proxy, fetch, env: {} }).synthesize({ text }),
    );
    expect(keyless).toMatchObject({ code: 'not_configured', details: { missing: ['apiKey'] } });
    expect(requests).toHaveLength(1);
    await createAzureSpeechSynthesizer({
      fetch,
      env: { SPEECH_KEY: 'fallback-key', SPEECH_REGION: 'uksouth' },
    }).synthesize({
      text,
    });
    expect(requests[1]).toBe('https://uksouth.tts.speech.microsoft.com/cognitiveservices/v1 fallback-key');
  });

  it('maps an unknown voice (400, no body) to invalid_request and a spent quota (403) to quota_exceeded', async () => {
    await expect(create({ apiKey }).synthesize({ text, voice: 'xx-XX-NobodyNeural' })).rejects.toMatchObject({
      code: 'invalid_request',
      status: 400,
    });
    simulator.inject(
      {
        type: 'status',
        status: 403,
        message: 'Out of call volume quota for SpeechServices. Quota will be replenished in 2.12:42:32.',
      },
      { path: '/cognitiveservices/v1' },
    );
    await expect(create({ apiKey }).synthesize({ text })).rejects.toMatchObject({
      code: 'quota_exceeded',
      status: 403,
    });
  });

  it('lists the region voices', async () => {
    expect(await create({ apiKey }).listVoices()).toContainEqual({
      id: 'en-GB-SoniaNeural',
      name: 'Sonia',
      language: 'en-GB',
      gender: 'female',
    });
  });

  it('is built by its factory with AZURE_SPEECH_KEY', async () => {
    const provider = azureSpeechSynthesizerFactory.create({
      id: 'voice',
      settings: { baseURL: simulator.url },
      runtime: { env: { AZURE_SPEECH_KEY: apiKey } },
    });
    expect(await provider.synthesize({ text })).toMatchObject({ provider: 'voice', vendor: 'azure' });
  });

  defineSpeechAdapterSuites({
    simulator: () => simulator,
    create,
    validApiKey: apiKey,
    speechPath: '/cognitiveservices/v1',
    unsupportedFormat: { encoding: 'mulaw', sampleRate: 16000 },
    conformance: {
      create: (settings) => createAzureSpeechSynthesizer(settings),
      invalidApiKey: 'azure-invalid',
    },
  });
});
