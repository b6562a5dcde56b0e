export {
  mockFactories,
  mockLanguageModelFactory,
  mockSmsFactory,
  mockSpeechSynthesizerFactory,
  mockTranscriberFactory,
  mockWhatsAppFactory,
} from './mock-factories.js';
export {
  type LanguageModelMockStep,
  type LanguageModelMockSuccess,
  MockLanguageModel,
  type MockLanguageModelOptions,
} from './mock-language-model.js';
export {
  type MessagingMockStep,
  type MessagingMockSuccess,
  MockMessagingProvider,
  type MockMessagingProviderOptions,
} from './mock-messaging-provider.js';
export {
  type MockBaseSettings,
  type MockCredentials,
  type MockHealth,
  MockProvider,
  type MockProviderOptions,
  type MockTurn,
  mockCredentials,
} from './mock-provider.js';
export {
  isFailureStep,
  isHangStep,
  type MockCall,
  type MockFailureStep,
  type MockHangStep,
  type MockMethod,
  type MockScript,
} from './mock-script.js';
export {
  type MockAudio,
  MockSpeechSynthesizer,
  type MockSpeechSynthesizerOptions,
  type SpeechSynthesizerMockStep,
  type SpeechSynthesizerMockSuccess,
} from './mock-speech-synthesizer.js';
export {
  type MockLiveScript,
  MockLiveTranscriptionSession,
  MockTranscriber,
  type MockTranscriberOptions,
  type TranscriberMockRequest,
  type TranscriberMockStep,
  type TranscriberMockSuccess,
} from './mock-transcriber.js';
