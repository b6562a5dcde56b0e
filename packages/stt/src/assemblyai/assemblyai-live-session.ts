import type { LiveTranscriptionEvent, LiveTranscriptionSession, TranscriptionWord } from '@patchbay/core';
import { httpError, PatchbayError, scrubText, toPatchbayError } from '@patchbay/core/adapter';
import { EventQueue } from '../shared/event-queue.js';
import { assemblyaiCloseCode, assemblyaiErrorCode } from './assemblyai-error.js';

/** The part of a `ws` WebSocket a session uses. */
export interface AssemblyAISocket {
  readonly readyState: number;
  on(event: 'open', listener: () => void): unknown;
  on(event: 'message', listener: (data: unknown, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'unexpected-response', listener: (request: unknown, response: AssemblyAIUpgradeResponse) => void): unknown;
  send(data: Uint8Array | string): void;
  close(code?: number): void;
  terminate(): void;
}

/** The refused upgrade's HTTP response, as `ws` hands it over (a Node IncomingMessage). */
export interface AssemblyAIUpgradeResponse {
  statusCode?: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): void;
}

interface AssemblyAIWord {
  text?: string;
  start?: number;
  end?: number;
  confidence?: number;
  word_is_final?: boolean;
}

interface AssemblyAIMessage {
  type?: string;
  end_of_turn?: boolean;
  turn_is_formatted?: boolean;
  transcript?: string;
  words?: AssemblyAIWord[];
  end_of_turn_confidence?: number;
  timestamp?: number;
  audio_duration_seconds?: number;
  error_code?: number;
  error?: string;
}

export interface AssemblyAILiveSessionInit {
  socket: AssemblyAISocket;
  provider: string;
  model: string;
  /** Bytes per second of the raw encoding (AssemblyAI streams only raw PCM and μ-law). */
  bytesPerSecond: number;
  /** Whether formatted turns were asked for: then only the formatted end of a turn is final. */
  formatTurns: boolean;
  signal: AbortSignal | undefined;
  secrets: readonly (string | undefined)[];
}

type State = 'connecting' | 'open' | 'finishing' | 'done';

const open = 1;

/**
 * One Universal Streaming (v3) session over a websocket. `Turn` messages become transcript events: a turn's
 * partials are interim, its end is final (with `format_turns`, the formatted end only; the unformatted end
 * before it is interim), followed by `utterance-end`. `finish()` sends `Terminate` and resolves on AssemblyAI's
 * `Termination` and normal close; any other close is mapped from its code (and the `Error` frame before it).
 */
export class AssemblyAILiveSession implements LiveTranscriptionSession {
  readonly provider: string;
  readonly vendor = 'assemblyai';
  readonly model: string;
  /** Settles when the websocket opens, or with the refusal or failure that kept it from opening. */
  readonly opened: Promise<void>;
  readonly #socket: AssemblyAISocket;
  readonly #queue = new EventQueue<LiveTranscriptionEvent>();
  readonly #bytesPerSecond: number;
  readonly #formatTurns: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #secrets: readonly (string | undefined)[];
  readonly #done: Promise<void>;
  #resolveOpened!: () => void;
  #rejectOpened!: (error: unknown) => void;
  #resolveDone!: () => void;
  #rejectDone!: (error: unknown) => void;
  #state: State = 'connecting';
  #failure: PatchbayError | undefined;
  #bytes = 0;
  /** The `Error` frame AssemblyAI sends just before an error close. */
  #errorFrame: { code: number | undefined; text: string } | undefined;

