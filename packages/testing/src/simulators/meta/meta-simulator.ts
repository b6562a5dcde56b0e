import { createHmac, randomBytes } from 'node:crypto';
import { type SimulatorExchange, sendJson, VendorSimulator } from '../framework/vendor-simulator.js';
import { MessagingSimulatorState, postCallback } from '../shared/messaging-simulator-state.js';

export interface MetaSimulatorOptions {
  /** The access token accepted as `Authorization: Bearer …`. */
  accessToken?: string | undefined;
  /** The business phone number ID sends are addressed to. */
  phoneNumberId?: string | undefined;
  displayPhoneNumber?: string | undefined;
  /** WhatsApp Business Account id, reported in webhooks. */
  businessAccountId?: string | undefined;
  /** App secret: the key of X-Hub-Signature-256 on webhooks. */
  appSecret?: string | undefined;
  /** The app's configured webhook URL, where status webhooks go. */
  webhookUrl?: string | undefined;
}

export type MetaMessageStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface MetaSimulatedMessage {
  id: string;
  to: string;
  type: string;
  body: Record<string, unknown>;
  bizOpaqueCallbackData: string | undefined;
  status: MetaMessageStatus | 'accepted';
}

/** Cloud API errors a test can script, with the HTTP status and title Meta uses. */
export const metaErrorCatalog: Readonly<
  Record<number, { status: number; title: string; details?: string; type?: string }>
> = {
  190: { status: 401, title: 'Error validating access token: Session has expired', type: 'OAuthException' },
  10: { status: 403, title: 'Permission denied', type: 'OAuthException' },
  4: { status: 400, title: 'Application request limit reached', type: 'OAuthException' },
  80007: { status: 400, title: 'Rate limit issues' },
  130429: {
    status: 400,
    title: 'Rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number in a short period of time',
  },
  131000: { status: 500, title: 'Something went wrong' },
  131016: { status: 503, title: 'Service unavailable' },
  131026: { status: 400, title: 'Message undeliverable', details: 'Unable to deliver message.' },
  131042: { status: 400, title: 'Business eligibility payment issue' },
  131047: {
    status: 400,
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131050: {
    status: 400,
    title:
      'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  },
  131051: { status: 400, title: 'Unsupported message type' },
  132001: { status: 404, title: 'Template name does not exist in the translation' },
  100: { status: 400, title: 'Invalid parameter' },
  368: { status: 403, title: 'Temporarily blocked for policies violations' },
};

function fbtraceId(): string {
  return randomBytes(9).toString('base64url');
}

function metaErrorBody(
  code: number,
  title: string,
  options: { details?: string; type?: string; subcode?: number } = {},
) {
  return {
    error: {
      message: `(#${code}) ${title}`,
      type: options.type ?? 'OAuthException',
      code,
      ...(options.details ? { error_data: { messaging_product: 'whatsapp', details: options.details } } : {}),
      ...(options.subcode !== undefined ? { error_subcode: options.subcode } : {}),
      fbtrace_id: fbtraceId(),
    },
  };
}

function genericCode(status: number): number {
  if (status === 401) return 190;
  if (status === 403) return 10;
  if (status === 429) return 130429;
  if (status === 503) return 131016;
  if (status >= 500) return 131000;
  return 100;
}

/** `X-Hub-Signature-256` for a raw webhook body: `sha256=` + hex HMAC-SHA256 keyed with the app secret. */
export function metaSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

const messageTypes = new Set([
  'text',
  'template',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'reaction',
]);

class MetaState extends MessagingSimulatorState<MetaSimulatedMessage, number> {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly businessAccountId: string;
  readonly appSecret: string;
  webhookUrl: string | undefined;

  constructor(options: MetaSimulatorOptions) {
    super();
    this.accessToken = options.accessToken ?? 'simulated-meta-access-token';
    this.phoneNumberId = options.phoneNumberId ?? '106540352242922';
    this.displayPhoneNumber = options.displayPhoneNumber ?? '15550783881';
    this.businessAccountId = options.businessAccountId ?? '102290129340398';
    this.appSecret = options.appSecret ?? 'simulated-meta-app-secret';
    this.webhookUrl = options.webhookUrl;
  }

  authorized(exchange: SimulatorExchange): boolean {
    return exchange.request.headers.authorization === `Bearer ${this.accessToken}`;
  }

  /** A webhook payload: one change on the business account carrying `value` (statuses or messages). */
  webhook(value: Record<string, unknown>): Record<string, unknown> {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: this.businessAccountId,
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: this.displayPhoneNumber, phone_number_id: this.phoneNumberId },
                ...value,
              },
              field: 'messages',
            },
          ],
        },
      ],
    };
  }

  /** Posts a webhook to the app as Meta does: JSON with X-Hub-Signature-256 over the raw body. */
  async post(
    url: string,
    payload: Record<string, unknown>,
    appSecret = this.appSecret,
  ): Promise<{ status: number; body: string; rawBody: string; signature: string }> {
    const rawBody = JSON.stringify(payload);
    const signature = metaSignature(appSecret, rawBody);
    const answer = await postCallback(url, rawBody, {
      'content-type': 'application/json',
      'x-hub-signature-256': signature,
      'user-agent': 'facebookexternalua',
    });
    return { ...answer, rawBody, signature };
  }
}

