import { defineProviderFactory, type ProviderFactory, type ProviderRuntime } from '@patchbay/core/adapter';
import { MockLanguageModel, type MockLanguageModelOptions } from './mock-language-model.js';
import { MockMessagingProvider, type MockMessagingProviderOptions } from './mock-messaging-provider.js';
import { MockSpeechSynthesizer, type MockSpeechSynthesizerOptions } from './mock-speech-synthesizer.js';
import { MockTranscriber, type MockTranscriberOptions } from './mock-transcriber.js';

function runtimeOptions(runtime: ProviderRuntime) {
  return { credentialStore: runtime.credentialStore, env: runtime.env };
}

/** Builds a `MockLanguageModel` from configuration (`{ kind: 'llm', vendor: 'mock', settings }`). */
export const mockLanguageModelFactory: ProviderFactory<MockLanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'mock',
  create: ({ id, settings, runtime }) =>
    new MockLanguageModel({ ...(settings as MockLanguageModelOptions), id, ...runtimeOptions(runtime) }),
});

export const mockSpeechSynthesizerFactory: ProviderFactory<MockSpeechSynthesizer> = defineProviderFactory({
  kind: 'tts',
  vendor: 'mock',
  create: ({ id, settings, runtime }) =>
    new MockSpeechSynthesizer({ ...(settings as MockSpeechSynthesizerOptions), id, ...runtimeOptions(runtime) }),
});

export const mockTranscriberFactory: ProviderFactory<MockTranscriber> = defineProviderFactory({
  kind: 'stt',
  vendor: 'mock',
  create: ({ id, settings, runtime }) =>
    new MockTranscriber({ ...(settings as MockTranscriberOptions), id, ...runtimeOptions(runtime) }),
});

export const mockSmsFactory: ProviderFactory<MockMessagingProvider> = defineProviderFactory({
  kind: 'sms',
  vendor: 'mock',
  create: ({ id, settings, runtime }) =>
    new MockMessagingProvider({
      ...(settings as MockMessagingProviderOptions),
      channel: 'sms',
      id,
      ...runtimeOptions(runtime),
    }),
});

export const mockWhatsAppFactory: ProviderFactory<MockMessagingProvider> = defineProviderFactory({
  kind: 'whatsapp',
  vendor: 'mock',
  create: ({ id, settings, runtime }) =>
    new MockMessagingProvider({
      ...(settings as MockMessagingProviderOptions),
      channel: 'whatsapp',
      id,
      ...runtimeOptions(runtime),
    }),
});

/**
 * One factory per kind with vendor `mock`, for `createPatchbay({ config, factories: mockFactories })`.
 * Settings are the mock's options (scripts as step arrays work from JSON configuration).
 */
export const mockFactories: readonly ProviderFactory[] = [
  mockLanguageModelFactory,
  mockSpeechSynthesizerFactory,
  mockTranscriberFactory,
  mockSmsFactory,
  mockWhatsAppFactory,
];
