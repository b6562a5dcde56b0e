export { validateLanguageModelRequest } from './language-model-request.js';
export { validateMessageRequest } from './message-request.js';
export { validateSpeechRequest } from './speech-request.js';
export { validateTranscriptionRequest } from './transcription-request.js';
