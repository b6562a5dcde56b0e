import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type SimulatorExchange, sendJson, VendorSimulator } from '../framework/vendor-simulator.js';
import { MessagingSimulatorState, postCallback } from '../shared/messaging-simulator-state.js';

export interface AfricasTalkingSimulatorOptions {
  username?: string | undefined;
  apiKey?: string | undefined;
  /** Balance and its currency, e.g. `{ amount: 1785.5, currency: 'KES' }`. */
  balance?: { amount: number; currency: string } | undefined;
  /** Price of one message part in the balance currency. */
  pricePerPart?: number | undefined;
  /** The app's delivery-report callback URL (configured in the dashboard, not per message). */
  deliveryReportUrl?: string | undefined;
}

export type AfricasTalkingDeliveryStatus =
  | 'Sent'
  | 'Submitted'
  | 'Buffered'
  | 'Rejected'
  | 'Success'
  | 'Failed'
  | 'AbsentSubscriber'
  | 'Expired';

export interface AfricasTalkingSimulatedMessage {
  messageId: string;
  to: string;
  from: string | undefined;
  message: string;
}

/** Per-recipient status codes and names of the SMS API. */
export const africasTalkingStatusCatalog: Readonly<Record<number, string>> = {
  100: 'Processed',
  101: 'Success',
  102: 'Queued',
  401: 'RiskHold',
  402: 'InvalidSenderId',
  403: 'InvalidPhoneNumber',
  404: 'UnsupportedNumberType',
  405: 'InsufficientBalance',
  406: 'UserInBlacklist',
  407: 'CouldNotRoute',
  409: 'DoNotDisturbRejection',
  500: 'InternalServerError',
  501: 'GatewayError',
  502: 'RejectedByGateway',
};

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

class AfricasTalkingState extends MessagingSimulatorState<AfricasTalkingSimulatedMessage, number> {
  readonly username: string;
  readonly apiKey: string;
  balance: { amount: number; currency: string };
  readonly pricePerPart: number;
  deliveryReportUrl: string | undefined;

  constructor(options: AfricasTalkingSimulatorOptions) {
    super();
    this.username = options.username ?? 'sandbox';
    this.apiKey = options.apiKey ?? 'atsk_simulated_api_key';
    this.balance = { ...(options.balance ?? { amount: 1785.5, currency: 'KES' }) };
    this.pricePerPart = options.pricePerPart ?? 0.8;
    this.deliveryReportUrl = options.deliveryReportUrl;
  }

  authorized(exchange: SimulatorExchange, username: string | null | undefined): boolean {
    return exchange.request.headers.apikey === this.apiKey && username === this.username;
  }

  money(amount: number): string {
    return `${this.balance.currency} ${amount.toFixed(4)}`;
  }
}

/**
 * Africa's Talking SMS API on loopback: `apiKey` header and username checked
 * (401 in plain text otherwise, as the API does), per-recipient status codes,
 * scripted failures (406 UserInBlacklist, 405 InsufficientBalance…), the user
 * (balance) endpoint, and delivery reports posted to the app's callback URL.
 */
export class AfricasTalkingSimulator extends VendorSimulator {
  readonly #state: AfricasTalkingState;

  constructor(options: AfricasTalkingSimulatorOptions = {}) {
    const state = new AfricasTalkingState(options);
    super({
      name: 'africas-talking',
      errorBody: (_status, message) => message,
      routes: [
        {
          method: 'POST',
          path: '/version1/messaging',
          handler: (exchange) => AfricasTalkingSimulator.#send(state, exchange),
        },
        {
          method: 'GET',
          path: '/version1/user',
          handler: (exchange) => {
            if (!state.authorized(exchange, exchange.request.query.get('username'))) {
              sendText(exchange.response, 401, 'The supplied authentication is invalid');
              return;
            }
            sendJson(exchange.response, 200, {
              UserData: { balance: `${state.balance.currency} ${state.balance.amount.toFixed(2)}` },
            });
          },
        },
      ],
    });
    this.#state = state;
  }

  get username(): string {
    return this.#state.username;
  }

  get apiKey(): string {
    return this.#state.apiKey;
  }

  get messages(): readonly AfricasTalkingSimulatedMessage[] {
    return this.#state.messages;
  }

