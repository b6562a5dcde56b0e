import { VendorSimulator } from '../framework/index.js';
import { type DeepgramListenOptions, deepgramErrorBody, deepgramListenRoutes } from './deepgram-listen-routes.js';
import { type DeepgramLiveFault, type DeepgramLiveOptions, DeepgramLiveServer } from './deepgram-live-server.js';
import { type DeepgramSpeakOptions, deepgramSpeakRoutes } from './deepgram-speak-routes.js';

export type DeepgramSimulatorOptions = DeepgramListenOptions & DeepgramLiveOptions & DeepgramSpeakOptions;

/**
 * Deepgram on loopback: pre-recorded `/v1/listen`, `/v1/projects`, text-to-speech
 * `/v1/speak`, and the live websocket `/v1/listen` on the same port. `url` is
 * the REST base URL; `wsURL` the websocket one.
 */
export class DeepgramSimulator extends VendorSimulator {
  readonly live: DeepgramLiveServer;

  constructor(options: DeepgramSimulatorOptions = {}) {
    super({
      name: 'deepgram',
      routes: [...deepgramListenRoutes(options), ...deepgramSpeakRoutes(options)],
      errorBody: deepgramErrorBody,
      headers: { 'dg-project-id': 'simulated-project' },
    });
    this.live = new DeepgramLiveServer(options);
  }

  get wsURL(): string {
    return this.url.replace(/^http/, 'ws');
  }

  /** Sessions the live endpoint has seen. */
  get liveSessions() {
    return this.live.sessions;
  }

  override async start(): Promise<this> {
    await super.start();
    this.live.attach(this.server);
    return this;
  }

  override async close(): Promise<void> {
    await this.live.close();
    await super.close();
  }

  override reset(): void {
    super.reset();
    this.live.reset();
  }

  /** Makes the next `times` live sessions (default 1) fail this way. */
  injectLive(fault: DeepgramLiveFault, options: { times?: number } = {}): this {
    this.live.inject(fault, options.times ?? 1);
    return this;
  }
}

/** A Deepgram simulator, not yet started: `await createDeepgramSimulator().start()`. */
export function createDeepgramSimulator(options: DeepgramSimulatorOptions = {}): DeepgramSimulator {
  return new DeepgramSimulator(options);
}

export {
  defaultTranscript,
  rawBytesPerSecond,
  type SimulatedWord,
  silentWav,
  simulatedDuration,
  simulatedWords,
  wavByteRate,
} from '../shared/simulated-transcription.js';
export type { SpeechSocketFault, SpeechSocketSession } from '../shared/speech-socket-simulator.js';
export {
  type DeepgramListenOptions,
  deepgramErrorBody,
  deepgramListenRoutes,
  deepgramWords,
} from './deepgram-listen-routes.js';
export {
  type DeepgramLiveFault,
  type DeepgramLiveOptions,
  DeepgramLiveServer,
  type DeepgramLiveSessionRecord,
} from './deepgram-live-server.js';
export * from './deepgram-speak-routes.js';
export * from './deepgram-speak-socket.js';