function sendMetaError(
  exchange: SimulatorExchange,
  code: number,
  override?: { title?: string; subcode?: number },
): void {
  const entry = metaErrorCatalog[code] ?? { status: 400, title: `Error ${code}` };
  sendJson(
    exchange.response,
    entry.status,
    metaErrorBody(code, override?.title ?? entry.title, {
      details: entry.details,
      type: entry.type,
      subcode: override?.subcode,
    }),
  );
}

/**
 * The WhatsApp Cloud API on loopback: bearer token checked, JSON sends
 * validated, scripted Cloud API errors (131047, 131026, 130429…), and status
 * webhooks posted to the configured webhook URL with X-Hub-Signature-256.
 */
export class MetaSimulator extends VendorSimulator {
  readonly #state: MetaState;

  constructor(options: MetaSimulatorOptions = {}) {
    const state = new MetaState(options);
    super({
      name: 'meta',
      errorBody: (status, message) => metaErrorBody(genericCode(status), message),
      routes: [
        {
          method: 'POST',
          path: '/:version/:phoneNumberId/messages',
          handler: (exchange) => MetaSimulator.#send(state, exchange),
        },
        {
          method: 'GET',
          path: '/:version/:phoneNumberId',
          handler: (exchange) => {
            if (!state.authorized(exchange)) {
              sendMetaError(exchange, 190);
              return;
            }
            if (exchange.params.phoneNumberId !== state.phoneNumberId) {
              sendMetaError(exchange, 100, {
                title: `Unsupported get request. Object with ID '${exchange.params.phoneNumberId}' does not exist`,
                subcode: 33,
              });
              return;
            }
            sendJson(exchange.response, 200, {
              verified_name: 'Simulated Business',
              code_verification_status: 'VERIFIED',
              display_phone_number: state.displayPhoneNumber,
              quality_rating: 'GREEN',
              platform_type: 'CLOUD_API',
              throughput: { level: 'STANDARD' },
              id: state.phoneNumberId,
            });
          },
        },
      ],
    });
    this.#state = state;
  }

  get accessToken(): string {
    return this.#state.accessToken;
  }

  get phoneNumberId(): string {
    return this.#state.phoneNumberId;
  }

  get appSecret(): string {
    return this.#state.appSecret;
  }

  /** Where status webhooks go; settable after start, when the receiver's port is known. */
  set webhookUrl(url: string | undefined) {
    this.#state.webhookUrl = url;
  }

  get messages(): readonly MetaSimulatedMessage[] {
    return this.#state.messages;
  }

  /** Makes the next send(s) fail with this Cloud API code (e.g. 131047 outside the 24-hour window). */
  failNextSend(code: number, options: { times?: number } = {}): this {
    this.#state.failNext(code, options.times);
    return this;
  }

  override reset(): void {
    super.reset();
    this.#state.clear();
  }

  /** The webhook payload Meta posts for a status change of one message. */
  statusPayload(
    messageId: string,
    status: MetaMessageStatus,
    options: { errorCode?: number } = {},
  ): Record<string, unknown> {
    const message = this.#state.messages.find((candidate) => candidate.id === messageId);
    if (!message) throw new Error(`Meta simulator has no message ${messageId}`);
    const entry = options.errorCode === undefined ? undefined : metaErrorCatalog[options.errorCode];
    const statusObject: Record<string, unknown> = {
      id: message.id,
      status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: message.to,
      ...(message.bizOpaqueCallbackData ? { biz_opaque_callback_data: message.bizOpaqueCallbackData } : {}),
    };
    if (status === 'sent' || status === 'delivered') {
      statusObject.conversation = {
        id: randomBytes(16).toString('hex'),
        origin: { type: message.type === 'template' ? 'marketing' : 'service' },
      };
      statusObject.pricing = {
        billable: true,
        pricing_model: 'PMP',
        category: message.type === 'template' ? 'marketing' : 'service',
      };
    }
    if (options.errorCode !== undefined) {
      statusObject.errors = [
        {
          code: options.errorCode,
          title: entry?.title ?? `Error ${options.errorCode}`,
          message: entry?.title ?? `Error ${options.errorCode}`,
          error_data: { details: entry?.details ?? entry?.title ?? 'Message failed' },
        },
      ];
    }
    return this.#state.webhook({ statuses: [statusObject] });
  }

