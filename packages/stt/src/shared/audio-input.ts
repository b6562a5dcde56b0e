import type { AudioEncoding, AudioSource } from '@patchbay/core';

/** True for `{ url }` audio: the vendor fetches it itself. */
export function isUrlAudio(audio: AudioSource): audio is { url: string } {
  return !(audio instanceof Uint8Array) && typeof (audio as { url?: unknown }).url === 'string';
}

/** True for a one-shot byte stream (as opposed to bytes in memory or a URL). */
export function isStreamAudio(audio: AudioSource): audio is AsyncIterable<Uint8Array> {
  return (
    !(audio instanceof Uint8Array) && typeof (audio as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
  );
}

/**
 * A web ReadableStream over a byte iterable that pulls one chunk at a time, so
 * an upload holds at most a chunk or two in memory whatever the audio's length.
 * Counts the bytes it passes on.
 */
export function toByteStream(source: AsyncIterable<Uint8Array>): {
  stream: ReadableStream<Uint8Array>;
  bytes(): number;
} {
  const iterator = source[Symbol.asyncIterator]();
  let total = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else {
          total += next.value.byteLength;
          controller.enqueue(next.value);
        }
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, bytes: () => total };
}

/** Bytes per second of raw audio, or undefined for encodings whose rate the bytes alone don't tell. */
export function rawBytesPerSecond(encoding: AudioEncoding, sampleRate: number, channels = 1): number | undefined {
  if (encoding === 'pcm_s16le') return sampleRate * 2 * channels;
  if (encoding === 'mulaw' || encoding === 'alaw') return sampleRate * channels;
  return undefined;
}

/** Seconds of audio in a WAV file, from its header (undefined when the bytes are not WAV). */
export function wavDurationSeconds(bytes: Uint8Array): number | undefined {
  if (bytes.length < 44) return undefined;
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let byteRate: number | undefined;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    if (tag(offset) === 'fmt ' && offset + 20 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
    // Streamed WAVs may declare a bogus data size; the bytes we have are the truth.
    if (tag(offset) === 'data' && byteRate) return Math.min(size, bytes.length - offset - 8) / byteRate;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** A file name with an extension vendors recognise for this MIME type. */
export function fileNameFor(mimeType: string | undefined): string {
  const subtype = (mimeType ?? '').split(';')[0]?.split('/')[1]?.toLowerCase() ?? '';
  const extension: Record<string, string> = {
    wav: 'wav',
    'x-wav': 'wav',
    wave: 'wav',
    mpeg: 'mp3',
    mp3: 'mp3',
    mp4: 'mp4',
    m4a: 'm4a',
    'x-m4a': 'm4a',
    ogg: 'ogg',
    opus: 'opus',
    webm: 'webm',
    flac: 'flac',
    'x-flac': 'flac',
    aac: 'aac',
  };
  return `audio.${extension[subtype] ?? 'wav'}`;
}

/**
 * Passes a byte stream through while measuring it: total bytes, and the first
 * bytes (enough for a WAV header) to estimate the duration afterwards.
 */
export function measured(source: AsyncIterable<Uint8Array>): {
  stream: AsyncIterable<Uint8Array>;
  bytes(): number;
  durationSeconds(): number | undefined;
} {
  let total = 0;
  let head = new Uint8Array(0);
  async function* pass(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (head.length < 64) {
        const next = new Uint8Array(Math.min(64, head.length + chunk.byteLength));
        next.set(head);
        next.set(chunk.subarray(0, next.length - head.length), head.length);
        head = next;
      }
      yield chunk;
    }
  }
  return {
    stream: pass(),
    bytes: () => total,
    durationSeconds: () => {
      const rate = wavByteRate(head);
      return rate ? Math.max(0, total - 44) / rate : undefined;
    },
  };
}

/** The byte rate in a WAV header, if the bytes start with one. */
export function wavByteRate(bytes: Uint8Array): number | undefined {
  if (bytes.length < 36) return undefined;
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || tag(12) !== 'fmt ') return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(28, true) || undefined;
}

/** ISO 639-1 from a BCP-47 tag (`en-US` → `en`), the form OpenAI and ElevenLabs take. */
export function primaryLanguage(tag: string): string {
  return tag.split(/[-_]/)[0]?.toLowerCase() ?? tag;
}

const languageNames: Record<string, string> = {
  english: 'en',
  eng: 'en',
  spanish: 'es',
  spa: 'es',
  french: 'fr',
  fra: 'fr',
  german: 'de',
  deu: 'de',
  italian: 'it',
  ita: 'it',
  portuguese: 'pt',
  por: 'pt',
  dutch: 'nl',
  nld: 'nl',
  japanese: 'ja',
  jpn: 'ja',
  chinese: 'zh',
  zho: 'zh',
  hindi: 'hi',
  hin: 'hi',
  swahili: 'sw',
  swa: 'sw',
};

/** A vendor's language answer (`english`, `eng`, `en`) as a BCP-47 primary tag where known. */
export function normalizeLanguage(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return languageNames[value.toLowerCase()] ?? value;
}
