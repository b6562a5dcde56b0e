import { getEventListeners } from 'node:events';
import {
  type BreakerEvent,
  createPatchbay,
  type LiveTranscriptionEvent,
  type LiveTranscriptionFailover,
  type LiveTranscriptionRequest,
  type LiveTranscriptionSession,
  type UsageRecord,
} from '@patchbay/core';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { createDeepgramSimulator, type DeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// 8 kHz 16-bit PCM; every word is half a second (8000 bytes) whose samples all hold the word's number, and the
// simulator recognises the word from those bytes: the same audio gives the same words on every member.
const sampleRate = 8000;
const bytesPerWord = 8000;
const wordsPerFinal = 4;

function wordAudio(index: number): Uint8Array {
  const audio = new Uint8Array(bytesPerWord);
  for (let offset = 0; offset < bytesPerWord; offset += 2) {
    audio[offset] = index & 0xff;
    audio[offset + 1] = index >> 8;
  }
  return audio;
}

function recognise(window: Uint8Array): string {
  return `w${(window[0] ?? 0) | ((window[1] ?? 0) << 8)}`;
}

function expectedFinals(words: number): string[] {
  const finals: string[] = [];
  for (let first = 0; first < words; first += wordsPerFinal) {
    const group: string[] = [];
    for (let index = first; index < Math.min(words, first + wordsPerFinal); index++) group.push(`w${index}`);
    finals.push(group.join(' '));
  }
  return finals;
}

let deepgram: DeepgramSimulator;
beforeAll(async () => {
  deepgram = await createDeepgramSimulator({ secondsPerWord: 0.5, wordsPerFinal, recognise }).start();
});
afterAll(async () => {
  await deepgram.close();
});
beforeEach(() => {
  deepgram.reset();
});
afterEach(() => {
  activeClock?.uninstall();
  activeClock = undefined;
});

function fakeClock(toFake: ('setTimeout' | 'clearTimeout')[]): FakeClock {
  activeClock = createFakeClock({ toFake });
  return activeClock;
}

function patchbay(members: string[], usage: UsageRecord[] = [], breaker?: Record<string, number>) {
  const providers = Object.fromEntries(
    members.map((id) => [
      id,
      { kind: 'stt' as const, vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: deepgram.url } },
    ]),
  );
  return createPatchbay({
    config: {
      providers,
      routes: { stt: { providers: members, retry: { maxRetries: 0 } } },
      ...(breaker ? { defaults: { breaker } } : {}),
    },
    factories: [deepgramTranscriberFactory],
    env: false,
    usageSinks: [(record) => usage.push(record)],
  });
}

const request: LiveTranscriptionRequest = { encoding: 'pcm_s16le', sampleRate };

/** Reads the session's events into an array as they come. */
function reader(session: LiveTranscriptionSession) {
  const events: LiveTranscriptionEvent[] = [];
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const event of session.events) events.push(event);
    } catch (error) {
      failure = error;
    }
  })();
  return {
    events,
    done,
    get failure() {
      return failure;
    },
    finals: () => events.flatMap((event) => (event.type === 'transcript' && event.isFinal ? [event] : [])),
    failovers: () => events.filter((event): event is LiveTranscriptionFailover => event.type === 'failover'),
  };
}

// With a fake clock installed, the SDK's zero-delay timers (its connect step) run as the real loop turns. One set
// while the fake clock is itself running a timer is due 1 ms later (fake-timers' rule): `step` moves time that much.
let activeClock: FakeClock | undefined;

async function until(condition: () => boolean, step = 0): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
    await activeClock?.advance(step);
  }
  throw new Error('condition never held');
}

/** Awaits a promise while turning the loop (and a fake clock's zero-delay timers) until it settles. */
async function settled<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  await until(() => done);
  return watched;
}

/** Sends words [from, to), each after the previous word's result has arrived (or a failover has happened). */
async function sendWords(
  session: LiveTranscriptionSession,
  read: ReturnType<typeof reader>,
  from: number,
  to: number,
): Promise<void> {
  for (let index = from; index < to; index++) {
    const seen = read.events.length;
    session.send(wordAudio(index));
    await until(() => read.events.length > seen || read.failure !== undefined);
  }
}

