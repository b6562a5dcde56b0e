import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPatchbay, type LiveTranscriptionEvent } from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

// A real collection before each reading, so the figures are what is retained, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function retained(): number {
  // Twice: objects freed by weak callbacks of the first pass go in the second.
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

let simulator: DeepgramSimulator;
beforeAll(async () => {
  simulator = await createDeepgramSimulator({ secondsPerWord: 0.5 }).start();
});
afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.reset();
});

it.each([
  { name: 'one member', failover: false },
  // A reset at minute 15 (the 1800th result): the session moves to the second member and replays its buffer.
  { name: 'a failover at minute 15', failover: true },
])(
  'streams 30 minutes of 8 kHz 16-bit PCM through a routed live session with flat memory ($name)',
  async ({ failover }) => {
    const settings = { apiKey: 'test-key', baseURL: simulator.url };
    const pb = createPatchbay({
      config: {
        providers: {
          deepgram: { kind: 'stt', vendor: 'deepgram', settings },
          'deepgram-b': { kind: 'stt', vendor: 'deepgram', settings },
        },
        routes: { stt: { providers: ['deepgram', 'deepgram-b'], retry: { maxRetries: 0 } } },
      },
      factories: [deepgramTranscriberFactory],
      env: false,
    });
    if (failover) simulator.injectLive({ type: 'cut', afterResults: 1800 });
    const failovers: LiveTranscriptionEvent[] = [];
    const secondsOfAudio = 30 * 60;
    const bytesPerSecond = 8000 * 2;
    const audioBytes = secondsOfAudio * bytesPerSecond;
    const chunk = new Uint8Array(bytesPerSecond);
    let peak = 0;
    const samples: number[] = [];
    let finals = 0;
    let lastFinalEnd = 0;

    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 8000 });
    let baseline = 0;
    const consumed = (async () => {
      for await (const event of session.events) {
        if (event.type === 'failover') failovers.push(event);
        if (event.type === 'transcript' && event.isFinal) {
          finals++;
          lastFinalEnd = event.start + event.duration;
        }
      }
    })();
    const started = performance.now();
    for (let second = 1; second <= secondsOfAudio; second++) {
      session.send(chunk);
      // Let the socket drain and results flow, as a real audio source's pacing would (but far faster than real time).
      await new Promise((resolve) => setImmediate(resolve));
      // Never more than a few seconds ahead of the results, as real-time audio cannot be: a vendor that breaks is
      // then noticed within the replay buffer's reach.
      for (let turn = 0; turn < 1000 && lastFinalEnd < second - 5; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Measured from the first minute on: loading the SDK and warming the code are not costs of the audio's length.
      if (second === 60) baseline = retained();
      if (second % 300 === 0) {
        samples.push(retained() - baseline);
        peak = Math.max(peak, samples.at(-1) as number);
      }
    }
    await session.finish();
    await consumed;
    const elapsed = performance.now() - started;
    const growth = retained() - baseline;
    pb.close();

    expect(session.audioSeconds).toBe(secondsOfAudio);
    if (failover) {
      expect(failovers).toEqual([expect.objectContaining({ from: 'deepgram', to: 'deepgram-b', secondsLost: 0 })]);
      const { at, secondsReplayed } = failovers[0] as { at: number; secondsReplayed: number };
      // The second member heard everything from the last final before the reset on, exactly once.
      expect(at % 2.5).toBe(0);
      expect(secondsReplayed).toBeGreaterThan(0);
      expect(simulator.liveSessions[1]?.bytesReceived).toBe(audioBytes - at * bytesPerSecond);
    } else {
      expect(failovers).toEqual([]);
      expect(simulator.liveSessions[0]?.bytesReceived).toBe(audioBytes);
    }
    expect(lastFinalEnd).toBe(secondsOfAudio);
    expect(finals).toBe((secondsOfAudio * 2) / 5);
    // 28.8 MB went through; what stays in memory must be a small fraction of it.
    expect(peak).toBeLessThan(audioBytes / 20);
    expect(growth).toBeLessThan(audioBytes / 20);
    // Flat, not slowly climbing: the last five minutes hold no more than the first five.
    expect((samples.at(-1) as number) - (samples[0] as number)).toBeLessThan(audioBytes / 20);
    console.info(
      `live: ${(audioBytes / 1e6).toFixed(1)} MB of audio in ${Math.round(elapsed)} ms; ` +
        `retained growth every 5 min ${samples.map((sample) => (sample / 1e6).toFixed(2)).join(', ')} MB; ` +
        `after finish ${(growth / 1e6).toFixed(2)} MB`,
    );
  },
  60_000,
);
