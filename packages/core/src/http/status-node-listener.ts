import type { IncomingMessage, ServerResponse } from 'node:http';
import { maxBodyBytesOption } from './http-answers.js';

export interface NodeListenerOptions {
  /** Public origin (`https://status.example.com`) for the Request URL; default `http://` + the Host header. */
  origin?: string | undefined;
  /**
   * Cap on a request body read from the stream; default 1 MiB. A larger body answers 413. A whole number of bytes
   * from 1 to 64 MiB, else `invalid_request` naming `maxBodyBytes` at construction.
   */
  maxBodyBytes?: number | undefined;
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += buffer.byteLength;
      if (total > maxBytes) {
        cleanup();
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
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function refuse(outgoing: ServerResponse, status: number, message: string): void {
  outgoing.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  outgoing.end(JSON.stringify({ error: { code: 'invalid_request', message } }));
}

/**
 * Adapts a Fetch API handler (`createStatusHandler`, …) to Node's `(req, res)` for `node:http`,
 * Express and Connect. A malformed Host answers 400, a body over `maxBodyBytes` 413 (the rest
 * discarded), and a handler that throws 500 — each as a typed JSON error.
 */
export function toNodeListener(
  handler: (request: Request) => Promise<Response>,
  options: NodeListenerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const maxBytes = maxBodyBytesOption(options.maxBodyBytes, 1_048_576);
  return async (incoming, outgoing) => {
    try {
      let url: string;
      try {
        const origin = options.origin ?? `http://${incoming.headers.host ?? 'localhost'}`;
        url = new URL(incoming.url ?? '/', origin).toString();
      } catch {
        if (!incoming.complete) incoming.resume();
        refuse(outgoing, 400, 'Malformed Host header or request target');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      }
      const method = incoming.method ?? 'GET';
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        const declared = Number(incoming.headers['content-length']);
        body = Number.isFinite(declared) && declared > maxBytes ? undefined : await readBody(incoming, maxBytes);
        if (body === undefined) {
          if (!incoming.complete) incoming.resume();
          refuse(outgoing, 413, `Payload too large (limit ${maxBytes} bytes)`);
          return;
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
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      outgoing.end(JSON.stringify({ error: { code: 'unknown', message: 'The request could not be handled' } }));
    }
  };
}
