import type { SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendJson } from '../framework/index.js';
import { type SyntheticAudioFormat, speechDurationSeconds, syntheticAudioChunks } from '../shared/synthetic-audio.js';
import { type GoogleCloudAuth, type GoogleCloudSimulatorOptions, googleCloudErrorBody } from './google-cloud-auth.js';

/** Voices the simulator knows. */
export const googleVoices = [
  { name: 'en-US-Neural2-F', languageCodes: ['en-US'], ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { name: 'en-US-Neural2-D', languageCodes: ['en-US'], ssmlGender: 'MALE', naturalSampleRateHertz: 24000 },
  { name: 'en-GB-Neural2-A', languageCodes: ['en-GB'], ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
  { name: 'fr-FR-Standard-A', languageCodes: ['fr-FR'], ssmlGender: 'FEMALE', naturalSampleRateHertz: 24000 },
] as const;

/** A WAV header for 8-bit G.711 samples (format 7 μ-law, 6 A-law), as Google wraps MULAW and ALAW. */
function g711WavHeader(sampleRate: number, dataBytes: number, formatCode: number): Uint8Array {
  const header = new Uint8Array(46);
  const view = new DataView(header.buffer);
  const text = (offset: number, value: string) => {
    for (let index = 0; index < value.length; index++) header[offset + index] = value.charCodeAt(index);
  };
  text(0, 'RIFF');
  view.setUint32(4, 38 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 18, true);
  view.setUint16(20, formatCode, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  view.setUint16(36, 0, true);
  text(38, 'data');
  view.setUint32(42, dataBytes, true);
  return header;
}

function concat(chunks: Iterable<Uint8Array>): Buffer {
  return Buffer.concat([...chunks]);
}

/** The clip Google would send for an `audioConfig`: LINEAR16, MULAW and ALAW inside a WAV container. */
export function googleAudioContent(encoding: string, sampleRate: number, seconds: number): Buffer | undefined {
  const make = (format: SyntheticAudioFormat) => concat(syntheticAudioChunks(format, seconds));
  switch (encoding) {
    case 'LINEAR16':
      return make({ encoding: 'wav', sampleRate });
    case 'MULAW':
    case 'ALAW': {
      const samples = make({ encoding: encoding === 'MULAW' ? 'mulaw' : 'alaw', sampleRate });
      return Buffer.concat([g711WavHeader(sampleRate, samples.length, encoding === 'MULAW' ? 7 : 6), samples]);
    }
    case 'MP3':
      return make({ encoding: 'mp3', sampleRate, bitrateKbps: 32 });
    case 'OGG_OPUS':
      return make({ encoding: 'opus', sampleRate, bitrateKbps: 32 });
    default:
      return undefined;
  }
}

function synthesize(exchange: SimulatorExchange, auth: GoogleCloudAuth, options: GoogleCloudSimulatorOptions): void {
  if (!auth.authorize(exchange)) return;
  const { request, response } = exchange;
  const body = (request.json ?? {}) as {
    input?: { text?: unknown; ssml?: unknown };
    voice?: { languageCode?: unknown; name?: unknown };
    audioConfig?: { audioEncoding?: unknown; sampleRateHertz?: unknown };
  };
  const text = typeof body.input?.text === 'string' ? body.input.text : undefined;
  if (!text) {
    sendJson(response, 400, googleCloudErrorBody(400, 'Either `input.text` or `input.ssml` is required.'));
    return;
  }
  const voice = googleVoices.find((entry) => entry.name === body.voice?.name);
  if (!voice?.languageCodes.includes(body.voice?.languageCode as never)) {
    sendJson(
      response,
      400,
      googleCloudErrorBody(400, `Voice '${String(body.voice?.name)}' does not exist. Is it misspelled?`),
    );
    return;
  }
  const sampleRate = typeof body.audioConfig?.sampleRateHertz === 'number' ? body.audioConfig.sampleRateHertz : 24000;
  const audio = googleAudioContent(
    String(body.audioConfig?.audioEncoding),
    sampleRate,
    speechDurationSeconds(text, options.secondsPerCharacter),
  );
  if (!audio) {
    sendJson(response, 400, googleCloudErrorBody(400, 'Invalid value at audio_config.audio_encoding'));
    return;
  }
  sendJson(response, 200, { audioContent: audio.toString('base64') });
}

/** `POST /v1/text:synthesize` (base64 `audioContent`) and `GET /v1/voices`. */
export function googleTtsRoutes(auth: GoogleCloudAuth, options: GoogleCloudSimulatorOptions = {}): SimulatorRoute[] {
  return [
    { method: 'POST', path: '/v1/text:synthesize', handler: (exchange) => synthesize(exchange, auth, options) },
    {
      method: 'GET',
      path: '/v1/voices',
      handler: (exchange) => {
        if (!auth.authorize(exchange)) return;
        const language = exchange.request.query.get('languageCode');
        sendJson(exchange.response, 200, {
          voices: googleVoices.filter((voice) => !language || voice.languageCodes.includes(language as never)),
        });
      },
    },
  ];
}
