import type { Transcriber, TranscriptionRequest } from '@patchbay/core';
import { type ConformanceOptions, commonCases } from './common-cases.js';
import type { ConformanceCase } from './conformance-case.js';
import { assert } from './lazy-node.js';

export interface TranscriberConformanceOptions extends ConformanceOptions<Transcriber> {
  /** A small request the simulator can serve (default: 0.25 s of silent 16 kHz WAV). */
  request?: TranscriptionRequest | undefined;
}

/** A valid 16-bit mono PCM WAV file of silence. */
export function silentWav(seconds = 0.25, sampleRate = 16_000): Uint8Array {
  const samples = Math.round(seconds * sampleRate);
  const buffer = Buffer.alloc(44 + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + samples * 2, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** The cases every Transcriber adapter must pass against its vendor simulator (file transcription). */
export function defineTranscriberConformance(options: TranscriberConformanceOptions): ConformanceCase[] {
  const request = options.request ?? { audio: silentWav(), mimeType: 'audio/wav' };
  return commonCases<Transcriber, Awaited<ReturnType<Transcriber['transcribe']>>>(options, {
    kind: 'stt',
    call: (provider, callOptions) => provider.transcribe(request, callOptions),
    checkSuccess: (result, _provider, expected) => {
      assert.equal(result.provider, expected.id, 'result.provider');
      assert.equal(result.vendor, expected.vendor, 'result.vendor');
      assert.ok(typeof result.model === 'string' && result.model.length > 0, 'result.model');
      assert.equal(typeof result.text, 'string', 'result.text');
      assert.ok(Array.isArray(result.words), 'result.words');
      assert.ok(
        Number.isFinite(result.durationSeconds) && result.durationSeconds > 0,
        `durationSeconds (the billing quantity) must be > 0, got ${result.durationSeconds}`,
      );
    },
    malformedMustFail: true,
    sideEffects: false,
  });
}
