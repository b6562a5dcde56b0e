export {
  type ConformanceOptions,
  type ConformanceSettings,
  commonCases,
  type KindSpec,
  type StreamSpec,
  streamCases,
} from './common-cases.js';
export {
  assertNoSecret,
  expectFailure,
  failureOf,
  printedForms,
  requestCarriesKey,
  waitForRequests,
} from './conformance-assertions.js';
export { type ConformanceCase, runConformance, type TestRegistrar } from './conformance-case.js';
export {
  defineLanguageModelConformance,
  type LanguageModelConformanceOptions,
} from './language-model-conformance.js';
export { defineMessagingConformance, type MessagingConformanceOptions } from './messaging-conformance.js';
export { assertNoLeakedResources, leakableResources, openResources } from './resource-check.js';
export {
  defineSpeechSynthesizerConformance,
  type SpeechSynthesizerConformanceOptions,
} from './speech-synthesizer-conformance.js';
export * from './stores/index.js';
export {
  defineTranscriberConformance,
  silentWav,
  type TranscriberConformanceOptions,
} from './transcriber-conformance.js';
