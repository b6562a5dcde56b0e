import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Fault, RecordedRequest } from '../framework/index.js';
import { speechDurationSeconds, syntheticAudioChunks } from '../shared/synthetic-audio.js';
import { holdUpgrade, refuseUpgrade } from '../shared/websocket-upgrade.js';
import {
  type CartesiaSimulatorOptions,
  cartesiaErrorBody,
  cartesiaGeneration,
  cartesiaKeyOf,
} from './cartesia-tts-routes.js';

/**
 * A websocket fault: the framework's faults, plus `error-after` — Cartesia's error
 * event (`{ type: 'error', status_code }`) once that many audio chunks went out.
 */
export type CartesiaWebSocketFault = Fault | { type: 'error-after'; afterChunks: number; status: number };

/** What the simulator saw of one websocket connection. */
export interface CartesiaWebSocketSessionRecord {
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  /** Every message the client sent, parsed. */
  messages: Record<string, unknown>[];
  chunksSent: number;
  closed: boolean;
}

/**
 * Cartesia's `/tts/websocket` on the simulator's HTTP server: generation
 * messages in (one context per `context_id`, text pieces with `continue: true`),
 * base64 `chunk` messages out for each piece, `done` after `continue: false`,
 * `cancel` honoured. Faults: `status` (an error event with that `status_code`),
 * `hang` (the upgrade is never answered), `reset`, `malformed` (a message that is not JSON),
 * `stream-cut` (the connection drops after that many chunks), `delay`.
 */
export class CartesiaWebSocketServer {
  readonly sessions: CartesiaWebSocketSessionRecord[] = [];
  readonly #options: CartesiaSimulatorOptions;
  readonly #record: (request: RecordedRequest) => void;
  readonly #faults: CartesiaWebSocketFault[] = [];
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Set<Duplex>();
  #wss: WebSocketServer | undefined;
  #server: Server | undefined;

  constructor(options: CartesiaSimulatorOptions, record: (request: RecordedRequest) => void) {
    this.#options = options;
    this.#record = record;
  }

  attach(server: Server): void {
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server = server;
    server.on('upgrade', this.#onUpgrade);
  }

  inject(fault: CartesiaWebSocketFault, times = 1): void {
    for (let index = 0; index < times; index++) this.#faults.push(fault);
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  reset(): void {
    this.clearFaults();
    this.sessions.length = 0;
  }

  async close(): Promise<void> {
    this.#server?.off('upgrade', this.#onUpgrade);
    for (const client of this.#clients) client.terminate();
    this.#clients.clear();
    for (const socket of this.#pending) socket.destroy();
    this.#pending.clear();
    const wss = this.#wss;
    this.#wss = undefined;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.#record({
      method: 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: { ...request.headers },
      body: Buffer.alloc(0),
      json: undefined,
      form: undefined,
      receivedAt: Date.now(),
    });
    if (url.pathname !== '/tts/websocket' || !this.#wss) {
      refuseUpgrade(socket, 404, cartesiaErrorBody(404, 'Not found'));
      return;
    }
    const key = cartesiaKeyOf(request.headers, url.searchParams);
    if (!key || !(this.#options.apiKeys ?? ['test-key']).includes(key)) {
      refuseUpgrade(socket, 401, cartesiaErrorBody(401, 'Invalid API key', 'invalid_api_key'));
      return;
    }
    const fault = this.#faults.shift();
    if (fault?.type === 'hang') {
      holdUpgrade(socket, this.#pending);
      return;
    }
    if (fault?.type === 'reset') {
      socket.destroy();
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (client) => {
      this.#clients.add(client);
      client.on('close', () => this.#clients.delete(client));
      this.#session(client, request, url.searchParams, fault);
    });
  };

  #session(
    client: WebSocket,
    request: IncomingMessage,
    query: URLSearchParams,
    fault: CartesiaWebSocketFault | undefined,
  ): void {
    const record: CartesiaWebSocketSessionRecord = {
      headers: { ...request.headers },
      query,
      messages: [],
      chunksSent: 0,
      closed: false,
    };
    this.sessions.push(record);
    const cancelled = new Set<string>();
    let stopped = false;
    let queue = Promise.resolve();
    client.on('close', () => {
      record.closed = true;
      stopped = true;
    });
    const send = (message: unknown) =>
      new Promise<void>((resolve) => {
        if (stopped || client.readyState !== client.OPEN) return resolve();
        client.send(JSON.stringify(message), () => resolve());
      });

    const handle = async (message: Record<string, unknown>) => {
      const contextId = typeof message.context_id === 'string' ? message.context_id : undefined;
      if (message.cancel === true) {
        if (contextId) cancelled.add(contextId);
        return;
      }
      if (fault?.type === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      if (fault?.type === 'status') {
        await send({
          type: 'error',
          done: true,
          status_code: fault.status,
          ...cartesiaErrorBody(fault.status, fault.message ?? `simulated ${fault.status}`),
          context_id: contextId,
        });
        return;
      }
      if (fault?.type === 'malformed') {
        client.send('{"type": "chunk", "data": ');
        return;
      }
      const generation = cartesiaGeneration(message);
      if ('error' in generation) {
        await send({
          type: 'error',
          done: true,
          status_code: generation.error.status,
          ...(generation.error.body as object),
          context_id: contextId,
        });
        return;
      }
      const { format, transcript } = generation;
      if (transcript !== '') {
        const duration = speechDurationSeconds(transcript, this.#options.secondsPerCharacter);
        for (const chunk of syntheticAudioChunks(format, duration, this.#options.chunkBytes ?? 4096)) {
          if (stopped || (contextId && cancelled.has(contextId))) return;
          if (fault?.type === 'error-after' && record.chunksSent >= fault.afterChunks) {
            await send({
              type: 'error',
              done: true,
              status_code: fault.status,
              ...cartesiaErrorBody(fault.status, `simulated ${fault.status} after ${fault.afterChunks} chunks`),
              context_id: contextId,
            });
            return;
          }
          if (fault?.type === 'stream-cut' && record.chunksSent >= fault.afterChunks) {
            stopped = true;
            client.terminate();
            return;
          }
          await send({
            type: 'chunk',
            data: Buffer.from(chunk).toString('base64'),
            done: false,
            status_code: 206,
            step_time: 12,
            context_id: contextId,
          });
          record.chunksSent++;
        }
      }
      if (message.continue !== true && !(contextId && cancelled.has(contextId))) {
        await send({ type: 'done', done: true, status_code: 206, context_id: contextId });
      }
    };

    client.on('message', (data: RawData) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(data.toString()) as Record<string, unknown>;
      } catch {
        void send({ type: 'error', done: true, status_code: 400, ...cartesiaErrorBody(400, 'Message is not JSON') });
        return;
      }
      record.messages.push(message);
      // One message at a time, in order, as Cartesia answers a context's pieces in order.
      queue = queue.then(() => handle(message)).catch(() => {});
    });
  }
}
