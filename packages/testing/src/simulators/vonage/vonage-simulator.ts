import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type SimulatorExchange, sendJson, VendorSimulator } from '../framework/vendor-simulator.js';
import { MessagingSimulatorState, postCallback } from '../shared/messaging-simulator-state.js';

export interface VonageSimulatorOptions {
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
  /** Account balance in EUR, reported by /account/get-balance and decremented per part. */
  balance?: number | undefined;
  /** Price of one SMS part in EUR. */
  pricePerPart?: number | undefined;
  /** Signs callbacks (`sig`, `timestamp`, `nonce`) with this secret, as an account with signed webhooks does. */
  signatureSecret?: string | undefined;
  /** The account's signature method (default `md5hash`). */
  signatureMethod?: 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512' | undefined;
}

/** Adds Vonage's `timestamp`, `nonce` and `sig` to callback parameters (the simulator's own signer). */
function signCallback(params: URLSearchParams, secret: string, method: string): void {
  params.set('timestamp', String(Math.floor(Date.now() / 1000)));
  params.set('nonce', randomBytes(8).toString('hex'));
  const names = [...new Set(params.keys())].filter((name) => name !== 'sig').sort();
  const query = names.map((name) => `&${name}=${(params.get(name) ?? '').replace(/[&=]/g, '_')}`).join('');
  params.set(
    'sig',
    method === 'md5hash'
      ? createHash('md5')
          .update(query + secret)
          .digest('hex')
      : createHmac(method, secret).update(query).digest('hex'),
  );
}

export type VonageDeliveryStatus =
  | 'delivered'
  | 'expired'
  | 'failed'
  | 'rejected'
  | 'accepted'
  | 'buffered'
  | 'unknown';

export interface VonageSimulatedMessage {
  messageIds: string[];
  to: string;
  from: string;
  text: string;
  type: string | undefined;
  callback: string | undefined;
  clientRef: string | undefined;
  /** Parts that went out (fewer than the text's parts after `failLaterPartsOfNextSend`). */
  parts: number;
}

/** SMS API status codes a test can script, with Vonage's error-text. */
export const vonageStatusCatalog: Readonly<Record<string, string>> = {
  '1': 'Throughput Rate Exceeded - please wait [ 1000 ] and retry',
  '2': 'Missing to param',
  '3': 'Invalid to param',
  '4': 'Bad Credentials',
  '5': 'Internal Error',
  '6': 'Unroutable message - rejected',
  '7': 'Number barred.',
  '8': 'Account suspended',
  '9': 'Quota Exceeded - rejected',
  '15': 'Illegal Sender Address - rejected',
  '29': 'Non White-listed Destination - rejected',
};

function isGsm(text: string): boolean {
  // Rough GSM-7 test: printable ASCII and newlines; anything else goes out as unicode.
  return /^[\n\r\x20-\x7e£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà€]*$/.test(text);
}

function partsOf(text: string, unicode: boolean): number {
  const length = [...text].length;
  if (unicode) return length <= 70 ? 1 : Math.ceil(length / 67);
  return length <= 160 ? 1 : Math.ceil(length / 153);
}

class VonageState extends MessagingSimulatorState<VonageSimulatedMessage, string> {
  readonly apiKey: string;
  readonly apiSecret: string;
  balance: number;
  readonly pricePerPart: number;
  /** A failure scripted for a later part of the next multipart send (the earlier parts go out). */
  partFailure: { status: string; afterParts: number } | undefined;

  constructor(options: VonageSimulatorOptions) {
    super();
    this.apiKey = options.apiKey ?? 'simkey01';
    this.apiSecret = options.apiSecret ?? 'simulated-vonage-secret';
    this.balance = options.balance ?? 15.5359;
    this.pricePerPart = options.pricePerPart ?? 0.0333;
  }
}

function statusAnswer(exchange: SimulatorExchange, status: string, to?: string): void {
  sendJson(exchange.response, 200, {
    'message-count': '1',
    messages: [{ ...(to ? { to } : {}), status, 'error-text': vonageStatusCatalog[status] ?? `Error ${status}` }],
  });
}