describe('routed live transcription failover', () => {
  it('survives a socket reset mid-utterance: every final exactly once, on the session timeline, metered per member', async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram-a', 'deepgram-b'], usage);
    // Results for words 0-5 (final "w0 w1 w2 w3" then interims for w4, w5), then a reset while w6 is heard.
    deepgram.injectLive({ type: 'cut', afterResults: 6 });
    const routed: unknown[] = [];
    pb.on('failover', (event) => routed.push(event));
    const session = await pb.stt.transcribeLive(request, { tenant: 'acme' });
    const read = reader(session);
    await sendWords(session, read, 0, 6);
    session.send(wordAudio(6));
    await until(() => read.failovers().length === 1);
    expect(session.provider).toBe('deepgram-b');
    await sendWords(session, read, 7, 20);
    await session.finish();
    await read.done;

    expect(read.failure).toBeUndefined();
    expect(read.finals().map((event) => event.text)).toEqual(expectedFinals(20));
    expect(read.finals().map((event) => event.start)).toEqual([0, 2, 4, 6, 8]);
    expect(read.finals()[1]?.words.map((word) => word.start)).toEqual([2, 2.5, 3, 3.5]);
    expect(read.failovers()).toEqual([
      {
        type: 'failover',
        from: 'deepgram-a',
        to: 'deepgram-b',
        errorCode: 'stream_cut',
        at: 2,
        // w4, w5, w6 had reached deepgram-a without a final: sent again.
        secondsReplayed: 1.5,
        secondsLost: 0,
      },
    ]);
    // The router's own failover event says it too (OpenTelemetry and dashboards count it).
    expect(routed).toEqual([
      { route: 'stt', from: 'deepgram-a', to: 'deepgram-b', tenant: 'acme', errorCode: 'stream_cut' },
    ]);
    // Interims of the replayed words came again from deepgram-b: w4 is interim twice, final once.
    const interimW4 = read.events.filter(
      (event) => event.type === 'transcript' && !event.isFinal && event.text === 'w4',
    );
    expect(interimW4).toHaveLength(2);
    expect(session.audioSeconds).toBe(10);
    expect(deepgram.liveSessions.map((record) => record.bytesReceived)).toEqual([7 * bytesPerWord, 16 * bytesPerWord]);
    expect(usage.map((record) => [record.provider, record.outcome, record.quantity, record.replayed])).toEqual([
      ['deepgram-a', 'stream_cut', 3.5, undefined],
      ['deepgram-b', 'success', 8, 1.5],
    ]);
    expect(usage.every((record) => record.tenant === 'acme' && record.unit === 'audio_seconds')).toBe(true);
    pb.close();
  });

  it('fails over on a 1011 close, and past a member that refuses with 429 and Retry-After without waiting', async () => {
    const clock = fakeClock(['setTimeout', 'clearTimeout']);
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram-a', 'deepgram-b', 'deepgram-c'], usage);
    deepgram.injectLive({ type: 'close', afterResults: 1, code: 1011 });
    deepgram.injectLive({ type: 'status', status: 429, retryAfterSeconds: 30 });
    const session = await settled(pb.stt.transcribeLive({ ...request, interimResults: false }));
    const read = reader(session);
    for (let index = 0; index < 12; index++) session.send(wordAudio(index));
    await until(() => read.failovers().length === 1);
    for (let index = 12; index < 16; index++) session.send(wordAudio(index));
    await settled(session.finish());
    await read.done;
    expect(read.finals().map((event) => event.text)).toEqual(expectedFinals(16));
    expect(read.failovers()[0]).toMatchObject({ from: 'deepgram-a', to: 'deepgram-c', errorCode: 'stream_cut' });
    expect(usage.map((record) => [record.provider, record.outcome, record.errorCode])).toEqual([
      ['deepgram-a', 'stream_cut', undefined],
      ['deepgram-b', 'error', 'rate_limited'],
      ['deepgram-c', 'success', undefined],
    ]);
    // The refusal's Retry-After was not waited out: a healthy member was there.
    expect(clock.pendingTimers()).toBe(0);
    pb.close();
  });

  it('fails over when the vendor stops answering for the silence timeout (fake clock)', async () => {
    const clock = fakeClock(['setTimeout', 'clearTimeout']);
    const pb = patchbay(['deepgram-a', 'deepgram-b']);
    deepgram.injectLive({ type: 'silent', afterResults: 4 });
    const session = await settled(pb.stt.transcribeLive({ ...request, failover: { silenceTimeoutMs: 5000 } }));
    const read = reader(session);
    await sendWords(session, read, 0, 4);
    session.send(wordAudio(4));
    session.send(wordAudio(5));
    await until(() => read.events.at(-1)?.type === 'speech-started');
    // The member's last word was before w6: the silence is counted from w6.
    session.send(wordAudio(6));
    await clock.advance(4999);
    expect(read.failovers()).toHaveLength(0);
    await clock.advance(1);
    await until(() => read.failovers().length === 1, 1);
    expect(read.failovers()[0]).toMatchObject({ errorCode: 'timeout', at: 2, secondsReplayed: 1.5, secondsLost: 0 });
    await sendWords(session, read, 7, 8);
    await settled(session.finish());
    await read.done;
    expect(read.finals().map((event) => event.text)).toEqual(expectedFinals(8));
    expect(clock.pendingTimers()).toBe(0);
    pb.close();
  });

  it('replays at most replaySeconds and reports the audio that fell out', async () => {
    const pb = patchbay(['deepgram-a', 'deepgram-b']);
    // No finals at all from deepgram-a: 8 words (4 s) in the buffer, which holds 1.5 s.
    deepgram.injectLive({ type: 'cut', afterResults: 0 });
    const session = await pb.stt.transcribeLive({ ...request, failover: { replaySeconds: 1.5 } });
    const read = reader(session);
    for (let index = 0; index < 8; index++) session.send(wordAudio(index));
    await until(() => read.failovers().length === 1);
    await sendWords(session, read, 8, 9);
    await session.finish();
    await read.done;
    const failover = read.failovers()[0] as LiveTranscriptionFailover;
    expect(failover).toMatchObject({ at: 2.5, secondsLost: 2.5 });
    expect(failover.secondsReplayed).toBeLessThanOrEqual(1.5);
    // deepgram-b heard w5 onwards only, on the session's timeline.
    expect(read.finals()[0]).toMatchObject({ text: 'w5 w6 w7 w8', start: 2.5 });
    pb.close();
  });

  it('close() during a failover leaves no socket, timer or listener behind', async () => {
    const clock = fakeClock(['setTimeout', 'clearTimeout']);
    const pb = patchbay(['deepgram-a', 'deepgram-b']);
    deepgram.injectLive({ type: 'cut', afterResults: 1 });
    deepgram.injectLive({ type: 'hang' });
    const controller = new AbortController();
    const session = await settled(pb.stt.transcribeLive(request, { signal: controller.signal }));
    const read = reader(session);
    await sendWords(session, read, 0, 1);
    session.send(wordAudio(1));
    // deepgram-a is gone and deepgram-b's upgrade hangs: the session is between members.
    await until(() => deepgram.live.pendingUpgrades === 1 && deepgram.liveSessions[0]?.closed === true, 1);
    session.close();
    await read.done;
    await until(() => deepgram.live.pendingUpgrades === 0, 1);
    expect(deepgram.liveSessions.every((record) => record.closed)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(read.failure).toBeUndefined();
    expect(() => session.send(wordAudio(2))).toThrow(/after finish\(\) or close\(\)/);
    pb.close();
  });

  it('finish() during a failover finishes on the next member after the replay', async () => {
    const pb = patchbay(['deepgram-a', 'deepgram-b']);
    deepgram.injectLive({ type: 'cut', afterResults: 5 });
    const session = await pb.stt.transcribeLive(request);
    const read = reader(session);
    await sendWords(session, read, 0, 5);
    session.send(wordAudio(5));
    session.send(wordAudio(6));
    const finished = session.finish();
    await finished;
    await read.done;
    expect(read.finals().map((event) => event.text)).toEqual(expectedFinals(7));
    expect(deepgram.liveSessions[1]?.closeStreamReceived).toBe(true);
    pb.close();
  });

  it('without another member the session ends with stream_cut naming the lost member', async () => {
    const pb = patchbay(['deepgram-a']);
    deepgram.injectLive({ type: 'cut', afterResults: 1 });
    const session = await pb.stt.transcribeLive(request);
    const read = reader(session);
    session.send(wordAudio(0));
    session.send(wordAudio(1));
    await read.done;
    expect(read.failure).toMatchObject({ code: 'stream_cut', provider: 'deepgram-a' });
    await expect(session.finish()).rejects.toMatchObject({ code: 'stream_cut' });
    pb.close();
  });

  it('counts a member lost mid-session against its breaker', async () => {
    const pb = patchbay(['deepgram-a', 'deepgram-b'], [], { minimumCalls: 2, failureThresholdPercent: 40 });
    const states: BreakerEvent[] = [];
    pb.on('breaker', (event) => states.push(event));
    deepgram.injectLive({ type: 'cut', afterResults: 1 });
    const session = await pb.stt.transcribeLive(request);
    const read = reader(session);
    await sendWords(session, read, 0, 1);
    session.send(wordAudio(1));
    await until(() => read.failovers().length === 1);
    // The opening succeeded, the session then broke: one failure in two calls opens the breaker.
    expect(states).toEqual([{ provider: 'deepgram-a', state: 'open' }]);
    session.close();
    await read.done;
    const next = await pb.stt.transcribeLive(request);
    expect(next.provider).toBe('deepgram-b');
    next.close();
    pb.close();
  });

  it("ends with aborted on the caller's signal, without failing over", async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram-a', 'deepgram-b'], usage);
    const controller = new AbortController();
    const session = await pb.stt.transcribeLive(request, { signal: controller.signal });
    const read = reader(session);
    await sendWords(session, read, 0, 2);
    controller.abort();
    await read.done;
    expect(read.failure).toMatchObject({ code: 'aborted' });
    expect(read.failovers()).toEqual([]);
    expect(deepgram.liveSessions).toHaveLength(1);
    await until(() => deepgram.liveSessions[0]?.closed === true);
    expect(usage.map((record) => [record.provider, record.outcome, record.quantity])).toEqual([
      ['deepgram-a', 'aborted', 1],
    ]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    pb.close();
  });

  it.each([
    [{ replaySeconds: -1 }, 'failover.replaySeconds'],
    [{ replaySeconds: Number.NaN }, 'failover.replaySeconds'],
    [{ silenceTimeoutMs: '5s' }, 'failover.silenceTimeoutMs'],
    [{ enabled: 'yes' }, 'failover.enabled'],
  ])('refuses failover options %j as invalid_request naming %s, before opening anything', async (failover, field) => {
    const pb = patchbay(['deepgram-a', 'deepgram-b']);
    const error = await pb.stt
      .transcribeLive({ ...request, failover } as LiveTranscriptionRequest)
      .catch((caught) => caught);
    expect(error).toMatchObject({ code: 'invalid_request', details: { field } });
    expect(deepgram.liveSessions).toHaveLength(0);
    pb.close();
  });

  it("the caller's abort during a failover ends the session with aborted and cancels the opening", async () => {
    const usage: UsageRecord[] = [];
    const pb = patchbay(['deepgram-a', 'deepgram-b'], usage);
    deepgram.injectLive({ type: 'cut', afterResults: 1 });
    deepgram.injectLive({ type: 'hang' });
    const controller = new AbortController();
    const session = await pb.stt.transcribeLive(request, { signal: controller.signal });
    const read = reader(session);
    await sendWords(session, read, 0, 1);
    session.send(wordAudio(1));
    await until(() => deepgram.live.pendingUpgrades === 1);
    controller.abort();
    await read.done;
    expect(read.failure).toMatchObject({ code: 'aborted' });
    await expect(session.finish()).rejects.toMatchObject({ code: 'aborted' });
    await until(() => deepgram.live.pendingUpgrades === 0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(usage.map((record) => [record.provider, record.outcome])).toEqual([
      ['deepgram-a', 'stream_cut'],
      ['deepgram-b', 'aborted'],
    ]);
    pb.close();
  });
});
