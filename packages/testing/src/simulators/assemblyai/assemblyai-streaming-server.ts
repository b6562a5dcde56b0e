import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { defaultTranscript, round } from '../shared/simulated-transcription.js';
import { answerUpgradeFault, refuseUpgrade } from '../shared/websocket-upgrade.js';
import { assemblyaiErrorBody } from './assemblyai-rest-routes.js';

/** A failure of the streaming endpoint, injected with `injectStreaming()`. */
export type AssemblyAIStreamingFault =
  /** Refuse the websocket upgrade with this HTTP status (401, 429 with `retryAfterSeconds`, 503…). */
  | { type: 'status'; status: number; retryAfterSeconds?: number | undefined }
  /** Accept the TCP connection and never answer the upgrade. */
  | { type: 'hang' }
  /** Send this many `Turn` messages, then drop the connection without a close frame (a reset). */
  | { type: 'cut'; afterTurns: number }
  /** Send this many `Turn` messages, then an `Error` frame and a close with `code` (default 3005, server error). */
  | { type: 'close'; afterTurns: number; code?: number | undefined; reason?: string | undefined }
  /** Send this many `Turn` messages, then stop answering: no turns, no close, socket open. */
  | { type: 'silent'; afterTurns: number };

export interface AssemblyAIStreamingOptions {
  transcript?: string | undefined;
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per recognised word (default 0.5). */
  secondsPerWord?: number | undefined;
  /** Recognises each word from its audio window instead of cycling through `transcript` (see the Deepgram one). */
  recognise?: ((window: Uint8Array) => string) | undefined;
  /** Words per turn (default: the number of words in `transcript`). */
  wordsPerTurn?: number | undefined;
}

/** What the simulator saw of one streaming session. */
export interface AssemblyAIStreamingSessionRecord {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  bytesReceived: number;
  turnsSent: number;
  terminateReceived: boolean;
  closed: boolean;
}

const sessionSeconds = 3 * 60 * 60;

/**
 * Universal Streaming v3 (`wss://streaming.assemblyai.com/v3/ws`) on the simulator's own HTTP server. `Begin` on
 * open; audio in, one word per `secondsPerWord` (from the bytes and `sample_rate`/`encoding`); a partial `Turn`
 * per word, the end of a turn every `wordsPerTurn` words (unformatted, then formatted with `format_turns=true`),
 * `SpeechStarted` at the first word of a turn; on `Terminate` the pending turn, `Termination`, and close 1000.
 * Auth: the key in `Authorization`, or a `token` issued by `GET /v3/token`.
 */
export class AssemblyAIStreamingServer {
  readonly sessions: AssemblyAIStreamingSessionRecord[] = [];
  readonly #options: AssemblyAIStreamingOptions;
  readonly #tokens: Set<string>;
  readonly #faults: AssemblyAIStreamingFault[] = [];
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Set<Duplex>();
  #wss: WebSocketServer | undefined;
  #server: Server | undefined;

  constructor(options: AssemblyAIStreamingOptions, tokens: Set<string>) {
    this.#options = options;
    this.#tokens = tokens;
  }

