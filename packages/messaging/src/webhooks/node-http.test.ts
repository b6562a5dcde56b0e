import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { computeTwilioSignature, createTwilioWebhookHandler } from '../twilio/twilio-webhook.js';
import { toNodeListener } from './node-http.js';
import type { MessagingWebhookEvent } from './webhook-events.js';

const authToken = 'node-adapter-token';
const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+250788123456' };
let server: Server | undefined;

afterEach(async () => {
  const current = server;
  server = undefined;
  if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
});

async function serve(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(listener);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function collecting(options: { url?: string } = {}) {
  const events: MessagingWebhookEvent[] = [];
  const handler = createTwilioWebhookHandler({ authToken, ...options, onEvent: (event) => void events.push(event) });
  return { events, handler };
}

describe('toNodeListener', () => {
  it('serves a Fetch handler on node:http, reading the raw stream', async () => {
    const { events, handler } = collecting();
    const base = await serve(toNodeListener(handler));
    const url = `${base}/hooks/twilio?tenant=acme`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(events).toEqual([expect.objectContaining({ messageId: 'SM1', status: 'delivered' })]);
  });

  it('builds the URL from a public origin when behind a proxy', async () => {
    const { events, handler } = collecting();
    const base = await serve(toNodeListener(handler, { origin: 'https://api.example.com' }));
    const response = await fetch(`${base}/hooks/twilio`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(authToken, 'https://api.example.com/hooks/twilio', params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
    expect(events).toHaveLength(1);
  });

  it('uses a raw Buffer left on req.body (express.raw) and refuses an already-parsed body', async () => {
    const { events, handler } = collecting({ url: 'https://api.example.com/hooks/twilio' });
    const listener = toNodeListener(handler);
    const body = new URLSearchParams(params).toString();
    const signature = computeTwilioSignature(authToken, 'https://api.example.com/hooks/twilio', params);
    let parsed = false;
    const base = await serve((request, response) => {
      // What express.raw() or express.urlencoded() would have done before the route.
      Object.assign(request, { body: parsed ? params : Buffer.from(body) });
      void listener(request, response);
    });
    const post = () =>
      fetch(`${base}/hooks/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: 'ignored: the middleware already consumed the stream',
      });
    expect((await post()).status).toBe(200);
    parsed = true;
    const refused = await post();
    expect(refused.status).toBe(500);
    expect(await refused.text()).toContain('express.raw()');
    expect(events).toHaveLength(1);
  });

  it('answers 413 to an oversized stream', async () => {
    const { handler } = collecting();
    const base = await serve(toNodeListener(handler, { maxBodyBytes: 16 }));
    const response = await fetch(`${base}/hooks`, { method: 'POST', body: 'x'.repeat(1000) });
    expect(response.status).toBe(413);
  });
});
