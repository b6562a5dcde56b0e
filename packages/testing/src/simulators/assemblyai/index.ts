import { VendorSimulator } from '../framework/index.js';
import {
  type AssemblyAIRestOptions,
  type AssemblyAIRestState,
  assemblyaiErrorBody,
  assemblyaiRestRoutes,
} from './assemblyai-rest-routes.js';
import {
  type AssemblyAIStreamingFault,
  type AssemblyAIStreamingOptions,
  AssemblyAIStreamingServer,
} from './assemblyai-streaming-server.js';

export type AssemblyAISimulatorOptions = AssemblyAIRestOptions & AssemblyAIStreamingOptions;

/**
 * AssemblyAI on loopback: the REST API (`/v2/upload`, `/v2/transcript`, `/v3/token`) and the Universal
 * Streaming websocket `/v3/ws` on the same port. `url` is the REST base URL; `streamingURL` the websocket one.
 */
export class AssemblyAISimulator extends VendorSimulator {
  readonly streaming: AssemblyAIStreamingServer;
  readonly #state: AssemblyAIRestState;

  constructor(options: AssemblyAISimulatorOptions = {}) {
    const state: AssemblyAIRestState = {
      uploads: new Map(),
      transcripts: new Map(),
      nextTranscriptError: undefined,
      tokens: new Set(),
    };
    super({
      name: 'assemblyai',
      routes: assemblyaiRestRoutes(options, state, () => this?.url ?? ''),
      errorBody: assemblyaiErrorBody,
    });
    this.#state = state;
    this.streaming = new AssemblyAIStreamingServer(options, state.tokens);
  }

  get streamingURL(): string {
    return `${this.url.replace(/^http/, 'ws')}/v3/ws`;
  }

  /** Transcript jobs created so far, by id. */
  get transcripts() {
    return this.#state.transcripts;
  }

  /** Streaming sessions the websocket endpoint has seen. */
  get streamingSessions() {
    return this.streaming.sessions;
  }

  /** The next transcript job ends with `status: "error"` and this text (AssemblyAI's `error` field). */
  failTranscript(detail: string): this {
    this.#state.nextTranscriptError = detail;
    return this;
  }

  /** Makes the next `times` streaming sessions (default 1) fail this way. */
  injectStreaming(fault: AssemblyAIStreamingFault, options: { times?: number } = {}): this {
    this.streaming.inject(fault, options.times ?? 1);
    return this;
  }

  override async start(): Promise<this> {
    await super.start();
    this.streaming.attach(this.server);
    return this;
  }

  override async close(): Promise<void> {
    await this.streaming.close();
    await super.close();
  }

  override reset(): void {
    super.reset();
    this.streaming.reset();
    this.#state.uploads.clear();
    this.#state.transcripts.clear();
    this.#state.nextTranscriptError = undefined;
  }
}

/** An AssemblyAI simulator, not yet started: `await createAssemblyAISimulator().start()`. */
export function createAssemblyAISimulator(options: AssemblyAISimulatorOptions = {}): AssemblyAISimulator {
  return new AssemblyAISimulator(options);
}

export {
  type AssemblyAIRestOptions,
  type AssemblyAITranscriptRecord,
  assemblyaiErrorBody,
  assemblyaiRestRoutes,
} from './assemblyai-rest-routes.js';
export {
  type AssemblyAIStreamingFault,
  type AssemblyAIStreamingOptions,
  AssemblyAIStreamingServer,
  type AssemblyAIStreamingSessionRecord,
} from './assemblyai-streaming-server.js';