  attach(server: Server): void {
    this.#wss = new WebSocketServer({ noServer: true });
    this.#server = server;
    server.on('upgrade', this.#onUpgrade);
  }

  /** Upgrades left unanswered (the `hang` fault) whose client has not gone yet. */
  get pendingUpgrades(): number {
    return this.#pending.size;
  }

  inject(fault: AssemblyAIStreamingFault, times = 1): void {
    for (let index = 0; index < times; index++) this.#faults.push(fault);
  }

  reset(): void {
    this.#faults.length = 0;
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
    if (url.pathname !== '/v3/ws' || !this.#wss) return;
    const key = request.headers.authorization;
    const token = url.searchParams.get('token');
    const keyValid = typeof key === 'string' && (this.#options.apiKeys ?? ['test-key']).includes(key);
    if (!keyValid && !(token && this.#tokens.has(token))) {
      refuseUpgrade(socket, 401, assemblyaiErrorBody(401, 'unauthorized'));
      return;
    }
    const fault = this.#faults.shift();
    if (answerUpgradeFault(socket, fault, this.#pending, assemblyaiErrorBody)) return;
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
    fault: Exclude<AssemblyAIStreamingFault, { type: 'status' | 'hang' }> | undefined,
  ): void {
    const record: AssemblyAIStreamingSessionRecord = {
      query,
      headers: { ...request.headers },
      bytesReceived: 0,
      turnsSent: 0,
      terminateReceived: false,
      closed: false,
    };
    this.sessions.push(record);
    const words = (this.#options.transcript ?? defaultTranscript).split(/\s+/).filter(Boolean);
    const wordsPerTurn = this.#options.wordsPerTurn ?? words.length;
    const secondsPerWord = this.#options.secondsPerWord ?? 0.5;
    const bytesPerSample = query.get('encoding') === 'pcm_mulaw' ? 1 : 2;
    const bytesPerSecond = Number(query.get('sample_rate') ?? 16_000) * bytesPerSample;
    const formatTurns = query.get('format_turns') === 'true';
    const recognise = this.#options.recognise;
    let unheard: Buffer[] = [];
    let emitted = 0;
    let turnOrder = 0;
    let turn: { text: string; start: number; end: number; confidence: number; word_is_final: boolean }[] = [];
    let stopped = false;

    const send = (message: unknown) => {
      if (!stopped && client.readyState === client.OPEN) client.send(JSON.stringify(message));
    };
    const take = (length: number): Uint8Array => {
      const joined = Buffer.concat(unheard);
      unheard = joined.length > length ? [joined.subarray(length)] : [];
      return joined.subarray(0, length);
    };
    const sendTurn = (endOfTurn: boolean, formatted: boolean) => {
      if (stopped || turn.length === 0) return;
      if (fault !== undefined && record.turnsSent >= fault.afterTurns) {
        stopped = true;
        if (fault.type === 'cut') client.terminate();
        else if (fault.type === 'close') {
          const code = fault.code ?? 3005;
          const reason = fault.reason ?? 'Session Cancelled: An error occurred';
          client.send(JSON.stringify({ type: 'Error', error_code: code, error: reason }));
          client.close(code, reason);
        }
        return;
      }
      const transcript = turn
        .filter((word) => endOfTurn || word.word_is_final)
        .map((word) => word.text)
        .join(' ');
      send({
        type: 'Turn',
        turn_order: turnOrder,
        turn_is_formatted: formatted,
        end_of_turn: endOfTurn,
        transcript,
        end_of_turn_confidence: endOfTurn ? 0.9 : 0.1,
        words: turn.map((word) => ({
          ...word,
          start: Math.round(word.start * 1000),
          end: Math.round(word.end * 1000),
        })),
        utterance: endOfTurn ? transcript : '',
      });
      record.turnsSent++;
    };
    const endTurn = () => {
      if (turn.length === 0) return;
      for (const word of turn) word.word_is_final = true;
      sendTurn(true, false);
      if (formatTurns) sendTurn(true, true);
      turn = [];
      turnOrder++;
    };
    const hear = () => {
      const seconds = record.bytesReceived / bytesPerSecond;
      while (!stopped && (emitted + 1) * secondsPerWord <= seconds + 1e-9) {
        const start = round(emitted * secondsPerWord);
        if (turn.length === 0) send({ type: 'SpeechStarted', timestamp: Math.round(start * 1000) });
        // Words before the newest are final within the turn, as AssemblyAI marks them.
        for (const word of turn) word.word_is_final = true;
        turn.push({
          text: recognise
            ? recognise(take(Math.round(secondsPerWord * bytesPerSecond)))
            : (words[emitted % words.length] as string),
          start,
          end: round(start + secondsPerWord),
          confidence: 0.97,
          word_is_final: false,
        });
        emitted++;
        if (turn.length === wordsPerTurn) endTurn();
        else sendTurn(false, false);
      }
    };

    send({ type: 'Begin', id: randomUUID(), expires_at: Math.floor(Date.now() / 1000) + sessionSeconds });
    client.on('message', (data: RawData, isBinary: boolean) => {
      if (stopped) return;
      if (!isBinary) {
        let message: { type?: string } | undefined;
        try {
          message = JSON.parse(data.toString()) as { type?: string };
        } catch {
          message = undefined;
        }
        if (message?.type === 'ForceEndpoint') endTurn();
        else if (message?.type === 'Terminate') {
          record.terminateReceived = true;
          endTurn();
          const audio = round(record.bytesReceived / bytesPerSecond);
          send({ type: 'Termination', audio_duration_seconds: audio, session_duration_seconds: audio });
          if (!stopped) client.close(1000);
        } else if (message?.type !== 'KeepAlive' && message?.type !== 'UpdateConfiguration') {
          stopped = true;
          client.send(JSON.stringify({ type: 'Error', error_code: 3006, error: 'Invalid Message Type' }));
          client.close(3006, 'Invalid Message Type');
        }
        return;
      }
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data as ArrayBuffer);
      record.bytesReceived += bytes.byteLength;
      if (recognise) unheard.push(bytes);
      hear();
    });
    client.on('close', () => {
      record.closed = true;
    });
  }
}
