import { randomUUID } from 'node:crypto';
import type { SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendChunks, sendJson } from '../framework/index.js';
import {
  contentTypeOf,
  type SyntheticAudioFormat,
  speechDurationSeconds,
  syntheticAudioChunks,
} from '../shared/synthetic-audio.js';
import { azureKeyOf, azureSpeechErrorBody } from './azure-speech-error-body.js';

export interface AzureSpeechSimulatorOptions {
  /** Keys accepted in `Ocp-Apim-Subscription-Key`; default `['test-key']`. */
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per character of synthesized text (default 0.06). */
  secondsPerCharacter?: number | undefined;
  /** The transcript fast transcription answers with (spread over the audio's duration). */
  transcript?: string | undefined;
}

/** Neural voices the simulator knows. */
export const azureVoices = [
  { ShortName: 'en-US-AvaMultilingualNeural', DisplayName: 'Ava Multilingual', Locale: 'en-US', Gender: 'Female' },
  { ShortName: 'en-US-AndrewNeural', DisplayName: 'Andrew', Locale: 'en-US', Gender: 'Male' },
  { ShortName: 'en-GB-SoniaNeural', DisplayName: 'Sonia', Locale: 'en-GB', Gender: 'Female' },
] as const;

/** Parses an `X-Microsoft-OutputFormat` name (`raw-8khz-8bit-mono-mulaw`, `riff-24khz-16bit-mono-pcm`, …). */
export function azureOutputFormat(name: string): SyntheticAudioFormat | undefined {
  const match = /^(raw|riff|audio|ogg)-(\d+)(khz|hz)-(\d+)(bit|kbitrate)-mono-(pcm|mulaw|alaw|mp3|opus)$/.exec(name);
  if (!match) return undefined;
  const [, container, rate, unit, size, sizeUnit, codec] = match as unknown as string[];
  const sampleRate = unit === 'khz' ? Number(rate) * 1000 : Number(rate);
  const encoding: SyntheticAudioFormat['encoding'] | undefined =
    codec === 'mp3'
      ? 'mp3'
      : codec === 'opus'
        ? 'opus'
        : codec === 'pcm'
          ? container === 'riff'
            ? 'wav'
            : 'pcm_s16le'
          : codec === 'mulaw'
            ? 'mulaw'
            : 'alaw';
  return { encoding, sampleRate, bitrateKbps: sizeUnit === 'kbitrate' ? Number(size) : undefined };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The voice and spoken text of an SSML document (the simulator's small reader: one `<voice>` element). */
export function readSsml(ssml: string): { voice: string; text: string } | undefined {
  const voice = /<voice\s+name="([^"]*)"\s*>([\s\S]*)<\/voice>/.exec(ssml);
  if (!voice || !/^<speak\b[^>]*>/.test(ssml)) return undefined;
  // Markup inside the voice (prosody) is not spoken; escaped text is.
  const text = unescapeXml((voice[2] as string).replace(/<[^>]*>/g, ''));
  return { voice: unescapeXml(voice[1] as string), text };
}

async function synthesize(exchange: SimulatorExchange, options: AzureSpeechSimulatorOptions): Promise<void> {
  const { request, response } = exchange;
  const key = azureKeyOf(request);
  if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
    sendJson(response, 401, azureSpeechErrorBody(401, 'Access denied'));
    return;
  }
  if (!String(request.headers['content-type']).startsWith('application/ssml+xml')) {
    // Azure answers a wrong Content-Type with 415 and no body.
    response.writeHead(415).end();
    return;
  }
  const format = azureOutputFormat(String(request.headers['x-microsoft-outputformat'] ?? ''));
  const ssml = readSsml(request.body.toString('utf8'));
  if (!format || !ssml || ssml.text.trim() === '') {
    response.writeHead(400).end();
    return;
  }
  if (!azureVoices.some((voice) => voice.ShortName === ssml.voice)) {
    response.writeHead(400).end();
    return;
  }
  const duration = speechDurationSeconds(ssml.text, options.secondsPerCharacter);
  await sendChunks(exchange, contentTypeOf(format.encoding), syntheticAudioChunks(format, duration), {
    headers: { 'x-requestid': randomUUID() },
  });
}

/** `POST /cognitiveservices/v1` (SSML in, chunked audio out) and `GET /cognitiveservices/voices/list`. */
export function azureTtsRoutes(options: AzureSpeechSimulatorOptions = {}): SimulatorRoute[] {
  return [
    { method: 'POST', path: '/cognitiveservices/v1', handler: (exchange) => synthesize(exchange, options) },
    {
      method: 'GET',
      path: '/cognitiveservices/voices/list',
      handler: ({ request, response }) => {
        const key = azureKeyOf(request);
        if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
          sendJson(response, 401, azureSpeechErrorBody(401, 'Access denied'));
          return;
        }
        sendJson(
          response,
          200,
          azureVoices.map((voice) => ({
            Name: `Microsoft Server Speech Text to Speech Voice (${voice.Locale}, ${voice.ShortName.split('-')[2]})`,
            LocalName: voice.DisplayName,
            LocaleName: voice.Locale,
            SampleRateHertz: '48000',
            VoiceType: 'Neural',
            Status: 'GA',
            ...voice,
          })),
        );
      },
    },
  ];
}
