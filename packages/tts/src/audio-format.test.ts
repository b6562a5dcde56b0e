import { wavHeader } from '@patchbay/testing/simulators/elevenlabs';
import { describe, expect, it } from 'vitest';
import { audioDurationSeconds, resolveFormat, type VendorFormatTable, wavDataOffset } from './audio-format.js';

const table: VendorFormatTable = {
  mp3: { sampleRates: [44100, 22050], defaultSampleRate: 44100 },
  pcm_s16le: { sampleRates: [16000, 24000], defaultSampleRate: 24000 },
  aac: { sampleRates: [] },
};
const context = { provider: 'p', vendor: 'acme' };

describe('resolveFormat', () => {
  it('fills in the vendor default sample rate and mono', () => {
    expect(resolveFormat({ encoding: 'pcm_s16le' }, table, context)).toEqual({
      encoding: 'pcm_s16le',
      sampleRate: 24000,
      channels: 1,
    });
    expect(resolveFormat({ encoding: 'mp3', sampleRate: 22050 }, table, context).sampleRate).toBe(22050);
  });

  it.each([
    [{ encoding: 'mulaw', sampleRate: 8000 }, 'cannot produce mulaw'],
    [{ encoding: 'pcm_s16le', sampleRate: 8000 }, 'cannot produce pcm_s16le at 8000 Hz'],
    [{ encoding: 'pcm_s16le', sampleRate: 16000, channels: 2 }, 'mono'],
    [{ encoding: 'aac', sampleRate: 44100 }, 'omit sampleRate'],
  ] as const)('rejects %o as invalid_request on the format field', (format, reason) => {
    let error: unknown;
    try {
      resolveFormat(format, table, context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'invalid_request',
      provider: 'p',
      vendor: 'acme',
      details: { field: 'format', issues: [{ path: 'format' }] },
    });
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain('Supported formats: mp3 (44100, 22050 Hz)');
  });
});

describe('audioDurationSeconds', () => {
  it('is exact for raw encodings and WAV, undefined for compressed ones', () => {
    expect(audioDurationSeconds({ encoding: 'pcm_s16le', sampleRate: 16000 }, new Uint8Array(32000))).toBe(1);
    expect(audioDurationSeconds({ encoding: 'mulaw', sampleRate: 8000 }, new Uint8Array(4000))).toBe(0.5);
    const wav = new Uint8Array(44 + 48000);
    wav.set(wavHeader(24000, 48000));
    expect(wavDataOffset(wav)).toBe(44);
    expect(audioDurationSeconds({ encoding: 'wav', sampleRate: 24000 }, wav)).toBe(1);
    expect(audioDurationSeconds({ encoding: 'mp3', sampleRate: 44100 }, new Uint8Array(1000))).toBeUndefined();
    expect(audioDurationSeconds({ encoding: 'wav', sampleRate: 24000 }, new Uint8Array(10))).toBeUndefined();
  });
});
