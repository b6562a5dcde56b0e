import { createHmac, randomBytes } from 'node:crypto';
import {
  type RecordedRequest,
  type SimulatorExchange,
  sendJson,
  VendorSimulator,
} from '../framework/vendor-simulator.js';
import { MessagingSimulatorState, postCallback } from '../shared/messaging-simulator-state.js';

export interface TwilioSimulatorOptions {
  /** The account the simulator accepts (`AC…`). */
  accountSid?: string | undefined;
  /** Its auth token: checked on every request and the key of callback signatures. */
  authToken?: string | undefined;
  /** An API key pair accepted as well (`SK…` and its secret). */
  apiKeySid?: string | undefined;
  apiKeySecret?: string | undefined;
  /** Price reported on created messages (Twilio usually reports none until sent). */
  price?: { amount: string; unit: string } | undefined;
}

export type TwilioMessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read';

/** A message the simulator accepted. */
export interface TwilioSimulatedMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string | undefined;
  mediaUrls: string[];
  contentSid: string | undefined;
  contentVariables: string | undefined;
  statusCallback: string | undefined;
  idempotencyToken: string | undefined;
  status: TwilioMessageStatus;
}

/** Twilio errors a test can script for the next send, with their real status and text. */
export const twilioErrorCatalog: Readonly<Record<number, { status: number; message: string }>> = {
  20003: { status: 401, message: 'Authenticate' },
  20429: { status: 429, message: 'Too Many Requests' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21606: {
    status: 400,
    message:
      "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination.",
  },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  63016: {
    status: 400,
    message:
      'Failed to send freeform message because you are outside the allowed window. If you want to send messages outside the allowed window, please use a Template.',
  },
  20500: { status: 500, message: 'Internal Server Error' },
  20503: { status: 503, message: 'Service Unavailable' },
};

/**
 * The signature Twilio puts in `X-Twilio-Signature`: base64 HMAC-SHA1, keyed
 * with the auth token, over the full URL followed by every POST parameter
 * name and value, sorted by name, with no separators.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string> | URLSearchParams,
): string {
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  const data =
    url +
    entries
      // By name, then by value for a repeated name, as Twilio's own libraries sort.
      .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
      .map(([name, value]) => name + value)
      .join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function twilioErrorBody(code: number, status: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function genericCode(status: number): number {
  if (status === 401) return 20003;
  return 20000 + status;
}

const e164 = /^\+[1-9]\d{6,14}$/;

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

class TwilioState extends MessagingSimulatorState<TwilioSimulatedMessage, number> {
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKeySid: string | undefined;
  readonly apiKeySecret: string | undefined;
  readonly price: TwilioSimulatorOptions['price'];

  constructor(options: TwilioSimulatorOptions) {
    super();
    this.accountSid = options.accountSid ?? 'AC00000000000000000000000000000001';
    this.authToken = options.authToken ?? 'simulated-twilio-auth-token';
    this.apiKeySid = options.apiKeySid;
    this.apiKeySecret = options.apiKeySecret;
    this.price = options.price;
  }

  authorized(request: RecordedRequest, accountSid: string | undefined): boolean {
    const header = String(request.headers.authorization ?? '');
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const user = decoded.slice(0, separator);
    const password = decoded.slice(separator + 1);
    const valid =
      (user === this.accountSid && password === this.authToken) ||
      (this.apiKeySid !== undefined && user === this.apiKeySid && password === this.apiKeySecret);
    return valid && (accountSid === undefined || accountSid === this.accountSid);
  }

  resource(message: TwilioSimulatedMessage) {
    const now = new Date().toUTCString();
    return {
      sid: message.sid,
      account_sid: message.accountSid,
      api_version: '2010-04-01',
      body: message.body ?? '',
      date_created: now,
      date_updated: now,
      date_sent: null,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from ?? null,
      messaging_service_sid: message.messagingServiceSid ?? null,
      num_media: String(message.mediaUrls.length),
      num_segments: '1',
      price: this.price ? this.price.amount : null,
      price_unit: this.price ? this.price.unit : 'USD',
      status: message.status,
      subresource_uris: {
        media: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json`,
      },
      to: message.to,
      uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
    };
  }
}

function sendTwilioError(exchange: SimulatorExchange, code: number): void {
  const entry = twilioErrorCatalog[code] ?? { status: 400, message: `Error ${code}` };
  sendJson(exchange.response, entry.status, twilioErrorBody(code, entry.status, entry.message));
}

/**
 * Twilio's Messages API on loopback: basic auth checked against the configured
 * account (or API key), form-encoded sends validated the way Twilio validates
 * them, scripted vendor errors, and status callbacks signed exactly as Twilio
 * signs them.
 */
export class TwilioSimulator extends VendorSimulator {
  readonly #state: TwilioState;

  constructor(options: TwilioSimulatorOptions = {}) {
    const state = new TwilioState(options);
    super({
      name: 'twilio',
      headers: { 'twilio-request-id': 'RQ00000000000000000000000000000000' },
      errorBody: (status, message) => twilioErrorBody(genericCode(status), status, message),
      routes: [
        {
          method: 'POST',
          path: '/2010-04-01/Accounts/:accountSid/Messages.json',
          handler: (exchange) => TwilioSimulator.#create(state, exchange),
        },
        {
          method: 'GET',
          path: '/2010-04-01/Accounts/:accountSid/Messages/:sid.json',
          handler: (exchange) => {
            if (!state.authorized(exchange.request, exchange.params.accountSid)) {
              sendTwilioError(exchange, 20003);
              return;
            }
            const message = state.messages.find((candidate) => candidate.sid === exchange.params.sid);
            if (!message) {
              sendJson(exchange.response, 404, twilioErrorBody(20404, 404, 'The requested resource was not found'));
              return;
            }
            sendJson(exchange.response, 200, state.resource(message));
          },
        },
        {
          method: 'GET',
          path: '/2010-04-01/Accounts/:accountSid.json',
          handler: (exchange) => {
            if (!state.authorized(exchange.request, exchange.params.accountSid)) {
              sendTwilioError(exchange, 20003);
              return;
            }
            sendJson(exchange.response, 200, {
              sid: state.accountSid,
              friendly_name: 'Simulated account',
              status: 'active',
              type: 'Full',
              date_created: new Date(0).toUTCString(),
              uri: `/2010-04-01/Accounts/${state.accountSid}.json`,
            });
          },
        },
      ],
    });
    this.#state = state;
  }

  get accountSid(): string {
    return this.#state.accountSid;
  }

  get authToken(): string {
    return this.#state.authToken;
  }

  /** Every message accepted so far, oldest first. */
  get messages(): readonly TwilioSimulatedMessage[] {
    return this.#state.messages;
  }

  /** Makes the next send(s) fail with this Twilio error code (e.g. 21610 unsubscribed, 63016 outside the window). */
  failNextSend(code: number, options: { times?: number } = {}): this {
    this.#state.failNext(code, options.times);
    return this;
  }

  override reset(): void {
    super.reset();
    this.#state.clear();
  }

  /**
   * Posts Twilio's status callback for a message to its StatusCallback URL (or
   * `options.url`), signed with X-Twilio-Signature. Returns the receiver's answer.
   */
  async deliverStatus(
    messageSid: string,
    status: TwilioMessageStatus,
    options: { errorCode?: number; url?: string; authToken?: string } = {},
  ): Promise<{ status: number; body: string; params: URLSearchParams; signature: string }> {
    const message = this.#state.messages.find((candidate) => candidate.sid === messageSid);
    if (!message) throw new Error(`Twilio simulator has no message ${messageSid}`);
    const url = options.url ?? message.statusCallback;
    if (!url) throw new Error(`Message ${messageSid} was sent without a StatusCallback`);
    message.status = status;
    const params = new URLSearchParams();
    params.set('AccountSid', message.accountSid);
    params.set('ApiVersion', '2010-04-01');
    if (message.from) params.set('From', message.from);
    params.set('MessageSid', message.sid);
    params.set('MessageStatus', status);
    if (message.messagingServiceSid) params.set('MessagingServiceSid', message.messagingServiceSid);
    params.set('SmsSid', message.sid);
    params.set('SmsStatus', status);
    params.set('To', message.to);
    if (options.errorCode !== undefined) params.set('ErrorCode', String(options.errorCode));
    return { ...(await this.#postSigned(url, params, options.authToken)), params };
  }

  /**
   * Posts the webhook Twilio sends when someone texts one of our numbers to
   * `url` (the number's messaging webhook), signed with X-Twilio-Signature. For
   * WhatsApp, pass `whatsapp:`-prefixed addresses.
   */
  async deliverInbound(
    url: string,
    message: { from: string; to: string; body: string; mediaUrls?: string[] },
    options: { authToken?: string } = {},
  ): Promise<{ status: number; body: string; params: URLSearchParams; signature: string; messageSid: string }> {
    const messageSid = sid('SM');
    const params = new URLSearchParams();
    params.set('AccountSid', this.#state.accountSid);
    params.set('ApiVersion', '2010-04-01');
    params.set('Body', message.body);
    params.set('From', message.from);
    params.set('MessageSid', messageSid);
    params.set('NumMedia', String(message.mediaUrls?.length ?? 0));
    params.set('NumSegments', '1');
    params.set('SmsMessageSid', messageSid);
    params.set('SmsSid', messageSid);
    params.set('SmsStatus', 'received');
    params.set('To', message.to);
    (message.mediaUrls ?? []).forEach((mediaUrl, index) => {
      params.set(`MediaUrl${index}`, mediaUrl);
      params.set(`MediaContentType${index}`, 'image/jpeg');
    });
    return { ...(await this.#postSigned(url, params, options.authToken)), params, messageSid };
  }

  /** Posts a webhook form as Twilio does: X-Twilio-Signature with the account's (or the given) auth token. */
  async #postSigned(
    url: string,
    params: URLSearchParams,
    authToken = this.#state.authToken,
  ): Promise<{ status: number; body: string; signature: string }> {
    const signature = twilioSignature(authToken, url, params);
    const answer = await postCallback(url, params.toString(), {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
      'user-agent': 'TwilioProxy/1.1',
    });
    return { ...answer, signature };
  }

  static #create(state: TwilioState, exchange: SimulatorExchange): void {
    const { request, params } = exchange;
    if (!state.authorized(request, params.accountSid)) {
      sendTwilioError(exchange, 20003);
      return;
    }
    const scripted = state.nextFailure();
    if (scripted !== undefined) {
      sendTwilioError(exchange, scripted);
      return;
    }
    const form = request.form ?? new URLSearchParams();
    const to = form.get('To') ?? '';
    const whatsapp = to.startsWith('whatsapp:');
    if (!e164.test(whatsapp ? to.slice('whatsapp:'.length) : to)) {
      sendTwilioError(exchange, 21211);
      return;
    }
    const from = form.get('From') ?? undefined;
    const messagingServiceSid = form.get('MessagingServiceSid') ?? undefined;
    if (!from && !messagingServiceSid) {
      sendTwilioError(exchange, 21603);
      return;
    }
    const body = form.get('Body') ?? undefined;
    const mediaUrls = form.getAll('MediaUrl');
    const contentSid = form.get('ContentSid') ?? undefined;
    if (!body && mediaUrls.length === 0 && !contentSid) {
      sendTwilioError(exchange, 21602);
      return;
    }
    if (body && body.length > 1600) {
      sendTwilioError(exchange, 21617);
      return;
    }
    const message: TwilioSimulatedMessage = {
      sid: sid('SM'),
      accountSid: state.accountSid,
      to,
      from,
      messagingServiceSid,
      body,
      mediaUrls,
      contentSid,
      contentVariables: form.get('ContentVariables') ?? undefined,
      statusCallback: form.get('StatusCallback') ?? undefined,
      idempotencyToken: (request.headers['i-twilio-idempotency-token'] as string | undefined) ?? undefined,
      status: 'queued',
    };
    state.messages.push(message);
    sendJson(exchange.response, 201, state.resource(message));
  }
}

export function createTwilioSimulator(options: TwilioSimulatorOptions = {}): TwilioSimulator {
  return new TwilioSimulator(options);
}
