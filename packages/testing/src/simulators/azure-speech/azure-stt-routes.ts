import type { SimulatorExchange, SimulatorRoute } from '../framework/index.js';
import { sendJson } from '../framework/index.js';
import {
  defaultTranscript,
  multipartForm,
  simulatedDuration,
  simulatedWords,
} from '../shared/simulated-transcription.js';
import { azureKeyOf, azureSpeechErrorBody } from './azure-speech-error-body.js';
import type { AzureSpeechSimulatorOptions } from './azure-tts-routes.js';

async function transcribe(exchange: SimulatorExchange, options: AzureSpeechSimulatorOptions): Promise<void> {
  const { request, response } = exchange;
  const key = azureKeyOf(request);
  if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
    sendJson(response, 401, azureSpeechErrorBody(401, 'Access denied'));
    return;
  }
  const version = request.query.get('api-version');
  if (!version) {
    sendJson(
      response,
      400,
      azureSpeechErrorBody(400, 'The api-version query parameter is required.', 'MissingApiVersion'),
    );
    return;
  }
  const form = await multipartForm(request);
  const audio = form?.get('audio');
  const definitionText = form?.get('definition');
  if (!(audio instanceof Blob)) {
    sendJson(response, 400, azureSpeechErrorBody(400, 'Audio file is missing.', 'EmptyAudioFile'));
    return;
  }
  let definition: { locales?: unknown } = {};
  if (typeof definitionText === 'string') {
    try {
      definition = JSON.parse(definitionText) as { locales?: unknown };
    } catch {
      sendJson(response, 400, azureSpeechErrorBody(400, 'The definition is not valid JSON.', 'InvalidPayload'));
      return;
    }
  }
  const bytes = new Uint8Array(await audio.arrayBuffer());
  if (bytes.length === 0) {
    sendJson(response, 422, azureSpeechErrorBody(422, 'The audio file is empty.', 'EmptyAudioFile'));
    return;
  }
  const locale =
    Array.isArray(definition.locales) && typeof definition.locales[0] === 'string' ? definition.locales[0] : 'en-US';
  const duration = simulatedDuration(bytes);
  const words = simulatedWords(options.transcript ?? defaultTranscript, duration);
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const text = words.map((word) => word.word).join(' ');
  sendJson(response, 200, {
    durationMilliseconds: ms(duration),
    combinedPhrases: [{ text }],
    phrases: words.length
      ? [
          {
            offsetMilliseconds: ms(words[0]?.start ?? 0),
            durationMilliseconds: ms((words.at(-1)?.end ?? 0) - (words[0]?.start ?? 0)),
            text,
            words: words.map((word) => ({
              text: word.word,
              offsetMilliseconds: ms(word.start),
              durationMilliseconds: ms(word.end - word.start),
            })),
            locale,
            confidence: 0.93,
          },
        ]
      : [],
  });
}

/** Fast transcription: `POST /speechtotext/transcriptions:transcribe?api-version=…` (multipart `audio` + `definition`). */
export function azureSttRoutes(options: AzureSpeechSimulatorOptions = {}): SimulatorRoute[] {
  return [
    {
      method: 'GET',
      path: '/speechtotext/transcriptions/locales',
      handler: ({ request, response }) => {
        const key = azureKeyOf(request);
        if (!key || !(options.apiKeys ?? ['test-key']).includes(key)) {
          sendJson(response, 401, azureSpeechErrorBody(401, 'Access denied'));
          return;
        }
        sendJson(response, 200, { Submit: ['en-US', 'en-GB', 'fr-FR'], Transcribe: ['en-US', 'en-GB', 'fr-FR'] });
      },
    },
    {
      method: 'POST',
      path: '/speechtotext/transcriptions:transcribe',
      handler: (exchange) => transcribe(exchange, options),
    },
  ];
}
