import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A failure the simulator produces on demand, the way the real vendor would. */
export type Fault =
  /** Answer with this status and the vendor's own error body (e.g. 401, 403, 429 with `retryAfterSeconds`, 500, 503). */
  | { type: 'status'; status: number; retryAfterSeconds?: number; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer (until the client gives up or the simulator closes). */
  | { type: 'hang' }
  /** Drop the TCP connection without a response. */
  | { type: 'reset' }
  /** Answer 200 with a body that is not valid JSON. */
  | { type: 'malformed' }
  /** For streaming endpoints: send this many chunks/events, then drop the connection. */
  | { type: 'stream-cut'; afterChunks: number }
  /** Answer normally after waiting. */
  | { type: 'delay'; ms: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Parsed when the request was JSON. */
  json: unknown;
  /** Parsed when the request was form-encoded. */
  form: URLSearchParams | undefined;
  receivedAt: number;
}

export interface SimulatorExchange {
  request: RecordedRequest;
  /** Path parameters from `:name` segments. */
  params: Record<string, string>;
  response: ServerResponse;
  /** The stream-cut fault for this request, if one was injected; streaming handlers honour it. */
  streamCut: { afterChunks: number } | undefined;
  /** Resolves when the client goes away (for streaming handlers). */
  closed: Promise<void>;
}

export type SimulatorHandler = (exchange: SimulatorExchange) => Promise<void> | void;

export interface SimulatorRoute {
  method: string;
  /** `/v1/chat/completions`, with `:name` segments for parameters. */
  path: string;
  handler: SimulatorHandler;
}

export interface VendorSimulatorOptions {
  name: string;
  routes: SimulatorRoute[];
  /** The vendor's error body for a status fault or an unknown route. */
  errorBody(status: number, message: string): unknown;
  /** Headers of the vendor's error answer for a status (AWS names the error type in `x-amzn-ErrorType`). */
  errorHeaders?: ((status: number) => Record<string, string>) | undefined;
  /** Headers the vendor sends on every response. */
  headers?: Record<string, string> | undefined;
}

interface PendingFault {
  fault: Fault;
  remaining: number;
  path: string | RegExp | undefined;
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

/**
 * A small HTTP server on 127.0.0.1 speaking one vendor's wire format closely
 * enough that the vendor's own SDK works against it unchanged. It records every
 * request and injects faults on demand. Started and closed by the test; closing
 * destroys every open socket, so nothing outlives the test.
 */
export class VendorSimulator {
  readonly name: string;
  readonly requests: RecordedRequest[] = [];
  readonly #options: VendorSimulatorOptions;
  readonly #routes: Array<SimulatorRoute & { pattern: RegExp; names: string[] }>;
  readonly #faults: PendingFault[] = [];
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #url: string | undefined;

  constructor(options: VendorSimulatorOptions) {
    this.name = options.name;
    this.#options = options;
    this.#routes = options.routes.map((route) => ({ ...route, ...compile(route.path) }));
  }

  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  get url(): string {
    if (!this.#url) throw new Error(`Simulator ${this.name} is not started`);
    return this.#url;
  }

  /** The underlying server, for protocols that upgrade (websockets). */
  get server(): Server {
    if (!this.#server) throw new Error(`Simulator ${this.name} is not started`);
    return this.#server;
  }

  async start(): Promise<this> {
    if (this.#server) return this;
    // node:http is loaded here rather than on import: it is most of `@patchbay/testing`'s cold import.
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.#sendError(response, 500, `simulator failure: ${String(error)}`);
        else response.destroy();
      });
    });
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Makes the next `times` matching requests (default 1) fail this way. */
  inject(fault: Fault, options: { times?: number; path?: string | RegExp } = {}): this {
    this.#faults.push({ fault, remaining: options.times ?? 1, path: options.path });
    return this;
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Forgets recorded requests and pending faults. */
  reset(): void {
    this.requests.length = 0;
    this.clearFaults();
  }

  /** Requests whose path matches. */
  requestsTo(path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((request) =>
      typeof path === 'string' ? request.path === path : path.test(request.path),
    );
  }

  #takeFault(path: string): Fault | undefined {
    const index = this.#faults.findIndex(
      (pending) =>
        pending.path === undefined ||
        (typeof pending.path === 'string' ? pending.path === path : pending.path.test(path)),
    );
    if (index === -1) return undefined;
    const pending = this.#faults[index] as PendingFault;
    pending.remaining--;
    if (pending.remaining <= 0) this.#faults.splice(index, 1);
    return pending.fault;
  }

  async #handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const type = String(incoming.headers['content-type'] ?? '');
    let json: unknown;
    if (type.includes('json') && body.length) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { ...incoming.headers },
      body,
      json,
      form: type.includes('application/x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : undefined,
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    for (const [name, value] of Object.entries(this.#options.headers ?? {})) response.setHeader(name, value);

    const fault = this.#takeFault(url.pathname);
    if (fault?.type === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (fault?.type === 'hang') return;
    if (fault?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.type === 'status') {
      const headers: Record<string, string> = { ...fault.headers };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      this.#sendError(response, fault.status, fault.message ?? `simulated ${fault.status}`, headers);
      return;
    }
    if (fault?.type === 'malformed') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"truncated": ');
      return;
    }
    for (const route of this.#routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      });
      const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
      await route.handler({
        request,
        params,
        response,
        streamCut: fault?.type === 'stream-cut' ? { afterChunks: fault.afterChunks } : undefined,
        closed,
      });
      return;
    }
    this.#sendError(response, 404, `no simulated route for ${request.method} ${url.pathname}`);
  }

  #sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    const vendorHeaders = this.#options.errorHeaders?.(status) ?? {};
    sendJson(response, status, this.#options.errorBody(status, message), { ...vendorHeaders, ...headers });
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/**
 * Writes server-sent events. With a stream cut, the connection drops after
 * `afterChunks` events, as a vendor's stream does when a proxy or the vendor dies.
 */
export async function sendEventStream(
  exchange: SimulatorExchange,
  events: Iterable<{ event?: string; data: string }> | AsyncIterable<{ event?: string; data: string }>,
  options: { intervalMs?: number } = {},
): Promise<void> {
  const { response, streamCut } = exchange;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  let sent = 0;
  for await (const item of events) {
    if (streamCut && sent >= streamCut.afterChunks) {
      response.socket?.destroy();
      return;
    }
    if (response.destroyed) return;
    // Wait for the flush: a cut right after an unflushed write would lose events the test expects to arrive.
    await new Promise<void>((resolve) =>
      response.write(`${item.event ? `event: ${item.event}\n` : ''}data: ${item.data}\n\n`, () => resolve()),
    );
    sent++;
    if (options.intervalMs) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  response.end();
}

/** Writes a chunked binary body (audio), honouring a stream cut. */
export async function sendChunks(
  exchange: SimulatorExchange,
  contentType: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { intervalMs?: number; headers?: Record<string, string> } = {},
): Promise<void> {
  const { response, streamCut } = exchange;
  response.writeHead(200, { 'content-type': contentType, ...options.headers });
  let sent = 0;
  for await (const chunk of chunks) {
    if (streamCut && sent >= streamCut.afterChunks) {
      response.socket?.destroy();
      return;
    }
    if (response.destroyed) return;
    await new Promise<void>((resolve) => response.write(chunk, () => resolve()));
    sent++;
    if (options.intervalMs) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  response.end();
}
