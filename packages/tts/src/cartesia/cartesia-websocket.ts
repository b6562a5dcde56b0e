import { randomUUID } from 'node:crypto';

/**
 * A client for Cartesia's text-to-speech websocket (`/tts/websocket`), written
 * on the WHATWG WebSocket Node ships (undici's), with no SDK. One connection
 * carries many contexts; each context is one utterance whose text may arrive
 * in pieces (`continue: true`), so the same module serves `stream()` (one piece)
 * and streamed text input (many pieces, then `continue: false`).
 */

/** The generation fields every message of a context repeats (Cartesia wants them on each). */
export interface CartesiaGeneration {
  model_id: string;
  voice: { mode: 'id'; id: string };
  /** The websocket produces raw audio only. */
  output_format: { container: 'raw'; encoding: string; sample_rate: number };
  language?: string | undefined;
  generation_config?: Record<string, unknown> | undefined;
}

export interface CartesiaWebSocketOptions {
  /** `wss://api.cartesia.ai/tts/websocket` (or the simulator's `ws://…`). */
  url: string;
  apiKey: string;
  /** The `Cartesia-Version` header. */
  version: string;
  /** Aborts the connection attempt and, later, the connection and every context on it. */
  signal?: AbortSignal | undefined;
  /** Replaces the global WebSocket (tests). */
  WebSocket?: typeof globalThis.WebSocket | undefined;
}

/** An `{ type: 'error' }` event from Cartesia: the HTTP-like status and the vendor's error body. */
export class CartesiaStreamError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;

  constructor(body: Record<string, unknown>) {
    super('Cartesia reported an error on the websocket');
    this.name = 'CartesiaStreamError';
    this.status = typeof body.status_code === 'number' ? body.status_code : 500;
    this.body = body;
  }
}

/**
 * The connection failed or closed under a context. `opened` says whether it
 * had opened: a handshake refusal (bad key, rate limit) reaches a WHATWG
 * WebSocket without its HTTP status, so the caller may ask the REST API why.
 */
export class CartesiaConnectionFailure extends Error {
  readonly opened: boolean;
  readonly closeCode: number | undefined;

  constructor(message: string, opened: boolean, closeCode?: number) {
    super(message);
    this.name = 'CartesiaConnectionFailure';
    this.opened = opened;
    this.closeCode = closeCode;
  }
}

type Waiter = { resolve: () => void };

/** One utterance on a connection: text in (`push`, `finish`), audio out (`audio()`). */
export class CartesiaContext {
  readonly id: string;
  readonly #socket: CartesiaWebSocket;
  readonly #generation: CartesiaGeneration;
  readonly #chunks: Uint8Array[] = [];
  #waiter: Waiter | undefined;
  #done = false;
  #failure: unknown;
  #finished = false;
  #reading = false;

  /** @internal made by `CartesiaWebSocket.context()` */
  constructor(socket: CartesiaWebSocket, generation: CartesiaGeneration, id: string) {
    this.#socket = socket;
    this.#generation = generation;
    this.id = id;
  }

  /** Sends a piece of text; more will follow on this context (`continue: true`). */
  push(text: string): void {
    this.#send(text, true);
  }

  /** Sends the last piece (may be empty): Cartesia finishes the utterance and answers `done`. */
  finish(text = ''): void {
    this.#send(text, false);
  }

