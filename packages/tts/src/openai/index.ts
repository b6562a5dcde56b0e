export type { OpenAISpeechSynthesizerSettings } from './openai-settings.js';
export {
  createOpenAISpeechSynthesizer,
  type OpenAISpeechSynthesizer,
  type OpenAISpeechSynthesizerOptions,
  openaiSpeechSynthesizerFactory,
} from './openai-speech-synthesizer.js';
