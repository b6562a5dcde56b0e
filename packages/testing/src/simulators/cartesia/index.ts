import { type Fault, VendorSimulator } from '../framework/index.js';
import { type CartesiaSimulatorOptions, cartesiaErrorBody, cartesiaTtsRoutes } from './cartesia-tts-routes.js';
import { type CartesiaWebSocketFault, CartesiaWebSocketServer } from './cartesia-websocket-server.js';

/**
 * Cartesia on loopback: `POST /tts/bytes`, `GET /voices` and the `/tts/websocket`
 * on the same port. Faults injected with `{ path: '/tts/websocket' }` go to the
 * websocket (its upgrade requests are recorded in `requests` too).
 */
export class CartesiaSimulator extends VendorSimulator {
  readonly websocket: CartesiaWebSocketServer;

  constructor(options: CartesiaSimulatorOptions = {}) {
    super({
      name: 'cartesia',
      routes: cartesiaTtsRoutes(options),
      errorBody: (status, message) => cartesiaErrorBody(status, message),
    });
    this.websocket = new CartesiaWebSocketServer(options, (request) => this.requests.push(request));
  }

  get wsURL(): string {
    return this.url.replace(/^http/, 'ws');
  }

  override inject(fault: Fault, options: { times?: number; path?: string | RegExp } = {}): this {
    if (options.path === '/tts/websocket') {
      this.websocket.inject(fault, options.times ?? 1);
      return this;
    }
    return super.inject(fault, options);
  }

  /** A websocket fault, including the Cartesia-only `error-after` (an error event after some audio). */
  injectWebSocket(fault: CartesiaWebSocketFault, options: { times?: number } = {}): this {
    this.websocket.inject(fault, options.times ?? 1);
    return this;
  }

  override clearFaults(): void {
    super.clearFaults();
    this.websocket?.clearFaults();
  }

  override reset(): void {
    super.reset();
    this.websocket?.reset();
  }

  override async start(): Promise<this> {
    await super.start();
    this.websocket.attach(this.server);
    return this;
  }

  override async close(): Promise<void> {
    await this.websocket.close();
    await super.close();
  }
}

/** A Cartesia simulator, not yet started: `await createCartesiaSimulator().start()`. */
export function createCartesiaSimulator(options: CartesiaSimulatorOptions = {}): CartesiaSimulator {
  return new CartesiaSimulator(options);
}

export {
  type CartesiaSimulatorOptions,
  cartesiaErrorBody,
  cartesiaModels,
  cartesiaTtsRoutes,
  cartesiaVoices,
} from './cartesia-tts-routes.js';
export { CartesiaWebSocketServer, type CartesiaWebSocketSessionRecord } from './cartesia-websocket-server.js';
