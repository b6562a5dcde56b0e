import {
  createFakeClock,
  type MockLiveTranscriptionSession,
  type MockTranscriber,
  mockFactories,
} from '@patchbay/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { LiveTranscriptionEvent } from '../spec/transcriber.js';
import type { UsageRecord } from '../spec/usage.js';

let open: Patchbay[] = [];
afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
});

const stt = (live: unknown) => ({ kind: 'stt' as const, vendor: 'mock', settings: { script: { live } } });
const final = (text: string, start: number, duration: number): LiveTranscriptionEvent => ({
  type: 'transcript',
  isFinal: true,
  text,
  words: [],
  start,
  duration,
});

function patchbay(
  providers: Record<string, { kind: 'stt'; vendor: string; settings: Record<string, unknown> }>,
): Patchbay {
  const instance = createPatchbay({
    config: { providers, routes: { stt: { providers: Object.keys(providers), retry: { maxRetries: 0 } } } },
    factories: mockFactories,
    env: false,
  });
  open.push(instance);
  return instance;
}

async function drain(events: AsyncIterable<LiveTranscriptionEvent>) {
  const seen: LiveTranscriptionEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

describe('RoutedLiveTranscription', () => {
  it('drops a final from the next member that ends no later than the last one delivered, and shifts the rest', async () => {
    const pb = patchbay({
      a: stt({
        events: [{ type: 'speech-started', timestamp: 0 }, final('one', 0, 2)],
        eventDelayMs: 20,
        error: 'stream_cut',
      }),
      // The replay starts at 2 s; "one" again (ending there) is the same final seen twice.
      b: stt({ events: [final('one', 0, 0), final('two', 0, 1)] }),
    });
    const session = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 });
    const reading = drain(session.events);
    // Two seconds of audio reach a before its final for them.
    session.send(new Uint8Array(16_000));
    await new Promise((resolve) => setTimeout(resolve, 40));
    await session.finish();
    const { seen, error } = await reading;
    expect(error).toBeUndefined();
    expect((pb.provider('b') as MockTranscriber).calls).toHaveLength(1);
    expect(seen.filter((event) => event.type === 'transcript').map((event) => [event.text, event.start])).toEqual([
      ['one', 0],
      ['two', 2],
    ]);
    expect(seen.find((event) => event.type === 'failover')).toMatchObject({ from: 'a', to: 'b', at: 2 });
  });

  it('does not fail over compressed audio, which cannot be replayed: the loss is a stream_cut', async () => {
    const pb = patchbay({ a: stt({ events: [final('one', 0, 2)], error: 'stream_cut' }), b: stt({}) });
    const session = await pb.stt.transcribeLive({ encoding: 'opus', sampleRate: 48_000 });
    const { seen, error } = await drain(session.events);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'a' });
    expect(seen.some((event) => event.type === 'failover')).toBe(false);
    expect((pb.provider('b') as MockTranscriber).calls).toHaveLength(0);
  });

  it('keeps a failed member out for the rest of the session, and ends when no member is left', async () => {
    const pb = patchbay({
      a: stt({ events: [], error: 'stream_cut' }),
      b: stt({ events: [], error: 'stream_cut' }),
    });
    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 });
    const { seen, error } = await drain(session.events);
    expect(seen.filter((event) => event.type === 'failover')).toMatchObject([{ from: 'a', to: 'b' }]);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'b' });
    expect((pb.provider('a') as MockTranscriber).calls).toHaveLength(1);
  });
});

