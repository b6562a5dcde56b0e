/**
 * Deterministic stand-ins for speech recognition, shared by the transcription
 * simulators (Deepgram, OpenAI, ElevenLabs): durations come from the audio's
 * byte length and declared format, words from a configured transcript spread
 * evenly over that duration. Nothing here decodes audio.
 */
import type { RecordedRequest } from '../framework/index.js';
import { wavHeader } from './synthetic-audio.js';

export const defaultTranscript = 'hello from the patchbay simulator';

export interface SimulatedWord {
  word: string;
  start: number;
  end: number;
  confidence: number;
}

/** Bytes per second of a raw (headerless) encoding, or undefined for compressed ones. */
export function rawBytesPerSecond(
  encoding: string | null | undefined,
  sampleRate: number,
  channels = 1,
): number | undefined {
  switch (encoding) {
    case 'linear16':
    case 'pcm_s16le':
    case 'l16':
      return sampleRate * 2 * channels;
    case 'linear32':
      return sampleRate * 4 * channels;
    case 'mulaw':
    case 'alaw':
    case 'ulaw':
      return sampleRate * channels;
    default:
      return undefined;
  }
}

/** Reads the byte rate from a RIFF/WAVE header (`fmt ` chunk), if the bytes start with one. */
export function wavByteRate(bytes: Uint8Array): number | undefined {
  if (bytes.length < 44) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    if (tag(offset) === 'fmt ' && offset + 20 <= bytes.length) return view.getUint32(offset + 16, true) || undefined;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/**
 * Seconds of audio in `bytes`: WAV from its header, raw PCM/μ-law from the
 * declared encoding and rate, anything else as 16 kHz 16-bit mono (the
 * simulators' documented assumption for compressed formats).
 */
export function simulatedDuration(
  bytes: Uint8Array,
  format: { encoding?: string | null | undefined; sampleRate?: number | undefined; channels?: number | undefined } = {},
): number {
  const rate =
    wavByteRate(bytes) ?? rawBytesPerSecond(format.encoding, format.sampleRate ?? 16_000, format.channels) ?? 32_000;
  const headerless = wavByteRate(bytes) ? Math.max(0, bytes.length - 44) : bytes.length;
  return round(headerless / rate);
}

/** A valid 16-bit mono PCM WAV file of `seconds` of silence: test audio whose duration every simulator agrees on. */
export function silentWav(seconds: number, sampleRate = 16_000): Uint8Array {
  const dataBytes = Math.round(seconds * sampleRate) * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  bytes.set(wavHeader(sampleRate, dataBytes));
  return bytes;
}

/** The transcript's words spread evenly over `duration` seconds. */
export function simulatedWords(transcript: string, duration: number): SimulatedWord[] {
  const words = transcript.split(/\s+/).filter(Boolean);
  if (words.length === 0 || duration <= 0) return [];
  const slot = duration / words.length;
  return words.map((word, index) => ({
    word,
    start: round(index * slot),
    end: round((index + 1) * slot),
    confidence: 0.98,
  }));
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The form of a multipart upload (the recording and its options), or undefined when it cannot be parsed. */
export async function multipartForm(request: RecordedRequest): Promise<FormData | undefined> {
  try {
    return await new Request('http://simulator/', {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type'] ?? '') },
      body: request.body,
    }).formData();
  } catch {
    return undefined;
  }
}