  /** Asks Cartesia to stop generating for this context and ends `audio()` quietly. */
  cancel(): void {
    if (this.#done) return;
    this.#socket.sendMessage({ context_id: this.id, cancel: true });
    this.#end(undefined);
  }

  /** Audio chunks as they arrive; ends after Cartesia's `done`, throws on an error event or a lost connection. */
  async *audio(): AsyncGenerator<Uint8Array> {
    if (this.#reading) throw new Error('audio() of a Cartesia context can be read once');
    this.#reading = true;
    try {
      while (true) {
        const chunk = this.#chunks.shift();
        if (chunk) {
          yield chunk;
          continue;
        }
        if (this.#failure !== undefined) throw this.#failure;
        if (this.#done) return;
        await new Promise<void>((resolve) => {
          this.#waiter = { resolve };
        });
      }
    } finally {
      // Stopped early (break, an error of the consumer): the vendor need not keep generating.
      if (!this.#done) this.cancel();
    }
  }

  /** True once the context got `done`, failed or was cancelled. */
  get ended(): boolean {
    return this.#done;
  }

  #send(text: string, more: boolean): void {
    // Text for an utterance that already ended (cancelled, failed) has nowhere to go.
    if (this.#done) return;
    if (this.#finished) throw new Error('This Cartesia context already received its last piece of text');
    if (!more) this.#finished = true;
    this.#socket.sendMessage({ ...this.#generation, context_id: this.id, transcript: text, continue: more });
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.resolve();
  }

  /** @internal */
  receive(message: Record<string, unknown>): void {
    if (this.#done) return;
    if (message.type === 'chunk' && typeof message.data === 'string') {
      const audio = Buffer.from(message.data, 'base64');
      if (audio.length) this.#chunks.push(new Uint8Array(audio.buffer, audio.byteOffset, audio.length));
      this.#wake();
    } else if (message.type === 'error') {
      this.#end(new CartesiaStreamError(message));
    } else if (message.type === 'done' || message.done === true) {
      this.#end(undefined);
    }
  }

  /** @internal ends the context, with a failure or cleanly. */
  fail(failure: unknown): void {
    if (!this.#done) this.#end(failure);
  }

  #end(failure: unknown): void {
    this.#done = true;
    this.#failure = failure;
    this.#socket.forget(this.id);
    this.#wake();
  }
}

/** An open connection to Cartesia's websocket. */
export class CartesiaWebSocket {
  readonly #socket: WebSocket;
  readonly #contexts = new Map<string, CartesiaContext>();
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: () => void;
  #closed = false;

  private constructor(socket: WebSocket, signal: AbortSignal | undefined) {
    this.#socket = socket;
    this.#signal = signal;
    this.#onAbort = () => this.#shutdown(signal?.reason ?? new Error('Aborted'));
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    socket.addEventListener('message', (event) => this.#onMessage(event.data));
    socket.addEventListener('close', (event) => {
      const clean = event.code === 1000 && this.#contexts.size === 0;
      this.#shutdown(clean ? undefined : new CartesiaConnectionFailure('Cartesia websocket closed', true, event.code));
    });
  }

  /** Opens a connection; rejects with the abort reason, or a `CartesiaConnectionFailure` (`opened: false`). */
  static connect(options: CartesiaWebSocketOptions): Promise<CartesiaWebSocket> {
    const Implementation = options.WebSocket ?? globalThis.WebSocket;
    const signal = options.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      // Node's WebSocket (undici) takes headers, which keeps the key out of the URL (and out of logs of it).
      const socket = new Implementation(options.url, {
        headers: { 'X-API-Key': options.apiKey, 'Cartesia-Version': options.version },
      } as unknown as string[]);
      socket.binaryType = 'arraybuffer';
      const settle = (outcome: () => void) => {
        signal?.removeEventListener('abort', onAbort);
        socket.removeEventListener('open', onOpen);
        socket.removeEventListener('error', onError);
        outcome();
      };
      const onOpen = () => settle(() => resolve(new CartesiaWebSocket(socket, signal)));
      const onError = () =>
        settle(() => reject(new CartesiaConnectionFailure('Cartesia websocket failed to open', false)));
      const onAbort = () =>
        settle(() => {
          socket.close();
          reject(signal?.reason);
        });
      socket.addEventListener('open', onOpen);
      socket.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** How many contexts are waiting for audio. */
  get activeContexts(): number {
    return this.#contexts.size;
  }

  /** Starts an utterance; send its text with `push`/`finish`, read `audio()`. */
  context(generation: CartesiaGeneration, id: string = randomUUID()): CartesiaContext {
    if (this.#closed) throw new CartesiaConnectionFailure('Cartesia websocket is closed', true);
    const context = new CartesiaContext(this, generation, id);
    this.#contexts.set(id, context);
    return context;
  }

  /** Closes the connection; contexts still waiting end with a connection failure. */
  close(): void {
    this.#shutdown(new CartesiaConnectionFailure('Cartesia websocket closed by the client', true, 1000));
  }

  /** @internal */
  sendMessage(message: Record<string, unknown>): void {
    if (this.#closed) throw new CartesiaConnectionFailure('Cartesia websocket is closed', true);
    this.#socket.send(JSON.stringify(message));
  }

  /** @internal */
  forget(id: string): void {
    this.#contexts.delete(id);
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      // An unreadable message breaks every utterance on the connection: nothing says whose it was.
      this.#shutdown(new CartesiaConnectionFailure('Cartesia sent an unreadable websocket message', true));
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    const id = typeof record.context_id === 'string' ? record.context_id : undefined;
    const target = id === undefined ? undefined : this.#contexts.get(id);
    if (target) target.receive(record);
    else if (record.type === 'error' && id === undefined) {
      // A connection-level error (no context): every context on it fails with it.
      for (const context of [...this.#contexts.values()]) context.receive(record);
    }
  }

  #shutdown(failure: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const context of [...this.#contexts.values()]) {
      context.fail(failure ?? new CartesiaConnectionFailure('Cartesia websocket closed', true));
    }
    this.#contexts.clear();
    if (this.#socket.readyState === 0 || this.#socket.readyState === 1) this.#socket.close(1000);
  }
}

/**
 * Streamed text input on one context: sends each piece of `texts` as it comes
 * (`continue: true`), then an empty final piece, and yields the audio as it arrives.
 * A failure of `texts` cancels the context and is rethrown.
 */
export async function* streamCartesiaText(
  socket: CartesiaWebSocket,
  generation: CartesiaGeneration,
  texts: AsyncIterable<string>,
): AsyncGenerator<Uint8Array> {
  const context = socket.context(generation);
  let inputFailure: { error: unknown } | undefined;
  const sending = (async () => {
    try {
      for await (const text of texts) {
        if (context.ended) return;
        if (text) context.push(text);
      }
      context.finish();
    } catch (error) {
      inputFailure = { error };
      context.cancel();
    }
  })();
  let completed = false;
  try {
    yield* context.audio();
    completed = true;
  } finally {
    // Only a finished utterance waits for the sender; a consumer that stopped early does not wait on slow text.
    if (completed) await sending;
  }
  if (inputFailure) throw inputFailure.error;
}
