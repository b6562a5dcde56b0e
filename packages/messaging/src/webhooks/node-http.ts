import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultMaxBodyBytes, type WebhookHandler } from './webhook-http.js';

export interface NodeWebhookListenerOptions {
  /**
   * Public origin the vendor called (`https://api.example.com`), used to build the Request URL.
   * Default: `http(s)://` + the Host header. Twilio signs the full public URL, so set this (or the
   * Twilio handler's `url`) behind a proxy.
   */
  origin?: string | undefined;
  /** Cap on a body read from the stream (default: the handler's own `maxBodyBytes`, else 1 MiB). */
  maxBodyBytes?: number | undefined;
}

type NodeRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** Reads the stream up to `maxBytes`; beyond that stops keeping chunks and answers undefined at once. */
function readStream(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.byteLength;
      if (total > maxBytes) {
        cleanup();
        // Keep consuming (and discarding) what the client still sends, so it can read our 413.
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function plain(outgoing: ServerResponse, status: number, text: string, close = false): void {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  // The rest of an unread body would be read as the next request on a kept-alive connection.
  if (close) headers.connection = 'close';
  outgoing.writeHead(status, headers);
  outgoing.end(text);
}

/**
 * Adapts a Fetch API webhook handler to Node's `(req, res)` — for `node:http`, Express and
 * Connect-style servers. Uses a raw body a middleware already read (`express.raw()` puts a Buffer
 * on `req.body`), else reads the stream, capped at the handler's own `maxBodyBytes` (Twilio 1 MiB,
 * Meta 4 MiB) unless `options.maxBodyBytes` says otherwise. A body over the cap answers 413 with
 * `Connection: close` (the unread rest is discarded, never parsed as a next request). A body already
 * parsed into an object cannot be verified: that request answers 500 and names the fix. A Host
 * header that is not a valid host answers 400.
 */
export function toNodeListener(
  handler: WebhookHandler | ((request: Request) => Promise<Response>),
  options: NodeWebhookListenerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const maxBytes = options.maxBodyBytes ?? (handler as WebhookHandler).maxBodyBytes ?? defaultMaxBodyBytes;
  return async (incoming, outgoing) => {
    const request = incoming as NodeRequest;
    try {
      const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
      let url: string;
      try {
        const origin = options.origin ?? `${encrypted ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`;
        url = new URL(request.originalUrl ?? request.url ?? '/', origin).toString();
      } catch {
        plain(outgoing, 400, 'Malformed Host header or request target', !request.complete);
        if (!request.complete) request.resume();
        return;
      }
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
          plain(
            outgoing,
            500,
            'Webhook body was parsed before signature verification: give this route the raw body (express.raw())',
          );
          return;
        } else {
          const declared = Number(request.headers['content-length']);
          const raw =
            Number.isFinite(declared) && declared > maxBytes ? undefined : await readStream(request, maxBytes);
          if (raw === undefined) {
            if (!request.complete) request.resume();
            plain(outgoing, 413, `Payload too large (limit ${maxBytes} bytes)`, true);
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
