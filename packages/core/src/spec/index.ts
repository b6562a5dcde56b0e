export type { AudioEncoding, AudioFormat, AudioSource } from './audio.js';
export type {
  CallWarning,
  JsonSchema,
  LanguageModel,
  LanguageModelCapabilities,
  LanguageModelFinishReason,
  LanguageModelImagePart,
  LanguageModelMessage,
  LanguageModelRequest,
  LanguageModelResponseFormat,
  LanguageModelResult,
  LanguageModelStreamPart,
  LanguageModelStreamResult,
  LanguageModelTextPart,
  LanguageModelTool,
  LanguageModelToolCall,
  LanguageModelToolCallPart,
  LanguageModelToolChoice,
  LanguageModelToolResultPart,
  LanguageModelUsage,
} from './language-model.js';
export type {
  DeliveryStatus,
  MessageMedia,
  MessagingCapabilities,
  MessagingChannel,
  MessagingProvider,
  OutboundMessage,
  SendResult,
  WhatsAppTemplate,
} from './messaging-provider.js';
export type {
  BaseProvider,
  CallOptions,
  HealthResult,
  HealthStatus,
  ProviderKind,
  RedactedConfig,
  TestOptions,
} from './provider.js';
export type {
  SpeechRequest,
  SpeechResult,
  SpeechStreamResult,
  SpeechSynthesizer,
  SpeechSynthesizerCapabilities,
  Voice,
} from './speech-synthesizer.js';
export type {
  AuditAction,
  AuditLog,
  AuditQuery,
  AuditRecord,
  AuditSink,
  LimitReservation,
  LimitStore,
  MaybePromise,
  StatusHistoryQuery,
  StatusHistoryStore,
  StatusReportCache,
  StatusSample,
} from './state.js';
export type {
  LiveTranscriptionEvent,
  LiveTranscriptionRequest,
  LiveTranscriptionSession,
  Transcriber,
  TranscriberCapabilities,
  TranscriptionRequest,
  TranscriptionResult,
  TranscriptionWord,
} from './transcriber.js';
export type { UsageOutcome, UsageQuantity, UsageRecord, UsageUnit } from './usage.js';
