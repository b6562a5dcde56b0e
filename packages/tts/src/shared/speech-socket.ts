import type { ClientRequest, IncomingMessage } from 'node:http';
import { lazySdk, PatchbayError } from '@patchbay/core/adapter';
import type { RawData, WebSocket } from 'ws';

/**
 * `ws` is an optional peer, loaded on the first streamed-text call. Neither vendor SDK has a websocket client
 * usable here: `@elevenlabs/elevenlabs-js` has none for input streaming, and `@deepgram/sdk`'s speak socket
 * parses every frame as JSON, so Aura's binary audio frames would throw inside it.
 */
const wsModule = lazySdk('ws', () => import('ws'));

/** Most bytes of a refused upgrade's body read for its error. */
const maxRefusalBody = 16 * 1024;
/** Frames queued for a slow reader before the socket is paused (the vendor then waits on TCP). */
const pauseAbove = 64;
const resumeBelow = 8;

/** A refused websocket upgrade: the vendor's HTTP answer, for the adapter's `mapError`. */
export class SpeechSocketRefusal extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;

  constructor(status: number, headers: Headers, body: unknown) {
    super(`The websocket upgrade was refused with HTTP ${status}`);
    this.name = 'SpeechSocketRefusal';
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

export type SocketFrame = { binary: true; data: Uint8Array } | { binary: false; text: string };

export interface SpeechSocket {
  /** Frames as they arrive; ends on a normal close, throws on an abnormal one or on the caller's abort. */
  readonly frames: AsyncIterable<SocketFrame>;
  sendJson(message: unknown): void;
  /** Closes (normally when open, else at once) and releases every listener; safe to call twice. */
  close(): void;
}

export interface SpeechSocketInit {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  vendor: string;
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

async function readBody(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (length >= maxRefusalBody) break;
    chunks.push(chunk);
    length += chunk.length;
  }
  const text = Buffer.concat(chunks).subarray(0, maxRefusalBody).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A normal close is 1000; anything else ended the session early. */
function closeError(vendor: string, code: number, reason: string): PatchbayError {
  const policy = code === 1008;
  return new PatchbayError({
    code: policy ? 'invalid_request' : 'unavailable',
    message: `${vendor} closed the websocket with ${code}${reason ? ` (${reason.slice(0, 200)})` : ''}`,
    vendor,
    vendorCode: `close_${code}`,
    retryable: !policy,
  });
}

/**
 * Opens a websocket to a speech vendor: resolves once open; a refused upgrade rejects with
 * `SpeechSocketRefusal`, a transport failure with the socket's error, the caller's abort with its reason. The
 * caller's signal stays linked until `close()`.
 */
export async function openSpeechSocket(init: SpeechSocketInit): Promise<SpeechSocket> {
  const { WebSocket: Socket } = await wsModule.load(init.signal);
  init.signal?.throwIfAborted();
  const socket: WebSocket = new Socket(init.url, { headers: init.headers, perMessageDeflate: false });
  const queue: SocketFrame[] = [];
  let failure: { error: unknown } | undefined;
  let ended = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    init.signal?.removeEventListener('abort', onAbort);
    socket.removeAllListeners();
    // ws emits 'error' on a socket terminated while connecting: keep a no-op listener so it is not thrown.
    socket.on('error', () => {});
  };
  const fail = (error: unknown) => {
    if (!failure && !ended) failure = { error };
    ended = true;
    notify();
  };
  const onAbort = () => {
    // Audio not yet read is dropped: the caller wants silence now.
    queue.length = 0;
    fail(init.signal?.reason);
    socket.terminate();
    release();
  };

  let onOpeningAbort: (() => void) | undefined;
  await new Promise<void>((resolve, reject) => {
    const settle = (error: unknown) => {
      if (onOpeningAbort) init.signal?.removeEventListener('abort', onOpeningAbort);
      socket.terminate();
      release();
      reject(error);
    };
    if (init.signal?.aborted) return settle(init.signal.reason);
    onOpeningAbort = () => settle(init.signal?.reason);
    init.signal?.addEventListener('abort', onOpeningAbort, { once: true });
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request: ClientRequest, response: IncomingMessage) => {
      void readBody(response).then(
        (body) => settle(new SpeechSocketRefusal(response.statusCode ?? 0, headersOf(response), body)),
        () => settle(new SpeechSocketRefusal(response.statusCode ?? 0, headersOf(response), undefined)),
      );
    });
    socket.once('error', (error) => settle(error));
  });
  // The opening listeners go; the session's own are added.
  if (onOpeningAbort) init.signal?.removeEventListener('abort', onOpeningAbort);
  socket.removeAllListeners();
  if (init.signal?.aborted) {
    socket.terminate();
    throw init.signal.reason;
  }
  init.signal?.addEventListener('abort', onAbort, { once: true });
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    queue.push(
      isBinary
        ? { binary: true, data: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) }
        : { binary: false, text: buffer.toString('utf8') },
    );
    if (!paused && queue.length > pauseAbove) {
      paused = true;
      socket.pause();
    }
    notify();
  });
  socket.on('close', (code: number, reason: Buffer) => {
    if (code !== 1000) fail(closeError(init.vendor, code, reason.toString('utf8')));
    ended = true;
    release();
    notify();
  });
  socket.on('error', (error: Error) => fail(error));

  async function* frames(): AsyncGenerator<SocketFrame> {
    try {
      while (true) {
        const frame = queue.shift();
        if (frame) {
          if (paused && queue.length < resumeBelow) {
            paused = false;
            socket.resume();
          }
          yield frame;
          continue;
        }
        if (failure) throw failure.error;
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      close();
    }
  }

  function close(): void {
    // Everything the session needed has arrived, or nobody listens any more: no closing handshake to wait on
    // (its timer would outlive the call).
    if (socket.readyState !== socket.CLOSED) socket.terminate();
    ended = true;
    release();
    notify();
  }

  return {
    frames: frames(),
    sendJson: (message) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    },
    close,
  };
}
