export { languageModelRequestSchema, validateLanguageModelRequest } from './language-model-request.js';
export { messageRequestSchema, validateMessageRequest } from './message-request.js';
export { speechRequestSchema, validateSpeechRequest } from './speech-request.js';
export { transcriptionRequestSchema, validateTranscriptionRequest } from './transcription-request.js';
