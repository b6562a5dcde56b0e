/**
 * Deterministic audio for the speech simulators (ElevenLabs, OpenAI, Deepgram):
 * a 440 Hz tone in whatever format the request asked for, generated chunk by
 * chunk so that a 30-minute clip never sits in memory. Raw formats are exact
 * (16-bit PCM, G.711 μ-law / A-law, PCM WAV with a valid RIFF header); the
 * compressed ones are the right container framing with silent payloads, sized
 * by bitrate — enough for a client to recognise the format and count bytes.
 */

export type SyntheticEncoding = 'mp3' | 'pcm_s16le' | 'wav' | 'mulaw' | 'alaw' | 'opus' | 'flac' | 'aac';

export interface SyntheticAudioFormat {
  encoding: SyntheticEncoding;
  sampleRate: number;
  /** For compressed encodings. */
  bitrateKbps?: number | undefined;
}

/** Seconds of speech for a text: about 16 characters a second by default. */
export function speechDurationSeconds(text: string, secondsPerCharacter = 0.06): number {
  return Math.max(0.1, text.length * secondsPerCharacter);
}

export function contentTypeOf(encoding: SyntheticEncoding): string {
  switch (encoding) {
    case 'mp3':
      return 'audio/mpeg';
    case 'wav':
      return 'audio/wav';
    case 'mulaw':
      return 'audio/basic';
    case 'alaw':
      return 'audio/x-alaw-basic';
    case 'opus':
      return 'audio/ogg';
    case 'flac':
      return 'audio/flac';
    case 'aac':
      return 'audio/aac';
    default:
      return 'audio/pcm';
  }
}

function sample(index: number, sampleRate: number): number {
  return Math.round(Math.sin((2 * Math.PI * 440 * index) / sampleRate) * 8000);
}

/** G.711 μ-law of one 16-bit sample. */
export function encodeMulaw(value: number): number {
  const bias = 0x84;
  const sign = value < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(value), 32635) + bias;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  magnitude = ~(sign | (exponent << 4) | mantissa);
  return magnitude & 0xff;
}

/** G.711 A-law of one 16-bit sample. */
export function encodeAlaw(value: number): number {
  const sign = value >= 0 ? 0x80 : 0;
  const magnitude = Math.min(Math.abs(value), 32767) >> 3;
  let encoded: number;
  if (magnitude < 32) encoded = magnitude >> 1;
  else {
    let exponent = 1;
    while (magnitude >> (exponent + 5) > 0 && exponent < 7) exponent++;
    encoded = (exponent << 4) | ((magnitude >> (exponent + 1)) & 0x0f);
  }
  return (encoded | sign) ^ 0x55;
}

/** A 44-byte RIFF/WAVE header for 16-bit mono PCM. */
export function wavHeader(sampleRate: number, dataBytes: number): Uint8Array {
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const text = (offset: number, value: string) => {
    for (let index = 0; index < value.length; index++) header[offset + index] = value.charCodeAt(index);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

const mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const mpeg1Rates = [44100, 48000, 32000];
const mpeg2Rates = [22050, 24000, 16000];

/** One silent mono MPEG Layer III frame: a valid header, zero payload. */
function mp3Frame(sampleRate: number, bitrateKbps: number): { frame: Uint8Array; samples: number } {
  const mpeg1 = mpeg1Rates.includes(sampleRate);
  const rateIndex = (mpeg1 ? mpeg1Rates : mpeg2Rates).indexOf(sampleRate);
  const bitrates = mpeg1 ? mpeg1Bitrates : mpeg2Bitrates;
  let bitrateIndex = bitrates.indexOf(bitrateKbps);
  if (bitrateIndex <= 0) bitrateIndex = bitrates.indexOf(mpeg1 ? 128 : 64);
  const kbps = bitrates[bitrateIndex] as number;
  const length = Math.floor(((mpeg1 ? 144_000 : 72_000) * kbps) / (rateIndex < 0 ? 44100 : sampleRate));
  const frame = new Uint8Array(length);
  frame[0] = 0xff;
  frame[1] = mpeg1 ? 0xfb : 0xf3;
  frame[2] = (bitrateIndex << 4) | (Math.max(rateIndex, 0) << 2);
  frame[3] = 0xc0;
  return { frame, samples: mpeg1 ? 1152 : 576 };
}

/** Total bytes the clip will have (for content-length and tests). */
export function syntheticAudioLength(format: SyntheticAudioFormat, durationSeconds: number): number {
  const samples = Math.round(durationSeconds * format.sampleRate);
  switch (format.encoding) {
    case 'pcm_s16le':
      return samples * 2;
    case 'wav':
      return 44 + samples * 2;
    case 'mulaw':
    case 'alaw':
      return samples;
    case 'mp3': {
      const { frame, samples: perFrame } = mp3Frame(format.sampleRate, format.bitrateKbps ?? 128);
      return Math.ceil(samples / perFrame) * frame.length;
    }
    default:
      return Math.max(64, Math.round((durationSeconds * (format.bitrateKbps ?? 64) * 1000) / 8));
  }
}

function magicOf(encoding: SyntheticEncoding): string {
  if (encoding === 'opus') return 'OggS';
  if (encoding === 'flac') return 'fLaC';
  return '\xff\xf1';
}

/**
 * The clip in chunks of about `chunkBytes`, produced lazily: the generator
 * holds one chunk at a time.
 */
export function* syntheticAudioChunks(
  format: SyntheticAudioFormat,
  durationSeconds: number,
  chunkBytes = 4096,
): Generator<Uint8Array> {
  const total = syntheticAudioLength(format, durationSeconds);
  const samples = Math.round(durationSeconds * format.sampleRate);
  if (format.encoding === 'wav') yield wavHeader(format.sampleRate, samples * 2);
  if (format.encoding === 'pcm_s16le' || format.encoding === 'wav') {
    const perChunk = Math.max(1, Math.floor(chunkBytes / 2));
    for (let start = 0; start < samples; start += perChunk) {
      const count = Math.min(perChunk, samples - start);
      const chunk = new Uint8Array(count * 2);
      const view = new DataView(chunk.buffer);
      for (let index = 0; index < count; index++)
        view.setInt16(index * 2, sample(start + index, format.sampleRate), true);
      yield chunk;
    }
    return;
  }
  if (format.encoding === 'mulaw' || format.encoding === 'alaw') {
    const encode = format.encoding === 'mulaw' ? encodeMulaw : encodeAlaw;
    for (let start = 0; start < samples; start += chunkBytes) {
      const count = Math.min(chunkBytes, samples - start);
      const chunk = new Uint8Array(count);
      for (let index = 0; index < count; index++) chunk[index] = encode(sample(start + index, format.sampleRate));
      yield chunk;
    }
    return;
  }
  if (format.encoding === 'mp3') {
    const { frame } = mp3Frame(format.sampleRate, format.bitrateKbps ?? 128);
    const framesPerChunk = Math.max(1, Math.floor(chunkBytes / frame.length));
    for (let written = 0; written < total; ) {
      const frames = Math.min(framesPerChunk, (total - written) / frame.length);
      const chunk = new Uint8Array(frames * frame.length);
      for (let index = 0; index < frames; index++) chunk.set(frame, index * frame.length);
      written += chunk.length;
      yield chunk;
    }
    return;
  }
  const magic = magicOf(format.encoding);
  for (let written = 0; written < total; ) {
    const chunk = new Uint8Array(Math.min(chunkBytes, total - written));
    for (let index = 0; index < magic.length && index < chunk.length; index++) chunk[index] = magic.charCodeAt(index);
    written += chunk.length;
    yield chunk;
  }
}
