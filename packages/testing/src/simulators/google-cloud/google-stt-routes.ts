import type { SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendJson } from '../framework/index.js';
import { defaultTranscript, simulatedDuration, simulatedWords } from '../shared/simulated-transcription.js';
import { type GoogleCloudAuth, type GoogleCloudSimulatorOptions, googleCloudErrorBody } from './google-cloud-auth.js';

const encodings: Record<string, string | undefined> = {
  LINEAR16: 'linear16',
  MULAW: 'mulaw',
  ALAW: 'alaw',
  FLAC: undefined,
  OGG_OPUS: undefined,
  MP3: undefined,
  WEBM_OPUS: undefined,
  ENCODING_UNSPECIFIED: undefined,
};

const seconds = (value: number) => `${Math.round(value * 1000) / 1000}s`;

function recognize(exchange: SimulatorExchange, auth: GoogleCloudAuth, options: GoogleCloudSimulatorOptions): void {
  if (!auth.authorize(exchange)) return;
  const { request, response } = exchange;
  const body = (request.json ?? {}) as {
    config?: { encoding?: unknown; sampleRateHertz?: unknown; languageCode?: unknown };
    audio?: { content?: unknown; uri?: unknown };
  };
  const config = body.config ?? {};
  if (typeof config.languageCode !== 'string' || config.languageCode === '') {
    sendJson(response, 400, googleCloudErrorBody(400, "Invalid recognition 'config': missing language_code."));
    return;
  }
  const encoding = String(config.encoding ?? 'ENCODING_UNSPECIFIED');
  if (!(encoding in encodings)) {
    sendJson(response, 400, googleCloudErrorBody(400, `Invalid value at 'config.encoding' (${encoding})`));
    return;
  }
  let duration: number;
  if (typeof body.audio?.content === 'string') {
    const bytes = Buffer.from(body.audio.content, 'base64');
    if (bytes.length === 0) {
      sendJson(response, 400, googleCloudErrorBody(400, 'RecognitionAudio not set.'));
      return;
    }
    duration = simulatedDuration(bytes, {
      encoding: encodings[encoding],
      sampleRate: typeof config.sampleRateHertz === 'number' ? config.sampleRateHertz : 16000,
    });
  } else if (typeof body.audio?.uri === 'string') {
    if (!body.audio.uri.startsWith('gs://')) {
      sendJson(
        response,
        400,
        googleCloudErrorBody(400, 'Invalid audio URI: only Cloud Storage (gs://) URIs are supported.'),
      );
      return;
    }
    duration = 2;
  } else {
    sendJson(response, 400, googleCloudErrorBody(400, 'RecognitionAudio not set.'));
    return;
  }
  if (duration > 60) {
    sendJson(
      response,
      400,
      googleCloudErrorBody(
        400,
        "Sync input too long. For audio longer than 1 min use LongRunningRecognize with a 'uri' parameter.",
      ),
    );
    return;
  }
  const words = simulatedWords(options.transcript ?? defaultTranscript, duration);
  sendJson(response, 200, {
    results: words.length
      ? [
          {
            alternatives: [
              {
                transcript: words.map((word) => word.word).join(' '),
                confidence: 0.92,
                words: words.map((word) => ({
                  startTime: seconds(word.start),
                  endTime: seconds(word.end),
                  word: word.word,
                })),
              },
            ],
            resultEndTime: seconds(duration),
            languageCode: config.languageCode.toLowerCase(),
          },
        ]
      : [],
    totalBilledTime: `${Math.ceil(duration)}s`,
    requestId: '1234567890',
  });
}

/** `POST /v1/speech:recognize`: synchronous recognition of up to a minute of audio (base64 `content` or a `gs://` uri). */
export function googleSttRoutes(auth: GoogleCloudAuth, options: GoogleCloudSimulatorOptions = {}): SimulatorRoute[] {
  return [{ method: 'POST', path: '/v1/speech:recognize', handler: (exchange) => recognize(exchange, auth, options) }];
}