  set deliveryReportUrl(url: string | undefined) {
    this.#state.deliveryReportUrl = url;
  }

  /** Makes the next send(s) give the recipient this status code (e.g. 406 UserInBlacklist). */
  failNextSend(statusCode: number, options: { times?: number } = {}): this {
    this.#state.failNext(statusCode, options.times);
    return this;
  }

  override reset(): void {
    super.reset();
    this.#state.clear();
  }

  /** Posts Africa's Talking's delivery report (form-encoded) for a message. */
  async deliverStatus(
    messageId: string,
    status: AfricasTalkingDeliveryStatus,
    options: { failureReason?: string; url?: string } = {},
  ): Promise<{ status: number; body: string; params: URLSearchParams }> {
    const message = this.#state.messages.find((candidate) => candidate.messageId === messageId);
    if (!message) throw new Error(`Africa's Talking simulator has no message ${messageId}`);
    const url = options.url ?? this.#state.deliveryReportUrl;
    if (!url) throw new Error("Africa's Talking simulator has no delivery report URL");
    const params = new URLSearchParams({
      id: messageId,
      status,
      phoneNumber: message.to,
      networkCode: '63902',
      retryCount: '0',
    });
    if (options.failureReason) params.set('failureReason', options.failureReason);
    const answer = await postCallback(url, params.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    return { ...answer, params };
  }

  /** Posts an incoming message (form-encoded) the way Africa's Talking forwards it to the app's callback URL. */
  async sendInbound(input: {
    from: string;
    to: string;
    text: string;
    url: string;
  }): Promise<{ status: number; body: string; params: URLSearchParams }> {
    const params = new URLSearchParams({
      date: new Date().toISOString(),
      from: input.from,
      id: randomBytes(16).toString('hex'),
      linkId: randomBytes(8).toString('hex'),
      text: input.text,
      to: input.to,
      networkCode: '63902',
    });
    const answer = await postCallback(input.url, params.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    return { ...answer, params };
  }

  static #send(state: AfricasTalkingState, exchange: SimulatorExchange): void {
    const form = exchange.request.form ?? new URLSearchParams();
    if (!state.authorized(exchange, form.get('username'))) {
      sendText(exchange.response, 401, 'The supplied authentication is invalid');
      return;
    }
    const text = form.get('message');
    const numbers = (form.get('to') ?? '')
      .split(',')
      .map((number) => number.trim())
      .filter(Boolean);
    if (!text || numbers.length === 0) {
      sendText(exchange.response, 400, text ? 'Must have to set' : 'Must have message set');
      return;
    }
    const from = form.get('from') ?? undefined;
    if (from !== undefined && !/^[A-Za-z0-9 ]{1,11}$|^\d{3,8}$/.test(from)) {
      sendJson(exchange.response, 201, { SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } });
      return;
    }
    const parts = text.length <= 160 ? 1 : Math.ceil(text.length / 153);
    let total = 0;
    let sent = 0;
    const recipients = numbers.map((number) => {
      const scripted = state.nextFailure();
      let statusCode = scripted ?? 101;
      if (scripted === undefined && !/^\+[1-9]\d{6,14}$/.test(number)) statusCode = 403;
      if (scripted === undefined && statusCode === 101 && state.balance.amount < parts * state.pricePerPart) {
        statusCode = 405;
      }
      const status = africasTalkingStatusCatalog[statusCode] ?? 'Failed';
      if (statusCode >= 100 && statusCode <= 102) {
        const messageId = `ATXid_${randomBytes(16).toString('hex')}`;
        const cost = parts * state.pricePerPart;
        state.balance.amount -= cost;
        total += cost;
        sent++;
        state.messages.push({ messageId, to: number, from, message: text });
        return { statusCode, number, status, cost: state.money(cost), messageId, messageParts: parts };
      }
      return { statusCode, number, status, cost: '0', messageId: 'None' };
    });
    sendJson(exchange.response, 201, {
      SMSMessageData: {
        Message: `Sent to ${sent}/${numbers.length} Total Cost: ${state.money(total)}`,
        Recipients: recipients,
      },
    });
  }
}

export function createAfricasTalkingSimulator(options: AfricasTalkingSimulatorOptions = {}): AfricasTalkingSimulator {
  return new AfricasTalkingSimulator(options);
}
