import { createPatchbay } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { mockFactories } from './mock-factories.js';
import type { MockLanguageModel } from './mock-language-model.js';
import type { MockMessagingProvider } from './mock-messaging-provider.js';

describe('mockFactories', () => {
  it('builds every kind from JSON configuration and exposes the mock instances', async () => {
    const patchbay = createPatchbay({
      config: {
        providers: {
          brain: { kind: 'llm', vendor: 'mock', settings: { script: [{ text: 'from config' }] } },
          voice: { kind: 'tts', vendor: 'mock', settings: { voice: 'alto' } },
          ears: { kind: 'stt', vendor: 'mock', settings: {} },
          texts: { kind: 'sms', vendor: 'mock', settings: { from: '+15550000000' } },
          chats: { kind: 'whatsapp', vendor: 'mock', settings: {} },
        },
        defaults: { retry: { maxRetries: 0 } },
      },
      factories: mockFactories,
      env: {},
    });
    try {
      expect((await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe('from config');
      expect((await patchbay.tts.synthesize({ text: 'hi' })).voice).toBe('alto');
      expect((await patchbay.stt.transcribe({ audio: new Uint8Array(2) })).text).toBe('ok');
      expect((await patchbay.sms.send({ to: '+15550001111', body: 'hi' })).channel).toBe('sms');
      expect((await patchbay.whatsapp.send({ to: '+15550001111', body: 'hi' })).channel).toBe('whatsapp');
      const brain = patchbay.provider('brain') as MockLanguageModel;
      expect(brain.calls).toHaveLength(1);
      expect((patchbay.provider('chats') as MockMessagingProvider).calls[0]?.request.to).toBe('+15550001111');
    } finally {
      patchbay.close();
    }
  });

  it('fails over between mocks and reloads a script through updateConfig', async () => {
    const patchbay = createPatchbay({
      config: {
        providers: {
          primary: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } },
          backup: { kind: 'llm', vendor: 'mock', settings: { script: { text: 'backup' } } },
        },
        routes: { llm: { providers: ['primary', 'backup'], retry: { maxRetries: 0 } } },
      },
      factories: mockFactories,
      env: {},
    });
    try {
      const result = await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
      expect(result).toMatchObject({ text: 'backup', provider: 'backup' });
      // Configuration merges objects key by key; an array replaces the script whole.
      await patchbay.updateConfig({ providers: { primary: { settings: { script: [{ text: 'primary again' }] } } } });
      const again = await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
      expect(again).toMatchObject({ text: 'primary again', provider: 'primary' });
      expect((patchbay.provider('primary') as MockLanguageModel).calls.map((call) => call.outcome)).toEqual([
        'error',
        'success',
      ]);
    } finally {
      patchbay.close();
    }
  });

  it('times a hung mock out under the route attempt timeout and fails over', async () => {
    const patchbay = createPatchbay({
      config: {
        providers: {
          stuck: { kind: 'llm', vendor: 'mock', settings: { script: { hang: true } } },
          backup: { kind: 'llm', vendor: 'mock', settings: {} },
        },
        routes: { llm: { providers: ['stuck', 'backup'], attemptTimeoutMs: 50, retry: { maxRetries: 0 } } },
      },
      factories: mockFactories,
      env: {},
    });
    try {
      const result = await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
      expect(result.provider).toBe('backup');
      const stuck = patchbay.provider('stuck') as MockLanguageModel;
      expect(stuck.calls[0]).toMatchObject({ outcome: 'error', error: { code: 'timeout', provider: 'stuck' } });
    } finally {
      patchbay.close();
    }
  });

  it('relays a routed stream and its cut', async () => {
    const patchbay = createPatchbay({
      config: {
        providers: {
          writer: { kind: 'llm', vendor: 'mock', settings: { script: [{ chunks: ['a', 'b', 'c'], cutAfter: 2 }] } },
        },
        defaults: { retry: { maxRetries: 0 } },
      },
      factories: mockFactories,
      env: {},
    });
    try {
      const result = await patchbay.llm.stream({ messages: [{ role: 'user', content: 'hi' }] });
      const deltas: string[] = [];
      const error = await (async () => {
        for await (const part of result.stream) if (part.type === 'text-delta') deltas.push(part.delta);
      })().catch((caught: unknown) => caught);
      expect(deltas).toEqual(['a', 'b']);
      expect(error).toMatchObject({ code: 'stream_cut', provider: 'writer' });
    } finally {
      patchbay.close();
    }
  });

  it('meters a routed live session by the audio seconds sent', async () => {
    const patchbay = createPatchbay({
      config: { providers: { ears: { kind: 'stt', vendor: 'mock', settings: {} } } },
      factories: mockFactories,
      env: {},
    });
    const usage: { unit: string; quantity: number }[] = [];
    patchbay.on('usage', (record) => usage.push({ unit: record.unit, quantity: record.quantity }));
    try {
      const session = await patchbay.stt.transcribeLive!({ encoding: 'mulaw', sampleRate: 8000 });
      session.send(new Uint8Array(16_000));
      const texts: string[] = [];
      const reading = (async () => {
        for await (const event of session.events) if (event.type === 'transcript') texts.push(event.text);
      })();
      await session.finish();
      await reading;
      expect(texts).toEqual(['ok']);
      expect(usage).toContainEqual({ unit: 'audio_seconds', quantity: 2 });
    } finally {
      patchbay.close();
    }
  });

  it('rejects an invalid script in configuration, naming the field', () => {
    expect(() =>
      createPatchbay({
        config: { providers: { brain: { kind: 'llm', vendor: 'mock', settings: { script: [{ error: 'oops' }] } } } },
        factories: mockFactories,
      }),
    ).toThrow(/script\.0\.error/);
  });

  it('validates candidate credentials through the mock', async () => {
    const patchbay = createPatchbay({
      config: { providers: { brain: { kind: 'llm', vendor: 'mock', settings: { acceptedApiKeys: ['right'] } } } },
      factories: mockFactories,
      env: {},
    });
    try {
      expect((await patchbay.validateCredentials('brain', { apiKey: 'right' })).valid).toBe(true);
      const wrong = await patchbay.validateCredentials('brain', { apiKey: 'wrong' });
      expect(wrong).toMatchObject({ valid: false, health: { code: 'auth' } });
      expect(JSON.stringify(patchbay.provider('brain').getConfig())).not.toContain('right');
    } finally {
      patchbay.close();
    }
  });
});
