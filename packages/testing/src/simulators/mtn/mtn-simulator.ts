import { randomBytes } from 'node:crypto';
import { type SimulatorExchange, sendJson, VendorSimulator } from '../framework/vendor-simulator.js';
import { MessagingSimulatorState, postCallback } from '../shared/messaging-simulator-state.js';

export interface MtnSimulatorOptions {
  /** The app's consumer key (OAuth2 client id). */
  apiKey?: string;
  /** The app's consumer secret (OAuth2 client secret). */
  apiSecret?: string;
  /** Sender ids the account may use (default: any alphanumeric id of up to 11 characters). */
  senderIds?: readonly string[];
  /** Token lifetime in seconds (default 3599). */
  tokenLifetimeSeconds?: number;
  /** Where delivery receipts go (the notify URL subscribed for the sender). */
  deliveryReportUrl?: string;
  /** Where inbound SMS go (the webhook URL configured in MTN's dashboard). */
  inboundUrl?: string;
  /** The Bearer token MTN sends with callbacks (configured with the webhook). */
  webhookToken?: string;
}

export type MtnDeliveryStatus =
  | 'DeliveredToTerminal'
  | 'DeliveredToNetwork'
  | 'MessageWaiting'
  | 'DeliveryImpossible'
  | 'DeliveryUncertain'
  | 'DeliveryNotificationNotSupported';

export interface MtnSimulatedMessage {
  /** The clientCorrelatorId, echoed as transactionId and used as the message id. */
  messageId: string;
  requestId: string;
  senderAddress: string;
  receiverAddress: string;
  message: string;
  serviceCode: string | undefined;
  requestDeliveryReceipt: boolean;
}

/** A MADAPI-style failure a test can script for the next send: HTTP status and canonical statusCode. */
export interface MtnScriptedFailure {
  status: number;
  statusCode: string;
  statusMessage: string;
}

function madapiError(status: number, statusCode: string, statusMessage: string, path: string) {
  return {
    statusCode,
    statusMessage,
    supportMessage: statusMessage,
    transactionId: randomBytes(8).toString('hex'),
    timestamp: new Date().toISOString(),
    path,
    method: 'POST',
    status,
  };
}

class MtnState extends MessagingSimulatorState<MtnSimulatedMessage, MtnScriptedFailure> {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly senderIds: readonly string[] | undefined;
  readonly lifetime: number;
  readonly tokens = new Map<string, number>();
  tokenRequests = 0;
  deliveryReportUrl: string | undefined;
  inboundUrl: string | undefined;
  webhookToken: string;

  constructor(options: MtnSimulatorOptions) {
    super();
    this.apiKey = options.apiKey ?? 'mtn-simulated-consumer-key';
    this.apiSecret = options.apiSecret ?? 'mtn-simulated-consumer-secret';
    this.senderIds = options.senderIds;
    this.lifetime = options.tokenLifetimeSeconds ?? 3599;
    this.deliveryReportUrl = options.deliveryReportUrl;
    this.inboundUrl = options.inboundUrl;
    this.webhookToken = options.webhookToken ?? 'mtn-simulated-webhook-token';
  }

  bearerValid(exchange: SimulatorExchange): boolean {
    const header = String(exchange.request.headers.authorization ?? '');
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > Date.now();
  }
}

/**
 * MTN's developer API (SMS v3) on loopback: the OAuth2 client-credentials token endpoint (consumer key
 * and secret as form fields), the outbound SMS endpoint (Bearer token, JSON, MADAPI `statusCode`
 * answers), scripted failures, token revocation, and the callbacks MTN makes to the app — delivery
 * receipts and inbound SMS, both with the configured `Authorization: Bearer` token.
 */
export class MtnSimulator extends VendorSimulator {
  readonly #state: MtnState;