  /**
   * Posts Meta's status webhook for a message to the configured webhook URL (or
   * `options.url`), signed with X-Hub-Signature-256 over the raw body.
   */
  async deliverStatus(
    messageId: string,
    status: MetaMessageStatus,
    options: { errorCode?: number; url?: string; appSecret?: string } = {},
  ): Promise<{ status: number; body: string; rawBody: string; signature: string }> {
    const url = options.url ?? this.#state.webhookUrl;
    if (!url) throw new Error('Meta simulator has no webhook URL: pass webhookUrl or options.url');
    const payload = this.statusPayload(messageId, status, options);
    const message = this.#state.messages.find((candidate) => candidate.id === messageId);
    if (message) message.status = status;
    return this.#state.post(url, payload, options.appSecret);
  }

  /**
   * Posts the webhook Meta sends when a customer writes to the business number
   * (a text message), signed like a status webhook. Opens the 24-hour window in
   * real life; here it is just the payload.
   */
  async deliverInbound(
    from: string,
    text: string,
    options: { url?: string; appSecret?: string; profileName?: string } = {},
  ): Promise<{ status: number; body: string; rawBody: string; signature: string; messageId: string }> {
    const url = options.url ?? this.#state.webhookUrl;
    if (!url) throw new Error('Meta simulator has no webhook URL: pass webhookUrl or options.url');
    const waId = from.replace(/^\+/, '');
    const messageId = `wamid.${randomBytes(24).toString('base64url')}`;
    const payload = this.#state.webhook({
      contacts: [{ profile: { name: options.profileName ?? 'Simulated Customer' }, wa_id: waId }],
      messages: [
        {
          from: waId,
          id: messageId,
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: text },
        },
      ],
    });
    return { ...(await this.#state.post(url, payload, options.appSecret)), messageId };
  }

  static #send(state: MetaState, exchange: SimulatorExchange): void {
    const { request, params } = exchange;
    if (!state.authorized(exchange)) {
      sendMetaError(exchange, 190, { title: 'Invalid OAuth access token - Cannot parse access token' });
      return;
    }
    if (params.phoneNumberId !== state.phoneNumberId) {
      sendMetaError(exchange, 100, {
        title: `Unsupported post request. Object with ID '${params.phoneNumberId}' does not exist`,
        subcode: 33,
      });
      return;
    }
    const scripted = state.nextFailure();
    if (scripted !== undefined) {
      sendMetaError(exchange, scripted);
      return;
    }
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') {
      sendMetaError(exchange, 100, { title: 'Invalid parameter' });
      return;
    }
    if (body.messaging_product !== 'whatsapp') {
      sendMetaError(exchange, 100, { title: 'The parameter messaging_product is required.' });
      return;
    }
    const to = typeof body.to === 'string' ? body.to.replace(/^\+/, '') : '';
    if (!/^[1-9]\d{6,14}$/.test(to)) {
      sendMetaError(exchange, 100, { title: 'Invalid parameter' });
      return;
    }
    const type = typeof body.type === 'string' ? body.type : 'text';
    if (!messageTypes.has(type)) {
      sendMetaError(exchange, 131051);
      return;
    }
    const content = body[type] as Record<string, unknown> | undefined;
    if (!content || typeof content !== 'object') {
      sendMetaError(exchange, 100, { title: `The parameter ${type} is required.` });
      return;
    }
    if (type === 'text' && (typeof content.body !== 'string' || content.body.length === 0)) {
      sendMetaError(exchange, 100, { title: 'The parameter text[body] is required.' });
      return;
    }
    const message: MetaSimulatedMessage = {
      id: `wamid.${randomBytes(24).toString('base64url')}`,
      to,
      type,
      body,
      bizOpaqueCallbackData:
        typeof body.biz_opaque_callback_data === 'string' ? body.biz_opaque_callback_data : undefined,
      status: 'accepted',
    };
    state.messages.push(message);
    sendJson(exchange.response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: to }],
      messages: [type === 'template' ? { id: message.id, message_status: 'accepted' } : { id: message.id }],
    });
  }
}

export function createMetaSimulator(options: MetaSimulatorOptions = {}): MetaSimulator {
  return new MetaSimulator(options);
}
