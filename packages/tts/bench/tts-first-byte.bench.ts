/**
 * Time to the first audio byte: ElevenLabs SDK called directly vs the Patchbay
 * adapter vs the adapter behind the router (`createPatchbay`), all against the
 * same local ElevenLabs simulator, same request (200 characters, 8 kHz μ-law,
 * streaming endpoint). Each iteration reads the whole clip so connections are
 * reused the same way in every variant; the figure printed at the end is the
 * time from the call to the first chunk in hand. Bounded: 300 measured
 * iterations per variant after 30 warm-up ones.
 *
 * Run: pnpm exec vitest bench --run packages/tts/bench
 */
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { createPatchbay, type Patchbay } from '@patchbay/core';
import { createElevenLabsSimulator, type ElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { roundOrder } from '../../../scripts/round-order.mjs';
import {
  createElevenLabsSpeechSynthesizer,
  type ElevenLabsSpeechSynthesizer,
  elevenlabsSpeechSynthesizerFactory,
} from '../src/elevenlabs/index.js';

const text = 'Thank you for calling. Your appointment is confirmed for Tuesday at ten. '.repeat(3).slice(0, 200);
const voice = 'JBFqnCBsd6RMkjVDRZzb';
const options = { iterations: 300, warmupIterations: 30, time: 0, warmupTime: 0 };
const firstByte: Record<string, number[]> = { sdk: [], adapter: [], router: [] };

let simulator: ElevenLabsSimulator;
let client: ElevenLabsClient;
let adapter: ElevenLabsSpeechSynthesizer;
let patchbay: Patchbay;

beforeAll(async () => {
  simulator = await createElevenLabsSimulator({ characterLimit: Number.MAX_SAFE_INTEGER }).start();
  client = new ElevenLabsClient({ apiKey: 'test-key', baseUrl: simulator.url, maxRetries: 0 });
  adapter = createElevenLabsSpeechSynthesizer({ apiKey: 'test-key', baseURL: simulator.url, env: {} });
  patchbay = createPatchbay({
    config: {
      providers: {
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { apiKey: 'test-key', baseURL: simulator.url } },
      },
    },
    factories: [elevenlabsSpeechSynthesizerFactory],
    env: {},
  });
});

afterAll(async () => {
  const stats = (samples: number[]) => {
    const measured = samples.slice(options.warmupIterations).sort((a, b) => a - b);
    const at = (share: number) => measured[Math.min(measured.length - 1, Math.floor(share * measured.length))] ?? NaN;
    return { n: measured.length, median: at(0.5), p95: at(0.95) };
  };
  const sdkMedian = stats(firstByte.sdk as number[]).median;
  const rows = Object.entries(firstByte).map(([variant, samples]) => {
    const { n, median, p95 } = stats(samples);
    const ratio = (median / sdkMedian).toFixed(2);
    return `${variant.padEnd(8)} n=${n}  median ${median.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms  ${ratio} × SDK`;
  });
  console.info(
    `\nTime to first audio byte (ElevenLabs simulator, 200 chars, μ-law 8 kHz): ${options.warmupIterations} warm-up ` +
      `then ${options.iterations} rounds, each calling the SDK, the adapter and the router once in a new order\n` +
      rows.join('\n'),
  );
  patchbay.close();
  await simulator.close();
});

async function drain(stream: AsyncIterable<Uint8Array>, started: number, samples: number[]): Promise<void> {
  let first = true;
  for await (const _chunk of stream) {
    if (first) {
      samples.push(performance.now() - started);
      first = false;
    }
  }
}

const variants: Array<[keyof typeof firstByte, () => Promise<void>]> = [
  [
    'sdk',
    async () => {
      const started = performance.now();
      const body = await client.textToSpeech.stream(voice, { text, outputFormat: 'ulaw_8000' }, { maxRetries: 0 });
      await drain(body, started, firstByte.sdk as number[]);
    },
  ],
  [
    'adapter',
    async () => {
      const started = performance.now();
      const result = await adapter.stream({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
      await drain(result.stream, started, firstByte.adapter as number[]);
    },
  ],
  [
    'router',
    async () => {
      const started = performance.now();
      const result = await patchbay.tts.stream({ text, format: { encoding: 'mulaw', sampleRate: 8000 } });
      await drain(result.stream, started, firstByte.router as number[]);
    },
  ],
];

const runs = new Map(variants);
let round = 0;

describe('time to first audio byte', () => {
  // The three variants take turns within every iteration (in a new order each time), so
  // load on a shared machine hits them alike instead of whichever ran during a spike.
  bench(
    'SDK directly, adapter, router — one call each per iteration',
    async () => {
      for (const name of roundOrder([...runs.keys()], round++) as string[]) await runs.get(name)?.();
    },
    options,
  );
});
