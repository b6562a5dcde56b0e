import { sendChunks, sendJson, VendorSimulator } from '@patchbay/testing';

/** Keys the simulator accepts. */
export const acmeSimulatorKeys = ['acme-valid-key-1', 'pb-conformance-rotated-7f3c9a51'];

const voices = [
  { id: 'nova', name: 'Nova', language: 'en-US' },
  { id: 'aria', name: 'Aria', language: 'en-GB' },
];

/** Fake MP3 bytes: an ID3 header, then the text so a test can check what was spoken. */
function audioFor(text: string): Uint8Array[] {
  const bytes = Buffer.concat([Buffer.from('ID3'), Buffer.from(text)]);
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += 8) chunks.push(bytes.subarray(start, start + 8));
  return chunks;
}

function authorised(headers: Record<string, string | string[] | undefined>): boolean {
  const match = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''));
  return match?.[1] !== undefined && acmeSimulatorKeys.includes(match[1]);
}

const unauthorised = { error: { code: 'invalid_api_key', message: 'The API key is not valid' } };

/** Acme Speech on 127.0.0.1: `POST /v1/speech` (chunked audio) and `GET /v1/voices`. */
export function createAcmeSpeechSimulator(): VendorSimulator {
  return new VendorSimulator({
    name: 'acme-speech',
    errorBody: (status, message) => ({ error: { code: `http_${status}`, message } }),
    routes: [
      {
        method: 'GET',
        path: '/v1/voices',
        handler: ({ request, response }) => {
          if (!authorised(request.headers)) return sendJson(response, 401, unauthorised);
          sendJson(response, 200, { voices });
        },
      },
      {
        method: 'POST',
        path: '/v1/speech',
        handler: async (exchange) => {
          const { request, response } = exchange;
          if (!authorised(request.headers)) return sendJson(response, 401, unauthorised);
          const body = request.json as { text?: unknown; voice?: unknown } | undefined;
          if (typeof body?.text !== 'string' || body.text.length === 0) {
            return sendJson(response, 400, { error: { code: 'invalid_text', message: 'text is required' } });
          }
          if (body.voice !== undefined && !voices.some((voice) => voice.id === body.voice)) {
            return sendJson(response, 404, { error: { code: 'voice_not_found', message: 'No such voice' } });
          }
          await sendChunks(exchange, 'audio/mpeg', audioFor(body.text), { intervalMs: 2 });
        },
      },
    ],
  });
}