/**
 * Vonage's SMS API on loopback: credentials in the form (as the SMS API takes
 * them), errors as per-message status codes in an HTTP 200 (as Vonage does),
 * one entry per part for long texts, the balance endpoint with basic auth,
 * and delivery receipts posted to the message's callback URL.
 */
export class VonageSimulator extends VendorSimulator {
  readonly #state: VonageState;

  readonly #options: VonageSimulatorOptions;

  constructor(options: VonageSimulatorOptions = {}) {
    const state = new VonageState(options);
    super({
      name: 'vonage',
      errorBody: (status, message) => ({
        type: `https://developer.vonage.com/api-errors#${status === 401 ? 'unauthorized' : status === 429 ? 'throttled' : 'internal-error'}`,
        title: status === 401 ? 'Unauthorized' : message,
        detail: message,
        instance: randomBytes(8).toString('hex'),
      }),
      routes: [
        { method: 'POST', path: '/sms/json', handler: (exchange) => VonageSimulator.#send(state, exchange) },
        {
          method: 'GET',
          path: '/account/get-balance',
          handler: (exchange) => {
            const header = String(exchange.request.headers.authorization ?? '');
            const basic = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
            const query = exchange.request.query;
            const valid =
              basic === `${state.apiKey}:${state.apiSecret}` ||
              (query.get('api_key') === state.apiKey && query.get('api_secret') === state.apiSecret);
            if (!valid) {
              sendJson(exchange.response, 401, {
                type: 'https://developer.nexmo.com/api-errors#unauthorized',
                title: 'Invalid credentials supplied',
                detail: 'You did not provide correct credentials.',
                instance: randomBytes(8).toString('hex'),
              });
              return;
            }
            sendJson(exchange.response, 200, { value: state.balance, autoReload: false });
          },
        },
      ],
    });
    this.#state = state;
    this.#options = options;
  }

  get apiKey(): string {
    return this.#state.apiKey;
  }

  get messages(): readonly VonageSimulatedMessage[] {
    return this.#state.messages;
  }

  get balance(): number {
    return this.#state.balance;
  }

  /** Makes the next send(s) answer with this SMS API status ('1' throttled, '7' barred, '9' quota…). */
  failNextSend(status: string | number, options: { times?: number } = {}): this {
    this.#state.failNext(String(status), options.times);
    return this;
  }

  /**
   * Makes the next send of a text longer than `afterParts` parts go out only in part, as Vonage answers
   * when a later part is refused: the first `afterParts` parts are sent (status '0', charged, with ids)
   * and every later part answers with this status.
   */
  failLaterPartsOfNextSend(status: string | number, options: { afterParts?: number } = {}): this {
    this.#state.partFailure = { status: String(status), afterParts: options.afterParts ?? 1 };
    return this;
  }

  override reset(): void {
    super.reset();
    this.#state.clear();
    this.#state.partFailure = undefined;
  }

  /** Posts a delivery receipt for the message's first part to its callback URL (or `options.url`). */
  async deliverStatus(
    messageId: string,
    status: VonageDeliveryStatus,
    options: { errorCode?: string; url?: string } = {},
  ): Promise<{ status: number; body: string; params: URLSearchParams }> {
    const message = this.#state.messages.find((candidate) => candidate.messageIds.includes(messageId));
    if (!message) throw new Error(`Vonage simulator has no message ${messageId}`);
    const url = options.url ?? message.callback;
    if (!url) throw new Error(`Message ${messageId} was sent without a callback URL`);
    const now = new Date();
    const stamp = now.toISOString().replace('T', ' ').slice(0, 19);
    const params = new URLSearchParams({
      msisdn: message.to,
      to: message.from,
      'network-code': '23410',
      messageId,
      price: this.#state.pricePerPart.toFixed(8),
      status,
      scts: stamp.replace(/\D/g, '').slice(2, 12),
      'err-code': options.errorCode ?? (status === 'delivered' || status === 'accepted' ? '0' : '1'),
      'api-key': this.#state.apiKey,
      'message-timestamp': stamp,
    });
    if (message.clientRef) params.set('client-ref', message.clientRef);
    if (this.#options.signatureSecret) {
      signCallback(params, this.#options.signatureSecret, this.#options.signatureMethod ?? 'md5hash');
    }
    const answer = await postCallback(url, params.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    return { ...answer, params };
  }

  /** Posts an inbound SMS to the number's inbound webhook URL, signed when a signature secret is set. */
  async sendInbound(input: {
    from: string;
    to: string;
    text: string;
    url: string;
  }): Promise<{ status: number; body: string; params: URLSearchParams }> {
    const stamp = new Date().toISOString().replace('T', ' ').slice(0, 19);
    const params = new URLSearchParams({
      msisdn: input.from.replace(/^\+/, ''),
      to: input.to.replace(/^\+/, ''),
      messageId: randomBytes(8).toString('hex').toUpperCase(),
      text: input.text,
      type: 'text',
      keyword: (input.text.split(/\s+/)[0] ?? '').toUpperCase(),
      'api-key': this.#state.apiKey,
      'message-timestamp': stamp,
    });
    if (this.#options.signatureSecret) {
      signCallback(params, this.#options.signatureSecret, this.#options.signatureMethod ?? 'md5hash');
    }
    const answer = await postCallback(input.url, params.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    return { ...answer, params };
  }

  static #send(state: VonageState, exchange: SimulatorExchange): void {
    const params = exchange.request.form ?? new URLSearchParams(exchange.request.query);
    const json = exchange.request.json as Record<string, unknown> | undefined;
    const read = (name: string): string | undefined => {
      const value = params.get(name) ?? (json && typeof json[name] === 'string' ? (json[name] as string) : undefined);
      return value ?? undefined;
    };
    if (!read('api_key') || !read('api_secret')) {
      statusAnswer(exchange, '2');
      return;
    }
    if (read('api_key') !== state.apiKey || read('api_secret') !== state.apiSecret) {
      statusAnswer(exchange, '4');
      return;
    }
    const to = read('to') ?? '';
    const scripted = state.nextFailure();
    if (scripted !== undefined) {
      statusAnswer(exchange, scripted, to);
      return;
    }
    if (!to) {
      statusAnswer(exchange, '2');
      return;
    }
    if (!/^[1-9]\d{6,14}$/.test(to)) {
      statusAnswer(exchange, '3', to);
      return;
    }
    const from = read('from');
    if (!from) {
      statusAnswer(exchange, '2', to);
      return;
    }
    const text = read('text');
    if (text === undefined) {
      statusAnswer(exchange, '2', to);
      return;
    }
    const type = read('type');
    const unicode = type === 'unicode' || !isGsm(text);
    const parts = partsOf(text, unicode);
    if (state.balance < parts * state.pricePerPart) {
      statusAnswer(exchange, '9', to);
      return;
    }
    const partFailure = parts > (state.partFailure?.afterParts ?? parts) ? state.partFailure : undefined;
    if (partFailure) state.partFailure = undefined;
    const messageIds: string[] = [];
    const entries = [];
    for (let part = 0; part < parts; part++) {
      if (partFailure && part >= partFailure.afterParts) {
        const errorText = vonageStatusCatalog[partFailure.status] ?? `Error ${partFailure.status}`;
        entries.push({ to, status: partFailure.status, 'error-text': errorText });
        continue;
      }
      const messageId = randomBytes(8).toString('hex').toUpperCase();
      messageIds.push(messageId);
      state.balance -= state.pricePerPart;
      entries.push({
        to,
        'message-id': messageId,
        status: '0',
        'remaining-balance': state.balance.toFixed(8),
        'message-price': state.pricePerPart.toFixed(8),
        network: '23410',
        ...(read('client-ref') ? { 'client-ref': read('client-ref') } : {}),
      });
    }
    state.messages.push({
      messageIds,
      to,
      from,
      text,
      type,
      callback: read('callback'),
      clientRef: read('client-ref'),
      parts: messageIds.length,
    });
    sendJson(exchange.response, 200, { 'message-count': String(parts), messages: entries });
  }
}

export function createVonageSimulator(options: VonageSimulatorOptions = {}): VonageSimulator {
  return new VonageSimulator(options);
}
