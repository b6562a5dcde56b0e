import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultMaxBodyBytes } from './webhook-http.js';

export interface NodeWebhookListenerOptions {
  /**
   * Public origin the vendor called (`https://api.example.com`), used to build the Request URL.
   * Default: `http(s)://` + the Host header. Twilio signs the full public URL, so set this (or the
   * Twilio handler's `url`) behind a proxy.
   */
  origin?: string | undefined;
  /** Cap on a body read from the stream (default 1 MiB). */
  maxBodyBytes?: number | undefined;
}

type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

async function readStream(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Adapts a Fetch API webhook handler to Node's `(req, res)` — for `node:http`, Express and
 * Connect-style servers. Uses a raw body a middleware already read (`express.raw()` puts a Buffer
 * on `req.body`), else reads the stream. A body already parsed into an object cannot be verified:
 * that request answers 500 and names the fix.
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeWebhookListenerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const maxBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  return async (incoming, outgoing) => {
    const request = incoming as NodeRequest;
    try {
      const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
      const origin = options.origin ?? `${encrypted ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`;
      const url = new URL(request.originalUrl ?? request.url ?? '/', origin).toString();
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      let body: Uint8Array | string | undefined;
      const method = request.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD') {
        if (Buffer.isBuffer(request.body) || typeof request.body === 'string') body = request.body;
        else if (request.body !== undefined && request.body !== null && typeof request.body === 'object') {
          outgoing.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          outgoing.end(
            'Webhook body was parsed before signature verification: give this route the raw body (express.raw())',
          );
          return;
        } else {
          const raw = await readStream(request, maxBytes);
          if (raw === undefined) {
            outgoing.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' });
            outgoing.end('Payload too large');
            return;
          }
          body = raw;
        }
      }
      const response = await handler(new Request(url, { method, headers, body }));
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      outgoing.writeHead(response.status, responseHeaders);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      outgoing.end('Webhook processing failed');
    }
  };
}
