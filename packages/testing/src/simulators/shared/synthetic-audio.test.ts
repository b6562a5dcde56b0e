import { describe, expect, it } from 'vitest';
import { parseElevenLabsOutputFormat } from '../elevenlabs/elevenlabs-text-to-speech-routes.js';
import {
  encodeAlaw,
  encodeMulaw,
  type SyntheticAudioFormat,
  syntheticAudioChunks,
  syntheticAudioLength,
  wavHeader,
} from './synthetic-audio.js';

describe('synthetic audio', () => {
  it('encodes G.711 like the reference tables', () => {
    expect(encodeMulaw(0)).toBe(0xff);
    expect(encodeMulaw(-1)).toBe(0x7f);
    expect(encodeMulaw(32767)).toBe(0x80);
    expect(encodeAlaw(0)).toBe(0xd5);
    expect(encodeAlaw(-8)).toBe(0x55);
  });

  it.each<SyntheticAudioFormat>([
    { encoding: 'pcm_s16le', sampleRate: 16000 },
    { encoding: 'wav', sampleRate: 22050 },
    { encoding: 'mulaw', sampleRate: 8000 },
    { encoding: 'alaw', sampleRate: 8000 },
    { encoding: 'mp3', sampleRate: 44100, bitrateKbps: 128 },
    { encoding: 'mp3', sampleRate: 22050, bitrateKbps: 32 },
    { encoding: 'opus', sampleRate: 48000, bitrateKbps: 64 },
  ])('chunks %o to exactly its announced length', (format) => {
    let total = 0;
    let largest = 0;
    for (const chunk of syntheticAudioChunks(format, 2.5, 1000)) {
      total += chunk.length;
      largest = Math.max(largest, chunk.length);
    }
    expect(total).toBe(syntheticAudioLength(format, 2.5));
    expect(largest).toBeLessThanOrEqual(1000);
  });

  it('writes MPEG-1 Layer III frames of the right size at 44.1 kHz / 128 kbps', () => {
    const [first] = syntheticAudioChunks({ encoding: 'mp3', sampleRate: 44100, bitrateKbps: 128 }, 1, 4096);
    expect([...(first as Uint8Array).subarray(0, 4)]).toEqual([0xff, 0xfb, 0x90, 0xc0]);
    expect(syntheticAudioLength({ encoding: 'mp3', sampleRate: 44100, bitrateKbps: 128 }, 1)).toBe(39 * 417);
  });

  it('writes a RIFF/WAVE header describing 16-bit mono PCM', () => {
    const header = wavHeader(24000, 48000);
    const view = new DataView(header.buffer);
    expect(new TextDecoder().decode(header.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(36 + 48000);
    expect(view.getUint32(24, true)).toBe(24000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(48000);
  });

  it('understands ElevenLabs output_format ids, refusing combinations the vendor lacks', () => {
    expect(parseElevenLabsOutputFormat('ulaw_8000')).toEqual({
      encoding: 'mulaw',
      sampleRate: 8000,
      bitrateKbps: undefined,
    });
    expect(parseElevenLabsOutputFormat('mp3_44100_192')).toMatchObject({ encoding: 'mp3', bitrateKbps: 192 });
    expect(parseElevenLabsOutputFormat('pcm_11025')).toBeUndefined();
    expect(parseElevenLabsOutputFormat('mp3_44100')).toBeUndefined();
  });
});
