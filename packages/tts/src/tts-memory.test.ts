import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPatchbay, type UsageRecord } from '@patchbay/core';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { elevenlabsSpeechSynthesizerFactory } from './elevenlabs/index.js';

// A real collector makes the measurement about retained memory, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const clipSeconds = 30 * 60;
const clipBytes = clipSeconds * 8000; // 8 kHz μ-law: one byte per sample, 14.4 MB
let simulator: ElevenLabsSimulator;

beforeAll(async () => {
  // One second of audio per character: 1800 characters make the 30-minute clip.
  simulator = await createElevenLabsSimulator({ secondsPerCharacter: 1, chunkBytes: 16 * 1024 }).start();
});
afterAll(() => simulator.close());

function footprint(): number {
  // Twice: array buffer memory freed by the first collection is released on a background
  // sweep that the second one waits for.
  collect();
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

it('streams 30 minutes of 8 kHz μ-law through the router with flat memory', { timeout: 30_000 }, async () => {
  const records: UsageRecord[] = [];
  const pb = createPatchbay({
    config: {
      providers: {
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { baseURL: simulator.url, apiKey: 'test-key' } },
      },
    },
    factories: [elevenlabsSpeechSynthesizerFactory],
    env: {},
    usageSinks: [(record) => records.push(record)],
  });
  const text = 'a'.repeat(clipSeconds);
  // Warm up SDK loading and connection setup so they don't count as growth.
  for await (const _chunk of (await pb.tts.stream({ text: 'warm up' })).stream);
  const baseline = footprint();
  const started = performance.now();
  const result = await pb.tts.stream({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
  let bytes = 0;
  let chunks = 0;
  let peak = 0;
  const samples: number[] = [];
  for await (const chunk of result.stream) {
    bytes += chunk.length;
    if (++chunks % 20 === 0) {
      const grown = footprint() - baseline;
      samples.push(grown);
      peak = Math.max(peak, grown);
    }
  }
  const elapsed = performance.now() - started;
  samples.push(footprint() - baseline);
  peak = Math.max(peak, samples.at(-1) as number);
  expect(bytes).toBe(clipBytes);
  const retained = samples.at(-1) as number;
  const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] as number;
  // Nothing on the way (adapter, router, metering) keeps the audio: after the clip the
  // process holds what it held before; while streaming, typically a few hundred KB are in
  // flight. Buffering the clip anywhere would push these towards its 14.4 MB.
  expect(retained).toBeLessThan(1_000_000);
  expect(median).toBeLessThan(clipBytes / 16);
  // Peaks (stream buffers caught mid-flight; both ends of the loopback are in this process).
  expect(peak).toBeLessThan(clipBytes / 8);
  expect(elapsed).toBeLessThan(20_000);
  expect(records.at(-1)).toMatchObject({ outcome: 'success', unit: 'characters', quantity: clipSeconds });
  console.info(
    `30 min μ-law clip: ${(clipBytes / 1e6).toFixed(1)} MB in ${chunks} chunks, ${elapsed.toFixed(0)} ms; growth median ${(median / 1e6).toFixed(2)} MB, peak ${(peak / 1e6).toFixed(2)} MB, retained ${(retained / 1e6).toFixed(2)} MB`,
  );
  pb.close();
});
