import { PatchbayError, releaseOnEarlyReturn, toPatchbayError } from '@patchbay/core/adapter';

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

export interface AudioBodyContext {
  provider: string;
  vendor: string;
  /** The caller's signal: a read that fails after it fired is `aborted` (or `timeout`), not a cut. */
  signal: AbortSignal | undefined;
}

/** A vendor's audio response: its body and the content type it declared. */
export interface VendorAudioResponse {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  requestId?: string | undefined;
}

/**
 * A 200 that is not audio (a JSON or HTML page from a proxy, a truncated
 * error) must not be handed to a caller as sound. Vendors label their audio
 * `audio/*` or `application/octet-stream`.
 */
function assertAudio(response: VendorAudioResponse, context: AudioBodyContext): void {
  const type = (response.contentType ?? '').toLowerCase();
  if (type.includes('json') || type.startsWith('text/')) {
    void response.body?.cancel().catch(() => {});
    throw new PatchbayError({
      code: 'unavailable',
      message: `${context.vendor} answered with ${type.split(';')[0]} instead of audio`,
      provider: context.provider,
      vendor: context.vendor,
      vendorCode: 'unexpected_content_type',
      requestId: response.requestId,
    });
  }
}

function readError(caught: unknown, context: AudioBodyContext, bytes: number): PatchbayError {
  if (context.signal?.aborted || PatchbayError.isInstance(caught)) {
    return toPatchbayError(caught, context);
  }
  return new PatchbayError({
    code: 'stream_cut',
    message: `Audio from ${context.vendor} broke off after ${bytes} bytes`,
    provider: context.provider,
    vendor: context.vendor,
    cause: caught,
  });
}

/**
 * Opens a vendor's audio body: waits for the first chunk (so a failure before
 * any audio is still an ordinary, fail-over-able error of the call), then hands
 * out chunks as they arrive. Nothing is buffered; a body that breaks later is
 * a `stream_cut` error, never a silently shorter clip. Stopping early cancels
 * the vendor response.
 */
export async function openAudioStream(
  response: VendorAudioResponse,
  context: AudioBodyContext,
): Promise<AsyncIterable<Uint8Array>> {
  assertAudio(response, context);
  if (!response.body) {
    throw new PatchbayError({
      code: 'unavailable',
      message: `${context.vendor} sent no audio`,
      provider: context.provider,
      vendor: context.vendor,
      requestId: response.requestId,
    });
  }
  const reader = response.body.getReader();
  let first: ReadResult;
  try {
    first = await reader.read();
  } catch (caught) {
    void reader.cancel().catch(() => {});
    throw readError(caught, context, 0);
  }
  if (first.done) {
    throw new PatchbayError({
      code: 'unavailable',
      message: `${context.vendor} sent an empty audio body`,
      provider: context.provider,
      vendor: context.vendor,
      requestId: response.requestId,
    });
  }
  // Ended before its first read (the caller decided not to play it): the generator's `finally` would not run.
  return releaseOnEarlyReturn(relay(first.value, reader, context), async () => {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  });
}

async function* relay(
  first: Uint8Array,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  context: AudioBodyContext,
): AsyncGenerator<Uint8Array> {
  let finished = false;
  let bytes = first.length;
  try {
    yield first;
    while (true) {
      let next: ReadResult;
      try {
        next = await reader.read();
      } catch (caught) {
        finished = true;
        throw readError(caught, context, bytes);
      }
      if (next.done) {
        finished = true;
        return;
      }
      bytes += next.value.length;
      if (next.value.length) yield next.value;
    }
  } finally {
    // The consumer stopped early (break, return, its own error): release the connection.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Reads a whole clip into one buffer. */
export async function collectAudio(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    length += chunk.length;
  }
  const audio = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    audio.set(chunk, offset);
    offset += chunk.length;
  }
  return audio;
}