  constructor(init: AssemblyAILiveSessionInit) {
    this.provider = init.provider;
    this.model = init.model;
    this.#socket = init.socket;
    this.#bytesPerSecond = init.bytesPerSecond;
    this.#formatTurns = init.formatTurns;
    this.#signal = init.signal;
    this.#secrets = init.secrets;
    this.opened = new Promise<void>((resolve, reject) => {
      this.#resolveOpened = resolve;
      this.#rejectOpened = reject;
    });
    this.#done = new Promise<void>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.opened.catch(() => {});
    this.#done.catch(() => {});
    const socket = init.socket;
    socket.on('open', () => {
      if (this.#state !== 'connecting') return;
      this.#state = 'open';
      this.#resolveOpened();
    });
    socket.on('unexpected-response', (_request, response) => this.#refused(response));
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.#onMessage(String(data));
    });
    socket.on('close', (code, reason) => this.#onClose(code, reason.toString('utf8')));
    socket.on('error', (error) => {
      // Before the upgrade an error is the only news (a refused connection); after it, a close follows.
      if (this.#state === 'connecting') this.#fail(this.#connectionError(error));
    });
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  get events(): AsyncIterable<LiveTranscriptionEvent> {
    return this.#queue;
  }

  get audioSeconds(): number {
    return this.#bytes / this.#bytesPerSecond;
  }

  send(chunk: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    if (this.#state !== 'open') {
      throw new PatchbayError({
        code: 'invalid_request',
        message: 'Audio sent after finish() or close()',
        provider: this.provider,
        vendor: this.vendor,
      });
    }
    if (this.#socket.readyState !== open) {
      throw new PatchbayError({
        code: 'stream_cut',
        message: 'AssemblyAI live session is no longer open',
        provider: this.provider,
        vendor: this.vendor,
      });
    }
    this.#socket.send(chunk);
    this.#bytes += chunk.byteLength;
  }

  finish(): Promise<void> {
    if (this.#state === 'open') {
      this.#state = 'finishing';
      try {
        this.#socket.send(JSON.stringify({ type: 'Terminate' }));
      } catch (error) {
        this.#fail(toPatchbayError(error, { provider: this.provider, vendor: this.vendor }));
      }
    }
    return this.#done;
  }

  close(): void {
    if (this.#state === 'done') return;
    const connecting = this.#state === 'connecting';
    this.#state = 'done';
    this.#cleanup();
    if (connecting) this.#socket.terminate();
    else this.#socket.close(1000);
    this.#queue.end();
    this.#resolveDone();
    this.#rejectOpened(new PatchbayError({ code: 'aborted', message: 'Live session closed while opening' }));
  }

  #onMessage(text: string): void {
    if (this.#state === 'done') return;
    let message: AssemblyAIMessage;
    try {
      message = JSON.parse(text) as AssemblyAIMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'Turn':
        this.#onTurn(message);
        break;
      case 'SpeechStarted':
        this.#queue.push({ type: 'speech-started', timestamp: (message.timestamp ?? 0) / 1000 });
        break;
      case 'Error':
        this.#errorFrame = { code: message.error_code, text: message.error ?? '' };
        break;
      default:
        // Begin and Termination carry nothing the contract needs: audio is metered from the bytes sent.
        break;
    }
  }

  #onTurn(message: AssemblyAIMessage): void {
    const vendorWords = message.words ?? [];
    const isFinal = message.end_of_turn === true && (!this.#formatTurns || message.turn_is_formatted === true);
    if (vendorWords.length === 0 && !isFinal) return;
    const words: TranscriptionWord[] = vendorWords.map((word) => ({
      word: word.text ?? '',
      start: (word.start ?? 0) / 1000,
      end: (word.end ?? 0) / 1000,
      confidence: word.confidence,
    }));
    const start = words[0]?.start ?? 0;
    const end = words.at(-1)?.end ?? start;
    this.#queue.push({
      type: 'transcript',
      isFinal,
      // Partials: the running transcript holds only the finalised words; the words hold them all.
      text: isFinal ? (message.transcript ?? '') : words.map((word) => word.word).join(' '),
      words,
      start,
      duration: end - start,
    });
    if (isFinal) this.#queue.push({ type: 'utterance-end', lastWordEnd: end });
  }

  #onClose(code: number, reason: string): void {
    if (this.#state === 'done') return;
    if (this.#state === 'finishing' && code === 1000) {
      this.#state = 'done';
      this.#cleanup();
      this.#queue.end();
      this.#resolveDone();
      return;
    }
    const frame = this.#errorFrame;
    const closeCode = frame?.code ?? code;
    const text = frame?.text || reason;
    const errorCode = code === 1000 ? 'stream_cut' : assemblyaiCloseCode(closeCode, text);
    this.#fail(
      new PatchbayError({
        code: errorCode,
        message: `AssemblyAI live session ended (close code ${closeCode}${text ? `: ${scrubText(text, this.#secrets)}` : ''})`,
        provider: this.provider,
        vendor: this.vendor,
        vendorCode: closeCode === undefined ? undefined : String(closeCode),
        details: { closeCode: code },
      }),
    );
  }

  /** The upgrade was answered with an HTTP error: its status, `Retry-After` and `{ error }` body decide the code. */
  #refused(response: AssemblyAIUpgradeResponse): void {
    const chunks: Buffer[] = [];
    const status = response.statusCode ?? 0;
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const settle = () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const detail = (body as { error?: unknown } | undefined)?.error;
      this.#fail(
        httpError({
          status,
          headers,
          code: assemblyaiErrorCode(status, body),
          message: `AssemblyAI refused the live session with HTTP ${status}${
            typeof detail === 'string' ? `: ${scrubText(detail, this.#secrets)}` : ''
          }`,
          provider: this.provider,
          vendor: this.vendor,
        }),
      );
      this.#socket.terminate();
    };
    response.on('data', (chunk) => {
      // Error bodies are short; a longer one is not read further.
      if (chunks.reduce((sum, part) => sum + part.length, 0) < 8_192) chunks.push(chunk);
    });
    response.on('end', settle);
    response.on('error', settle);
  }

  #connectionError(error: Error): PatchbayError {
    return toPatchbayError(error, { provider: this.provider, vendor: this.vendor, signal: this.#signal });
  }

  readonly #onAbort = (): void => {
    this.#fail(
      toPatchbayError(this.#signal?.reason, { provider: this.provider, vendor: this.vendor, signal: this.#signal }),
    );
    this.#socket.terminate();
  };

  #fail(error: PatchbayError): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#failure = error;
    this.#cleanup();
    this.#queue.fail(error);
    this.#rejectDone(error);
    this.#rejectOpened(error);
  }

  #cleanup(): void {
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}
