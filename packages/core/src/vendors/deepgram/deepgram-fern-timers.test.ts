import { createDeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import { createDeepgramTranscriber } from '../../../../stt/src/deepgram/index.js';
import { createDeepgramSpeechSynthesizer } from '../../../../tts/src/deepgram/index.js';
import { describeFernTimerChecks } from '../fern-timers.test-support.js';

const audio = new Uint8Array(44);

const kinds = {
  speech: (baseURL: string) => {
    const provider = createDeepgramSpeechSynthesizer({ apiKey: 'test-key', baseURL, env: {} });
    return (signal?: AbortSignal) => provider.synthesize({ text: 'hello' }, { signal });
  },
  transcription: (baseURL: string) => {
    const provider = createDeepgramTranscriber({ apiKey: 'test-key', baseURL, env: false });
    return (signal?: AbortSignal) => provider.transcribe({ audio, mimeType: 'audio/wav' }, { signal });
  },
};

describeFernTimerChecks('Deepgram', 'deepgram', () => createDeepgramSimulator().start(), kinds);