describe('RoutedLiveTranscription replay buffer default (failover.replaySeconds: 30 s)', () => {
  /** Sends `seconds` of 8 kHz mu-law audio, one-second chunks whose bytes are the chunk's index; a goes silent. */
  async function failOverAfter(seconds: number) {
    using clock = createFakeClock();
    const usage: UsageRecord[] = [];
    const pb = createPatchbay({
      // a and b answer nothing: a is lost after the default silence timeout (10 s), and b takes over.
      config: {
        providers: { a: stt({ events: [] }), b: stt({ events: [] }) },
        routes: { stt: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
      },
      factories: mockFactories,
      env: false,
      usageSinks: [(record) => usage.push(record)],
    });
    open.push(pb);
    const opened = vi.spyOn(pb.provider('b') as MockTranscriber, 'transcribeLive');
    const session = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 });
    const reading = drain(session.events);
    for (let second = 0; second < seconds; second++) session.send(new Uint8Array(8000).fill(second));
    await clock.advance(10_000);
    await session.finish();
    const { seen, error } = await reading;
    expect(error).toBeUndefined();
    const replay = (await opened.mock.results[0]?.value) as MockLiveTranscriptionSession;
    const received = replay.received.flatMap((chunk) => [...chunk]);
    return {
      failover: seen.find((event) => event.type === 'failover'),
      /** The second each byte b was sent belongs to, run-length encoded: [second, bytes]. */
      replayed: received.reduce<[number, number][]>((runs, byte) => {
        const last = runs.at(-1);
        if (last?.[0] === byte) last[1]++;
        else runs.push([byte, 1]);
        return runs;
      }, []),
      usage: usage.map((record) => [record.provider, record.quantity, record.replayed]),
    };
  }

  it('replays only the last 30 s to the next member: older audio without a final is lost', async () => {
    const { failover, replayed, usage } = await failOverAfter(40);
    expect(failover).toMatchObject({ from: 'a', to: 'b', errorCode: 'timeout' });
    expect(failover).toMatchObject({ at: 10, secondsReplayed: 30, secondsLost: 10 });
    expect(replayed).toEqual(Array.from({ length: 30 }, (_, index) => [10 + index, 8000]));
    expect(usage).toEqual([
      ['a', 40, undefined],
      ['b', 30, 30],
    ]);
  });

  it('replays all of it when the audio since the last final is within 30 s', async () => {
    const { failover, replayed, usage } = await failOverAfter(30);
    expect(failover).toMatchObject({ from: 'a', to: 'b', at: 0, secondsReplayed: 30, secondsLost: 0 });
    expect(replayed).toEqual(Array.from({ length: 30 }, (_, index) => [index, 8000]));
    expect(usage).toEqual([
      ['a', 30, undefined],
      ['b', 30, 30],
    ]);
  });
});

describe('RoutedLiveTranscription capability filter', () => {
  /** A live-capable mock that takes only the given encodings. */
  const sttTaking = (...liveEncodings: string[]) => ({
    kind: 'stt' as const,
    vendor: 'mock',
    settings: { capabilities: { live: true, liveEncodings } },
  });

  it('never tries a member that cannot take the requested encoding', async () => {
    const pb = patchbay({ opusOnly: sttTaking('opus'), mulaw: sttTaking('mulaw', 'pcm_s16le') });
    const session = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 });
    session.send(new Uint8Array(8_000));
    await session.finish();
    const { seen, error } = await drain(session.events);
    expect(error).toBeUndefined();
    expect(seen.some((event) => event.type === 'failover')).toBe(false);
    expect((pb.provider('opusOnly') as MockTranscriber).calls).toHaveLength(0);
    expect((pb.provider('mulaw') as MockTranscriber).calls).toHaveLength(1);
  });

  it('never tries a member that does not declare live, whatever its encodings', async () => {
    const pb = patchbay({
      recordedOnly: { kind: 'stt', vendor: 'mock', settings: { capabilities: { live: false } } },
      live: sttTaking('pcm_s16le'),
    });
    const session = await pb.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 });
    await session.finish();
    expect((await drain(session.events)).error).toBeUndefined();
    expect((pb.provider('recordedOnly') as MockTranscriber).calls).toHaveLength(0);
    expect((pb.provider('live') as MockTranscriber).calls).toHaveLength(1);
  });

  it('calls no vendor when no member takes the requested encoding', async () => {
    const pb = patchbay({ a: sttTaking('opus'), b: sttTaking('pcm_s16le') });
    const error = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((pb.provider('a') as MockTranscriber).calls).toHaveLength(0);
    expect((pb.provider('b') as MockTranscriber).calls).toHaveLength(0);
  });

  it('refuses with invalid_request naming the encoding, before any vendor call, when no member takes it', async () => {
    const pb = patchbay({ a: sttTaking('opus'), b: sttTaking('pcm_s16le') });
    const error = await pb.stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: 'invalid_request', retryable: false });
    expect((error as Error).message).toContain('mulaw');
    expect(error).toMatchObject({ details: { field: 'encoding' } });
    expect((pb.provider('a') as MockTranscriber).calls).toHaveLength(0);
    expect((pb.provider('b') as MockTranscriber).calls).toHaveLength(0);
  });
});
