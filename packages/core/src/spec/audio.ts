/** Audio encodings Patchbay speaks; `pcm_s16le` is raw 16-bit little-endian PCM, `mulaw` is G.711 μ-law (telephony). */
export type AudioEncoding = 'mp3' | 'wav' | 'pcm_s16le' | 'mulaw' | 'alaw' | 'opus' | 'flac' | 'aac' | 'webm' | 'ogg';

export interface AudioFormat {
  encoding: AudioEncoding;
  /** Hz; required for raw encodings (`pcm_s16le`, `mulaw`, `alaw`). */
  sampleRate?: number | undefined;
  channels?: number | undefined;
}

/** Audio input: bytes, a byte stream, or a URL the vendor fetches itself. */
export type AudioSource = Uint8Array | AsyncIterable<Uint8Array> | { url: string };