  constructor(options: MtnSimulatorOptions = {}) {
    const state = new MtnState(options);
    super({
      name: 'mtn',
      errorBody: (status, message) =>
        madapiError(status, status === 401 ? '4010' : status === 429 ? '4290' : '5000', message, ''),
      routes: [
        {
          method: 'POST',
          path: '/v1/oauth/access_token',
          handler: (exchange) => {
            state.tokenRequests++;
            const form = exchange.request.form ?? new URLSearchParams();
            if (exchange.request.query.get('grant_type') !== 'client_credentials') {
              sendJson(exchange.response, 400, { error: 'invalid_request', error_description: 'grant_type' });
              return;
            }
            if (form.get('client_id') !== state.apiKey || form.get('client_secret') !== state.apiSecret) {
              sendJson(exchange.response, 401, {
                ErrorCode: '401',
                Error: 'Invalid client credentials',
                statusCode: '4010',
                statusMessage: 'Invalid client credentials',
              });
              return;
            }
            const token = randomBytes(18).toString('base64url');
            state.tokens.set(token, Date.now() + state.lifetime * 1000);
            sendJson(exchange.response, 200, {
              refresh_token_expires_in: '0',
              api_product_list: '["SMS-V3"]',
              organization_name: 'mtn-prod',
              'developer.email': 'developer@example.com',
              token_type: 'BearerToken',
              issued_at: String(Date.now()),
              client_id: state.apiKey,
              access_token: token,
              application_name: 'patchbay-simulated',
              scope: 'SEND-SMS',
              expires_in: String(state.lifetime),
              status: 'approved',
            });
          },
        },
        {
          method: 'POST',
          path: '/v3/sms/messages/sms/outbound',
          handler: (exchange) => MtnSimulator.#send(state, exchange),
        },
      ],
    });
    this.#state = state;
  }

  get apiKey(): string {
    return this.#state.apiKey;
  }

  get apiSecret(): string {
    return this.#state.apiSecret;
  }

  get webhookToken(): string {
    return this.#state.webhookToken;
  }

  /** How many tokens were asked for (a cached token means one for many sends). */
  get tokenRequests(): number {
    return this.#state.tokenRequests;
  }

  get messages(): readonly MtnSimulatedMessage[] {
    return this.#state.messages;
  }

  set deliveryReportUrl(url: string | undefined) {
    this.#state.deliveryReportUrl = url;
  }

  set inboundUrl(url: string | undefined) {
    this.#state.inboundUrl = url;
  }

  /** Revokes every issued token: the next send with a cached token gets 401. */
  revokeTokens(): this {
    this.#state.tokens.clear();
    return this;
  }

  /** Makes the next send(s) fail as MTN would (e.g. `{ status: 400, statusCode: '4000', statusMessage: 'Invalid receiver' }`). */
  failNextSend(failure: MtnScriptedFailure, options: { times?: number } = {}): this {
    this.#state.failNext(failure, options.times);
    return this;
  }

  override reset(): void {
    super.reset();
    this.#state.clear();
    this.#state.tokens.clear();
    this.#state.tokenRequests = 0;
  }

  /** Posts a delivery receipt (`deliveryInfoNotification`) for a message, with MTN's Bearer token. */
  async deliverStatus(
    messageId: string,
    status: MtnDeliveryStatus,
    options: { url?: string; token?: string } = {},
  ): Promise<{ status: number; body: string }> {
    const message = this.#state.messages.find((candidate) => candidate.messageId === messageId);
    if (!message) throw new Error(`MTN simulator has no message ${messageId}`);
    const url = options.url ?? this.#state.deliveryReportUrl;
    if (!url) throw new Error('MTN simulator has no delivery report URL');
    const body = {
      deliveryInfoNotification: {
        deliveryInfo: {
          requestId: message.requestId,
          clientCorrelator: message.messageId,
          deliveryStatus: [{ receiverAddress: message.receiverAddress, status }],
        },
      },
    };
    return postCallback(url, JSON.stringify(body), {
      'content-type': 'application/json',
      authorization: `Bearer ${options.token ?? this.#state.webhookToken}`,
    });
  }

