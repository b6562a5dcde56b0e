import {
  type MockLanguageModel,
  type MockMessagingProvider,
  type MockSpeechSynthesizer,
  mockFactories,
} from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from './routing-config.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];

function patchbay(config: PatchbayConfigInput): Patchbay {
  const instance = createPatchbay({ config, factories: mockFactories, env: false });
  open.push(instance);
  return instance;
}

afterEach(() => {
  for (const instance of open) instance.close();
  open = [];
});

const llm = (vendor: string, script: unknown = {}) => ({
  kind: 'llm' as const,
  vendor: 'mock',
  settings: { vendor, model: `${vendor}-default`, script },
});

async function rejection(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(PatchbayError.isInstance(error)).toBe(true);
  return error as PatchbayError;
}

describe('vendor-specific identifiers never cross vendors', () => {
  it('never sends a raw model of one vendor to a fallback of another', async () => {
    const pb = patchbay({
      providers: { gpt: llm('openai', { error: 'unavailable' }), claude: llm('anthropic') },
      routes: { llm: { providers: ['gpt', 'claude'], retry: { maxRetries: 0 } } },
    });
    const error = await rejection(pb.llm.generate({ ...request, model: 'gpt-4o-mini' }));
    expect(error.code).toBe('unavailable');
    expect((pb.provider('claude') as MockLanguageModel).calls).toHaveLength(0);
    // Without a model, each member uses its own default and failover works.
    expect((await pb.llm.generate(request)).provider).toBe('claude');
  });

  it('maps an alias to each member’s own model id', async () => {
    const pb = patchbay({
      providers: { gpt: llm('openai', { error: 'unavailable' }), claude: llm('anthropic') },
      routes: {
        llm: {
          providers: ['gpt', 'claude'],
          aliases: { model: { fast: { gpt: 'gpt-4o-mini', claude: 'claude-3-5-haiku-latest' } } },
        },
      },
    });
    const records: (string | undefined)[] = [];
    pb.on('usage', (record) => records.push(`${record.provider}:${record.model}`));
    const result = await pb.llm.generate({ ...request, model: 'fast' });
    expect(result.provider).toBe('claude');
    expect((pb.provider('gpt') as MockLanguageModel).calls[0]?.request).toMatchObject({ model: 'gpt-4o-mini' });
    expect((pb.provider('claude') as MockLanguageModel).calls[0]?.request).toMatchObject({
      model: 'claude-3-5-haiku-latest',
    });
    expect(records).toContain('gpt:gpt-4o-mini');
  });

  it('skips members an alias does not map, and refuses up front naming the route when none is left', async () => {
    const pb = patchbay({
      providers: { gpt: llm('openai'), claude: llm('anthropic') },
      routes: {
        llm: { providers: ['gpt', 'claude'], aliases: { model: { smart: { claude: 'claude-sonnet-4-5' } } } },
      },
    });
    expect((await pb.llm.generate({ ...request, model: 'smart' })).provider).toBe('claude');
    expect((pb.provider('gpt') as MockLanguageModel).calls).toHaveLength(0);
    const noMember = patchbay({
      providers: { gpt: llm('openai'), claude: llm('anthropic') },
      routes: { llm: { providers: ['gpt', 'claude'], aliases: { model: { smart: { other: 'x' } } } } },
    });
    const error = await rejection(noMember.llm.generate({ ...request, model: 'smart' }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('route "llm"');
    expect((noMember.provider('gpt') as MockLanguageModel).calls).toHaveLength(0);
  });

  it('maps TTS voices and WhatsApp templates the same way', async () => {
    const pb = patchbay({
      providers: {
        eleven: { kind: 'tts', vendor: 'mock', settings: { vendor: 'elevenlabs', script: { error: 'unavailable' } } },
        openai: { kind: 'tts', vendor: 'mock', settings: { vendor: 'openai' } },
        twilio: {
          kind: 'whatsapp',
          vendor: 'mock',
          settings: { vendor: 'twilio', script: { error: 'unavailable' }, capabilities: { templates: true } },
        },
        meta: { kind: 'whatsapp', vendor: 'mock', settings: { vendor: 'meta', capabilities: { templates: true } } },
      },
      routes: {
        tts: {
          providers: ['eleven', 'openai'],
          retry: { maxRetries: 0 },
          aliases: { voice: { narrator: { eleven: 'EXAVITQu4', openai: 'alloy' } } },
        },
        whatsapp: {
          providers: ['twilio', 'meta'],
          repeatUnknownOutcome: true,
          aliases: { template: { welcome: { twilio: 'HX0123', meta: 'welcome_v2' } } },
        },
      },
    });
    expect((await pb.tts.synthesize({ text: 'hi', voice: 'narrator' })).provider).toBe('openai');
    expect((pb.provider('eleven') as MockSpeechSynthesizer).calls[0]?.request).toMatchObject({ voice: 'EXAVITQu4' });
    expect((pb.provider('openai') as MockSpeechSynthesizer).calls[0]?.request).toMatchObject({ voice: 'alloy' });
    const raw = await rejection(pb.tts.synthesize({ text: 'hi', voice: 'EXAVITQu4' }));
    expect(raw.code).toBe('unavailable');
    expect((pb.provider('openai') as MockSpeechSynthesizer).calls).toHaveLength(1);

    const template = { name: 'welcome', language: 'en_US' };
    expect((await pb.whatsapp.send({ to: '+250788123456', template })).provider).toBe('meta');
    expect((pb.provider('twilio') as MockMessagingProvider).calls[0]?.request).toMatchObject({
      template: { name: 'HX0123' },
    });
    expect((pb.provider('meta') as MockMessagingProvider).calls[0]?.request).toMatchObject({
      template: { name: 'welcome_v2' },
    });
  });
});
