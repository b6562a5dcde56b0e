import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { defaultTranscript, rawBytesPerSecond, round } from '../shared/simulated-transcription.js';
import { answerUpgradeFault, refuseUpgrade } from '../shared/websocket-upgrade.js';
import { deepgramErrorBody, deepgramKeyOf } from './deepgram-listen-routes.js';

/** A failure of the live endpoint, injected with `injectLive()`. */
export type DeepgramLiveFault =
  /** Refuse the websocket upgrade with this HTTP status (401, 429 with `retryAfterSeconds`, 503…). */
  | { type: 'status'; status: number; retryAfterSeconds?: number | undefined }
  /** Accept the TCP connection and never answer the upgrade. */
  | { type: 'hang' }
  /** Open the session, send this many `Results` messages, then drop the connection without a close frame (a reset). */
  | { type: 'cut'; afterResults: number }
  /** Open the session, send this many `Results` messages, then close with this code (default 1011, internal error). */
  | { type: 'close'; afterResults: number; code?: number | undefined }
  /** Open the session, send this many `Results` messages, then stop answering: no results, no close, socket open. */
  | { type: 'silent'; afterResults: number };

export interface DeepgramLiveOptions {
  transcript?: string | undefined;
  apiKeys?: readonly string[] | undefined;
  /** Seconds of audio per recognised word (default 0.5): one word per that many bytes of audio. */
  secondsPerWord?: number | undefined;
  /**
   * Recognises each word from the audio itself (the bytes of its `secondsPerWord` window) instead of cycling through
   * `transcript`: the same audio then gives the same words on every session, which is what a replay after a
   * failover needs to be checked exactly.
   */
  recognise?: ((window: Uint8Array) => string) | undefined;
  /** Words per final result (default: the number of words in `transcript`). */
  wordsPerFinal?: number | undefined;
}

/** What the simulator saw of one live session. */
export interface DeepgramLiveSessionRecord {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  bytesReceived: number;
  resultsSent: number;
  closeStreamReceived: boolean;
  closed: boolean;
}

/**
 * Deepgram's streaming endpoint (`wss://…/v1/listen`) on the simulator's own
 * HTTP server. Audio in, `Results` out: one word is "recognised" per
 * `secondsPerWord` of audio (counted from the bytes and the declared encoding),
 * interim results per word when `interim_results=true`, a final result per
 * utterance (the configured transcript, repeated as long as audio keeps coming),
 * `SpeechStarted` with `vad_events=true`, `UtteranceEnd` with `utterance_end_ms`,
 * and on `CloseStream` the pending final, `Metadata`, and a normal close.
 */
export class DeepgramLiveServer {
  readonly sessions: DeepgramLiveSessionRecord[] = [];
  readonly #options: DeepgramLiveOptions;
  readonly #faults: DeepgramLiveFault[] = [];
  readonly #clients = new Set<WebSocket>();
  readonly #pending = new Set<Duplex>();
  #wss: WebSocketServer | undefined;
  #server: Server | undefined;

