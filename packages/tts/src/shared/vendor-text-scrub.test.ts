import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { failureOf } from '@patchbay/testing/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElevenLabsSpeechSynthesizer } from '../elevenlabs/index.js';

// A vendor that echoes the key it was sent inside its error text.
const apiKey = 'el-canary-key-4d91c7a2';
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ detail: { status: 'voice_not_found', message: `No such voice for key ${apiKey}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('vendor text reaching a speech error is scrubbed', () => {
  it('cuts the call key out of the message and the JSON', async () => {
    const speech = createElevenLabsSpeechSynthesizer({ apiKey, baseURL: url, env: {} });
    const error = await failureOf(speech.synthesize({ text: 'Hello' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('No such voice');
    expect(error.message).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
  });
});
