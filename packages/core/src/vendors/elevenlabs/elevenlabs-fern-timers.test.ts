import { createElevenLabsSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { createElevenLabsTranscriber } from '../../../../stt/src/elevenlabs/index.js';
import { createElevenLabsSpeechSynthesizer } from '../../../../tts/src/elevenlabs/index.js';
import { describeFernTimerChecks } from '../fern-timers.test-support.js';

const audio = new Uint8Array(44);

const kinds = {
  speech: (baseURL: string) => {
    const provider = createElevenLabsSpeechSynthesizer({ apiKey: 'test-key', baseURL, env: {} });
    return (signal?: AbortSignal) => provider.synthesize({ text: 'hello' }, { signal });
  },
  transcription: (baseURL: string) => {
    const provider = createElevenLabsTranscriber({ apiKey: 'test-key', baseURL, env: false });
    return (signal?: AbortSignal) => provider.transcribe({ audio, mimeType: 'audio/wav' }, { signal });
  },
};

describeFernTimerChecks('ElevenLabs', 'elevenlabs', () => createElevenLabsSimulator().start(), kinds);