  constructor(options: DeepgramLiveOptions = {}) {
    this.#options = options;
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

  inject(fault: DeepgramLiveFault, times = 1): void {
    for (let index = 0; index < times; index++) this.#faults.push(fault);
  }

  reset(): void {
    this.#faults.length = 0;
    this.sessions.length = 0;
  }

  /** Terminates every client and pending upgrade; the HTTP server is the simulator's to close. */
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
    if (url.pathname !== '/v1/listen' || !this.#wss) {
      refuseUpgrade(socket, 404, deepgramErrorBody(404, 'Not found'));
      return;
    }
    const key = deepgramKeyOf(request.headers.authorization);
    if (!key || !(this.#options.apiKeys ?? ['test-key']).includes(key)) {
      refuseUpgrade(socket, 401, deepgramErrorBody(401, 'Invalid credentials.'));
      return;
    }
    const fault = this.#faults.shift();
    if (answerUpgradeFault(socket, fault, this.#pending, deepgramErrorBody)) return;
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
    fault: Exclude<DeepgramLiveFault, { type: 'status' | 'hang' }> | undefined,
  ): void {
    const record: DeepgramLiveSessionRecord = {
      query,
      headers: { ...request.headers },
      bytesReceived: 0,
      resultsSent: 0,
      closeStreamReceived: false,
      closed: false,
    };
    this.sessions.push(record);
    const words = (this.#options.transcript ?? defaultTranscript).split(/\s+/).filter(Boolean);
    const wordsPerFinal = this.#options.wordsPerFinal ?? words.length;
    const recognise = this.#options.recognise;
    // Kept only while words are recognised from the audio, and only the part not yet heard.
    let unheard: Buffer[] = [];
    const secondsPerWord = this.#options.secondsPerWord ?? 0.5;
    const channels = Number(query.get('channels') ?? 1);
    const bytesPerSecond =
      rawBytesPerSecond(query.get('encoding'), Number(query.get('sample_rate') ?? 16_000), channels) ?? 32_000;
    const interim = query.get('interim_results') === 'true';
    const vad = query.get('vad_events') === 'true';
    const utteranceEnd = query.has('utterance_end_ms');
    const requestId = randomUUID();
    let emitted = 0;
    let utterance: { word: string; start: number; end: number; confidence: number }[] = [];
    let stopped = false;

    const send = (message: unknown) => {
      if (!stopped && client.readyState === client.OPEN) client.send(JSON.stringify(message));
    };
    const sendResults = (isFinal: boolean, fromFinalize = false) => {
      if (stopped || utterance.length === 0) return;
      if (fault !== undefined && record.resultsSent >= fault.afterResults) {
        stopped = true;
        if (fault.type === 'cut') client.terminate();
        else if (fault.type === 'close') client.close(fault.code ?? 1011, 'simulated internal error');
        // 'silent': the socket stays open and nothing more is said.
        return;
      }
      const first = utterance[0] as { start: number };
      const last = utterance[utterance.length - 1] as { end: number };
      send({
        type: 'Results',
        channel_index: [0, 1],
        duration: round(last.end - first.start),
        start: first.start,
        is_final: isFinal,
        speech_final: isFinal,
        from_finalize: fromFinalize,
        channel: {
          alternatives: [
            {
              transcript: utterance.map((word) => word.word).join(' '),
              confidence: 0.98,
              words: utterance.map((word) => ({ ...word, punctuated_word: word.word })),
            },
          ],
        },
        metadata: {
          request_id: requestId,
          model_info: { name: query.get('model') ?? 'base', version: 'simulated', arch: 'sim' },
          model_uuid: 'simulated-model-uuid',
        },
      });
      record.resultsSent++;
      if (isFinal) {
        if (utteranceEnd) send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: last.end });
        utterance = [];
      }
    };
    const take = (length: number): Uint8Array => {
      const joined = Buffer.concat(unheard);
      unheard = joined.length > length ? [joined.subarray(length)] : [];
      return joined.subarray(0, length);
    };
    const hear = () => {
      const seconds = record.bytesReceived / bytesPerSecond;
      while (!stopped && (emitted + 1) * secondsPerWord <= seconds + 1e-9) {
        const start = round(emitted * secondsPerWord);
        if (utterance.length === 0 && vad) send({ type: 'SpeechStarted', channel: [0, 1], timestamp: start });
        utterance.push({
          word: recognise
            ? recognise(take(Math.round(secondsPerWord * bytesPerSecond)))
            : (words[emitted % words.length] as string),
          start,
          end: round(start + secondsPerWord),
          confidence: 0.98,
        });
        emitted++;
        if (utterance.length === wordsPerFinal) sendResults(true);
        else if (interim) sendResults(false);
      }
    };

    client.on('message', (data: RawData, isBinary: boolean) => {
      if (stopped) return;
      if (!isBinary) {
        let message: { type?: string } | undefined;
        try {
          message = JSON.parse(data.toString()) as { type?: string };
        } catch {
          message = undefined;
        }
        if (message?.type === 'Finalize') sendResults(true, true);
        if (message?.type === 'CloseStream') {
          record.closeStreamReceived = true;
          sendResults(true, true);
          send({
            type: 'Metadata',
            transaction_key: 'deprecated',
            request_id: requestId,
            sha256: '0'.repeat(64),
            created: new Date().toISOString(),
            duration: round(record.bytesReceived / bytesPerSecond),
            channels,
          });
          if (!stopped) client.close(1000);
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
