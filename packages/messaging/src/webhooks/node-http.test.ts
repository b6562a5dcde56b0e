import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { computeMetaSignature, createMetaWebhookHandler } from '../meta/meta-webhook.js';
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

describe('toNodeListener body limits and connections', () => {
  const metaSecret = 'node-meta-secret';

  function metaBody(bytes: number): string {
    const filler = 'x'.repeat(bytes);
    return JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.big', status: 'read' }], filler } }],
        },
      ],
    });
  }

  it("takes the handler's own limit: a 2 MiB signed Meta webhook is accepted", async () => {
    const events: MessagingWebhookEvent[] = [];
    const handler = createMetaWebhookHandler({
      appSecret: metaSecret,
      verifyToken: 'v',
      onEvent: (e) => void events.push(e),
    });
    const base = await serve(toNodeListener(handler));
    for (const size of [114 * 1024, 2 * 1024 * 1024]) {
      const body = metaBody(size);
      const response = await fetch(`${base}/hooks/meta`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': computeMetaSignature(metaSecret, body) },
        body,
      });
      expect(response.status).toBe(200);
    }
    expect(events).toHaveLength(2);
  });

  it('closes the connection after a 413 so the next request on the same agent succeeds', async () => {
    const { events, handler } = collecting();
    const base = await serve(toNodeListener(handler, { maxBodyBytes: 1024 }));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await nodePost(agent, `${base}/hooks/twilio`, 'x'.repeat(256 * 1024), {});
      expect(first.status).toBe(413);
      expect(first.headers.connection).toBe('close');
      const url = `${base}/hooks/twilio`;
      const body = new URLSearchParams(params).toString();
      const second = await nodePost(agent, url, body, {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(authToken, url, params),
      });
      expect(second.status).toBe(200);
      expect(events).toHaveLength(1);
    } finally {
      agent.destroy();
    }
  });

  it('answers 400 naming the Host header when it is not a valid host', async () => {
    const { handler } = collecting();
    const base = await serve(toNodeListener(handler));
    const { port } = new URL(base);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end('POST /hooks HTTP/1.1\r\nHost: exa mple:99999\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toContain('Malformed Host');
  });
});

function nodePost(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    // The server may answer and close before the whole body is written: that is the point of the test.
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    request.end(body);
  });
}
