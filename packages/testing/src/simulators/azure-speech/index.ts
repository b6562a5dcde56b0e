import { VendorSimulator } from '../framework/index.js';
import { azureSpeechErrorBody } from './azure-speech-error-body.js';
import { azureSttRoutes } from './azure-stt-routes.js';
import { type AzureSpeechSimulatorOptions, azureTtsRoutes } from './azure-tts-routes.js';

/**
 * Azure AI Speech on loopback: text to speech (`/cognitiveservices/v1`, the
 * voices list) and fast transcription (`/speechtotext/transcriptions:transcribe`)
 * on one port — point both adapters' `baseURL` at `url`.
 */
export class AzureSpeechSimulator extends VendorSimulator {
  constructor(options: AzureSpeechSimulatorOptions = {}) {
    super({
      name: 'azure-speech',
      routes: [...azureTtsRoutes(options), ...azureSttRoutes(options)],
      errorBody: (status, message) => azureSpeechErrorBody(status, message),
      headers: { 'apim-request-id': 'simulated-request' },
    });
  }
}

/** An Azure Speech simulator, not yet started: `await createAzureSpeechSimulator().start()`. */
export function createAzureSpeechSimulator(options: AzureSpeechSimulatorOptions = {}): AzureSpeechSimulator {
  return new AzureSpeechSimulator(options);
}

export { azureKeyOf, azureSpeechErrorBody } from './azure-speech-error-body.js';
export { azureSttRoutes } from './azure-stt-routes.js';
export {
  type AzureSpeechSimulatorOptions,
  azureOutputFormat,
  azureTtsRoutes,
  azureVoices,
  readSsml,
} from './azure-tts-routes.js';
