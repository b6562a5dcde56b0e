import { describe, expect, it } from 'vitest';
import { failureOf as failure } from '../conformance/conformance-assertions.js';
import { MockMessagingProvider } from './mock-messaging-provider.js';
import { MockSpeechSynthesizer } from './mock-speech-synthesizer.js';
import { MockTranscriber } from './mock-transcriber.js';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('MockSpeechSynthesizer', () => {
  it('streamText speaks each piece as it arrives, records the text and counts characters', async () => {
    const tts = new MockSpeechSynthesizer();
    async function* pieces() {
      yield 'Hello ';
      yield '';
      yield 'there.';
    }
    const result = await tts.streamText(pieces(), { voice: 'v2' });
    // Counted as each piece's audio is produced.
    expect(result.characters).toBe(0);
    const chunks: string[] = [];
    for await (const chunk of result.stream) chunks.push(text(chunk));
    expect(chunks).toEqual(['Hello ', 'there.']);
    expect(result).toMatchObject({ voice: 'v2', characters: 12 });
    expect(tts.calls[0]).toMatchObject({ method: 'streamText', outcome: 'success', request: { text: 'Hello there.' } });
  });

  it('streamText fails before audio after reading some text (failAfterText) or cuts after chunks', async () => {
    async function* pieces() {
      yield 'One. ';
      yield 'Two. ';
      yield 'Three. ';
    }
    const failing = new MockSpeechSynthesizer({ script: { failAfterText: { pieces: 2, error: 'unavailable' } } });
    expect(await failure(failing.streamText(pieces()))).toMatchObject({ code: 'unavailable', provider: 'mock-tts' });
    expect(failing.calls[0]?.request.text).toBe('One. Two. ');
    const cut = await new MockSpeechSynthesizer({ script: { cutAfter: 1 } }).streamText(pieces());
    const error = await (async () => {
      for await (const _chunk of cut.stream) {
        // read on until the cut
      }
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'stream_cut' });
  });

  it('synthesizes the text bytes by default and bills characters', async () => {
    const tts = new MockSpeechSynthesizer();
    const result = await tts.synthesize({ text: 'Hello' });
    expect(text(result.audio)).toBe('Hello');
    expect(result).toMatchObject({
      characters: 5,
      provider: 'mock-tts',
      vendor: 'mock',
      voice: 'mock-voice',
      format: { encoding: 'mp3' },
    });
    expect(tts.calls[0]).toMatchObject({ method: 'synthesize', outcome: 'success' });
  });

  it('streams chunks and cuts a stream with stream_cut', async () => {
    const tts = new MockSpeechSynthesizer({
      script: [{ chunks: ['aa', 'bb'] }, { chunks: ['a', 'b', 'c'], cutAfter: 1 }],
    });
    const chunks: string[] = [];
    for await (const chunk of (await tts.stream({ text: 'x' })).stream) chunks.push(text(chunk));
    expect(chunks).toEqual(['aa', 'bb']);
    const cut = await tts.stream({ text: 'x' });
    const received: string[] = [];
    const error = await failure(
      (async () => {
        for await (const chunk of cut.stream) received.push(text(chunk));
      })(),
    );
    expect(received).toEqual(['a']);
    expect(error).toMatchObject({ code: 'stream_cut', provider: 'mock-tts', retryable: true });
  });

  it('lists its voices and takes string audio from configuration', async () => {
    const tts = new MockSpeechSynthesizer({ voice: 'v1', script: { audio: 'RIFF', durationSeconds: 2 } });
    expect(await tts.listVoices()).toEqual([{ id: 'v1', name: 'Mock voice' }]);
    const result = await tts.synthesize({ text: 'hi', voice: 'v2' });
    expect(text(result.audio)).toBe('RIFF');
    expect(result).toMatchObject({ voice: 'v2', durationSeconds: 2 });
  });
});

