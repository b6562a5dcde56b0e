import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { answerUpgradeFault, refuseUpgrade } from './websocket-upgrade.js';

/** A failure of a speech websocket, injected with `inject()`. */
export type SpeechSocketFault =
  /** Refuse the upgrade with this HTTP status (401, 429 with `retryAfterSeconds`, 503…). */
  | { type: 'status'; status: number; retryAfterSeconds?: number | undefined }
  /** Accept the TCP connection and never answer the upgrade. */
  | { type: 'hang' }
  /** Open the session, send this many audio chunks, then drop the connection without a close frame. */
  | { type: 'cut'; afterAudioChunks: number }
  /** Open the session, take text, and never send audio. */
  | { type: 'stall' };

/** What the simulator saw of one session. */
export interface SpeechSocketSession {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Every JSON message the client sent, parsed. */
  messages: Record<string, unknown>[];
  /** The text received, concatenated. */
  text: string;
  audioChunksSent: number;
  closed: boolean;
}

/** What a vendor's session handler gets. */
export interface SpeechSocketContext {
  client: WebSocket;
  session: SpeechSocketSession;
  fault: SpeechSocketFault | undefined;
  /** Sends one binary frame or JSON text, honouring a `cut` fault; false once the session is gone. */
  sendAudio(chunk: Uint8Array, asJson?: (chunk: Uint8Array) => unknown): boolean;
  sendJson(message: unknown): void;
}

/**
 * A vendor's text-to-speech websocket on its own loopback port: upgrades are checked (path, key) and can be
 * refused, hung or cut by injected faults; each session is recorded. A vendor subclass speaks the wire format.
 */
export abstract class SpeechSocketSimulator {
  readonly sessions: SpeechSocketSession[] = [];
  readonly #faults: SpeechSocketFault[] = [];
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Set<Duplex>();
  #server: Server | undefined;
  #wss: WebSocketServer | undefined;

  /** `ws://127.0.0.1:<port>`: the base URL to configure (`streamingURL`). */
  get url(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('The simulator is not started');
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Open client connections (0 once every session ended). */
  get openConnections(): number {
    return this.#clients.size + this.#pending.size;
  }

  protected abstract accepts(path: string): boolean;
  /** The error body for a refused upgrade, or undefined when the key is accepted. */
  protected abstract authorize(
    request: IncomingMessage,
    query: URLSearchParams,
  ): { status: number; body: unknown } | undefined;
  protected abstract errorBody(status: number, message: string): unknown;
  protected abstract serve(context: SpeechSocketContext): void;

  async start(): Promise<this> {
    const [{ createServer }, { WebSocketServer }] = await Promise.all([import('node:http'), import('ws')]);
    const server = createServer((_request, response) => {
      response.statusCode = 426;
      response.end();
    });
    this.#wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', this.#onUpgrade);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#server = server;
    return this;
  }

  /** Makes the next `times` sessions (default 1) fail this way. */
  inject(fault: SpeechSocketFault, options: { times?: number } = {}): this {
    for (let index = 0; index < (options.times ?? 1); index++) this.#faults.push(fault);
    return this;
  }

  reset(): void {
    this.#faults.length = 0;
    this.sessions.length = 0;
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.terminate();
    this.#clients.clear();
    for (const socket of this.#pending) socket.destroy();
    this.#pending.clear();
    const wss = this.#wss;
    this.#wss = undefined;
    if (wss) await new Promise<void>((resolve) => wss.close(() => resolve()));
    const server = this.#server;
    this.#server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!this.accepts(url.pathname) || !this.#wss) {
      refuseUpgrade(socket, 404, this.errorBody(404, 'Not found'));
      return;
    }
    const refused = this.authorize(request, url.searchParams);
    if (refused) {
      refuseUpgrade(socket, refused.status, refused.body);
      return;
    }
    const fault = this.#faults.shift();
    if (answerUpgradeFault(socket, fault, this.#pending, (status, message) => this.errorBody(status, message))) return;
    this.#wss.handleUpgrade(request, socket, head, (client) => {
      this.#clients.add(client);
      const session: SpeechSocketSession = {
        path: url.pathname,
        query: url.searchParams,
        headers: { ...request.headers },
        messages: [],
        text: '',
        audioChunksSent: 0,
        closed: false,
      };
      this.sessions.push(session);
      client.on('close', () => {
        session.closed = true;
        this.#clients.delete(client);
      });
      const sendJson = (message: unknown) => {
        if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
      };
      const sendAudio = (chunk: Uint8Array, asJson?: (chunk: Uint8Array) => unknown): boolean => {
        if (client.readyState !== client.OPEN) return false;
        if (fault?.type === 'stall') return false;
        if (fault?.type === 'cut' && session.audioChunksSent >= fault.afterAudioChunks) {
          client.terminate();
          return false;
        }
        session.audioChunksSent++;
        if (asJson) sendJson(asJson(chunk));
        else client.send(chunk);
        return true;
      };
      this.serve({ client, session, fault, sendAudio, sendJson });
    });
  };
}
