import { type MockTranscriber, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { LiveTranscriptionEvent } from '../spec/transcriber.js';

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