describe('MockTranscriber', () => {
  it('transcribes with words and audio seconds', async () => {
    const stt = new MockTranscriber({ script: { text: 'hello world', durationSeconds: 3.5 } });
    const result = await stt.transcribe({ audio: new Uint8Array(10), language: 'en' });
    expect(result).toMatchObject({ text: 'hello world', durationSeconds: 3.5, language: 'en', provider: 'mock-stt' });
    expect(result.words.map((word) => word.word)).toEqual(['hello', 'world']);
  });

  it('reads a byte stream to its end', async () => {
    let read = 0;
    async function* audio() {
      for (let index = 0; index < 3; index++) {
        read++;
        yield new Uint8Array(4);
      }
    }
    const stt = new MockTranscriber();
    await stt.transcribe({ audio: audio() });
    expect(read).toBe(3);
  });

  it('opens a live session with scripted events and counts audio seconds', async () => {
    const stt = new MockTranscriber({
      script: {
        live: {
          events: [
            { type: 'speech-started', timestamp: 0 },
            { type: 'transcript', isFinal: true, text: 'hi', words: [], start: 0, duration: 1 },
          ],
        },
      },
    });
    const session = await stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16000 });
    session.send(new Uint8Array(32000));
    session.send(new Uint8Array(16000));
    expect(session.audioSeconds).toBe(1.5);
    const events: string[] = [];
    const reading = (async () => {
      for await (const event of session.events) events.push(event.type);
    })();
    await session.finish();
    await reading;
    expect(events).toEqual(['speech-started', 'transcript']);
    expect(session.received).toHaveLength(2);
    expect(stt.calls[0]).toMatchObject({ method: 'transcribeLive', outcome: 'success' });
    expect(() => session.send(new Uint8Array(1))).toThrow(/finished/);
  });

  it('breaks a live session with the scripted error', async () => {
    const stt = new MockTranscriber({ script: { live: { events: [], error: 'connection' } } });
    const session = await stt.transcribeLive({ encoding: 'mulaw', sampleRate: 8000 });
    const error = await failure(
      (async () => {
        for await (const _event of session.events) {
          // drain
        }
      })(),
    );
    expect(error).toMatchObject({ code: 'connection', provider: 'mock-stt' });
    expect(stt.calls[0]).toMatchObject({ outcome: 'error', error: { code: 'connection' } });
  });

  it('refuses live transcription when its capability is off', async () => {
    const stt = new MockTranscriber({ capabilities: { live: false } });
    expect(stt.capabilities.live).toBe(false);
    expect((await failure(stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16000 }))).code).toBe(
      'invalid_request',
    );
  });
});

describe('MockMessagingProvider', () => {
  it('records what it received without validating numbers', async () => {
    const sms = new MockMessagingProvider();
    const result = await sms.send({ to: 'not a number', body: 'x'.repeat(200) });
    expect(result).toMatchObject({
      messageId: 'mock-message-0',
      status: 'queued',
      channel: 'sms',
      to: 'not a number',
      segments: 2,
      provider: 'mock-sms',
    });
    expect(sms.kind).toBe('sms');
    expect(sms.sent).toEqual([{ to: 'not a number', body: 'x'.repeat(200) }]);
  });

  it('serves WhatsApp with templates and scripted failures carrying outcomeUnknown', async () => {
    const whatsapp = new MockMessagingProvider({
      channel: 'whatsapp',
      script: [
        { error: 'timeout', outcomeUnknown: true },
        { messageId: 'wamid.1', status: 'sent' },
      ],
    });
    expect(whatsapp).toMatchObject({ id: 'mock-whatsapp', kind: 'whatsapp' });
    expect(whatsapp.capabilities).toMatchObject({ channel: 'whatsapp', templates: true });
    const error = await failure(whatsapp.send({ to: '+15550001111', body: 'hi' }));
    expect(error).toMatchObject({ code: 'timeout', outcomeUnknown: true, provider: 'mock-whatsapp' });
    expect(await whatsapp.send({ to: '+15550001111', body: 'hi' })).toMatchObject({
      messageId: 'wamid.1',
      status: 'sent',
      segments: 1,
    });
    expect(whatsapp.sent).toHaveLength(1);
  });
});