  /** Posts an inbound SMS as MTN forwards it to the app's webhook. */
  async sendInbound(input: {
    from: string;
    text: string;
    to?: string;
    messageId?: string;
    url?: string;
    token?: string | null;
  }): Promise<{ status: number; body: string; messageId: string }> {
    const url = input.url ?? this.#state.inboundUrl;
    if (!url) throw new Error('MTN simulator has no inbound URL');
    const messageId = input.messageId ?? `mtn-in-${randomBytes(8).toString('hex')}`;
    const body = {
      inboundSMSMessageNotification: {
        inboundSMSMessage: {
          dateTime: new Date().toISOString().replace('Z', '+0000'),
          destinationAddress: input.to ?? 'EasyMO',
          registrationId: input.to ?? 'EasyMO',
          message: input.text,
          senderAddress: input.from.replace(/^\+/, ''),
          messageID: messageId,
        },
      },
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (input.token !== null) headers.authorization = `Bearer ${input.token ?? this.#state.webhookToken}`;
    const answer = await postCallback(url, JSON.stringify(body), headers);
    return { ...answer, messageId };
  }

  static #send(state: MtnState, exchange: SimulatorExchange): void {
    const path = exchange.request.path;
    if (!state.bearerValid(exchange)) {
      sendJson(exchange.response, 401, madapiError(401, '4010', 'Invalid or expired access token', path));
      return;
    }
    const body = exchange.request.json as
      | {
          senderAddress?: unknown;
          receiverAddress?: unknown;
          message?: unknown;
          clientCorrelatorId?: unknown;
          serviceCode?: unknown;
          requestDeliveryReceipt?: unknown;
        }
      | undefined;
    const receivers = Array.isArray(body?.receiverAddress) ? body.receiverAddress : [];
    const receiver = typeof receivers[0] === 'string' ? receivers[0] : '';
    const sender = typeof body?.senderAddress === 'string' ? body.senderAddress : '';
    const text = typeof body?.message === 'string' ? body.message : '';
    if (!text || !receiver || !sender) {
      sendJson(
        exchange.response,
        400,
        madapiError(400, '4000', 'senderAddress, receiverAddress and message are required', path),
      );
      return;
    }
    if (receivers.length > 1) {
      sendJson(exchange.response, 400, madapiError(400, '4000', 'Only one receiverAddress is supported', path));
      return;
    }
    if (!/^[1-9]\d{6,14}$/.test(receiver)) {
      sendJson(exchange.response, 400, madapiError(400, '4000', 'Invalid receiverAddress', path));
      return;
    }
    const allowed = state.senderIds ? state.senderIds.includes(sender) : /^[A-Za-z0-9]{1,11}$/.test(sender);
    if (!allowed) {
      sendJson(exchange.response, 400, madapiError(400, '4001', 'Sender id not registered', path));
      return;
    }
    const scripted = state.nextFailure();
    if (scripted) {
      sendJson(
        exchange.response,
        scripted.status,
        madapiError(scripted.status, scripted.statusCode, scripted.statusMessage, path),
      );
      return;
    }
    const correlator =
      typeof body?.clientCorrelatorId === 'string' && body.clientCorrelatorId !== ''
        ? body.clientCorrelatorId
        : randomBytes(8).toString('hex');
    state.messages.push({
      messageId: correlator,
      requestId: `${randomBytes(8).toString('hex')}@${Date.now().toString(16)}`,
      senderAddress: sender,
      receiverAddress: receiver,
      message: text,
      serviceCode: typeof body?.serviceCode === 'string' ? body.serviceCode : undefined,
      requestDeliveryReceipt: body?.requestDeliveryReceipt === true,
    });
    sendJson(exchange.response, 200, {
      statusCode: '0000',
      statusMessage: 'Successful',
      transactionId: correlator,
      data: { status: 'PENDING' },
    });
  }
}

export function createMtnSimulator(options: MtnSimulatorOptions = {}): MtnSimulator {
  return new MtnSimulator(options);
}
