import type { AudioEncoding, AudioFormat, SpeechSynthesizerCapabilities } from '@patchbay/core';
import { lazySchema, PatchbayError } from '@patchbay/core/adapter';
import { z } from 'zod';

const encodings = ['mp3', 'wav', 'pcm_s16le', 'mulaw', 'alaw', 'opus', 'flac', 'aac', 'webm', 'ogg'] as const;

/** Settings schema for an audio format; adapters use it for their default `format`. */
export const audioFormatSchema = lazySchema(() =>
  z.object({
    encoding: z.enum(encodings),
    sampleRate: z.number().int().positive().optional(),
    channels: z.number().int().positive().optional(),
  }),
);

/**
 * What one vendor can produce, per encoding: the sample rates it offers and
 * the one it uses when the caller names none. An empty `sampleRates` means the
 * vendor's own fixed rate, which the caller cannot choose.
 */
export interface VendorFormatTable {
  readonly [encoding: string]: { readonly sampleRates: readonly number[]; readonly defaultSampleRate?: number };
}

/** The capabilities list the spec asks for, derived from a vendor's table. */
export function formatCapabilities(table: VendorFormatTable): SpeechSynthesizerCapabilities['formats'] {
  return Object.entries(table).map(([encoding, entry]) => ({
    encoding: encoding as AudioEncoding,
    sampleRates: entry.sampleRates,
  }));
}

/** Describes a format for humans: `pcm_s16le at 16000 Hz`. */
export function describeFormat(format: AudioFormat): string {
  return format.sampleRate ? `${format.encoding} at ${format.sampleRate} Hz` : format.encoding;
}

/**
 * Checks that a vendor can produce `format` exactly and fills in the sample
 * rate it will use. Anything else is an `invalid_request` naming `format`:
 * Patchbay never hands back audio in a different format from the one asked for,
 * and never resamples or transcodes.
 */
export function resolveFormat(
  format: AudioFormat,
  table: VendorFormatTable,
  context: { provider: string; vendor: string },
): AudioFormat & { sampleRate: number | undefined; channels: 1 } {
  const entry = table[format.encoding];
  const supported = Object.entries(table).map(([encoding, value]) =>
    value.sampleRates.length ? `${encoding} (${value.sampleRates.join(', ')} Hz)` : encoding,
  );
  const reject = (reason: string) =>
    new PatchbayError({
      code: 'invalid_request',
      message: `Unsupported format for ${context.vendor}: ${reason}. Supported formats: ${supported.join('; ')}`,
      provider: context.provider,
      vendor: context.vendor,
      details: {
        field: 'format',
        issues: [{ path: 'format', message: reason }],
        requested: { ...format },
      },
    });
  if (!entry) throw reject(`${context.vendor} cannot produce ${format.encoding}`);
  if (format.channels !== undefined && format.channels !== 1) {
    throw reject(`${context.vendor} produces mono audio only, not ${format.channels} channels`);
  }
  let sampleRate = format.sampleRate;
  if (sampleRate === undefined) sampleRate = entry.defaultSampleRate ?? entry.sampleRates[0];
  else if (!entry.sampleRates.includes(sampleRate)) {
    throw reject(
      entry.sampleRates.length
        ? `${context.vendor} cannot produce ${format.encoding} at ${sampleRate} Hz`
        : `${context.vendor} produces ${format.encoding} at its own fixed sample rate; omit sampleRate`,
    );
  }
  return { encoding: format.encoding, sampleRate, channels: 1 };
}

/** Bytes per second of raw audio, or undefined for compressed encodings. */
function rawBytesPerSecond(format: AudioFormat): number | undefined {
  if (!format.sampleRate) return undefined;
  const channels = format.channels ?? 1;
  if (format.encoding === 'pcm_s16le') return format.sampleRate * 2 * channels;
  if (format.encoding === 'mulaw' || format.encoding === 'alaw') return format.sampleRate * channels;
  return undefined;
}

/** Offset of the sample data in a RIFF/WAVE file, when the header is complete. */
export function wavDataOffset(audio: Uint8Array): number | undefined {
  const text = (offset: number) => String.fromCharCode(...audio.subarray(offset, offset + 4));
  if (audio.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') return undefined;
  const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
  let offset = 12;
  while (offset + 8 <= audio.length) {
    const size = view.getUint32(offset + 4, true);
    if (text(offset) === 'data') return offset + 8;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/**
 * Seconds of audio in a whole clip, where the encoding makes that exact
 * (raw PCM, μ-law, A-law, 16-bit PCM WAV). Compressed clips report undefined
 * rather than a guess.
 */
export function audioDurationSeconds(format: AudioFormat, audio: Uint8Array): number | undefined {
  if (format.encoding === 'wav') {
    const offset = wavDataOffset(audio);
    if (offset === undefined || !format.sampleRate) return undefined;
    return round((audio.length - offset) / (format.sampleRate * 2 * (format.channels ?? 1)));
  }
  const perSecond = rawBytesPerSecond(format);
  return perSecond ? round(audio.length / perSecond) : undefined;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
