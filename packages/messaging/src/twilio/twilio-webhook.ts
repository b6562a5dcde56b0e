import { createHash, createHmac } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import type { DeliveryStatus } from '@patchbay/core';
import { Secret } from '@patchbay/core/adapter';
import { normalizePhoneNumber } from '../phone-number.js';
import {
  defaultMaxFormParameters,
  type FormParams,
  FormParseError,
  firstParam,
  parseFormParams,
  parseJsonParams,
} from '../webhooks/form-params.js';
import type {
  DeliveryStatusEvent,
  InboundMedia,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import {
  bodyErrorResponse,
  constantTimeEqual,
  defaultMaxBodyBytes,
  emitWebhookEvents,
  readRawBody,
  textResponse,
  type WebhookHandler,
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** Request parameters as Twilio sends them; a key sent twice keeps every value. */
export type TwilioParams = FormParams;

/**
 * The X-Twilio-Signature for a URL and its POST parameters: HMAC-SHA1 keyed with the auth token over
 * the full URL followed by every parameter name and value, sorted by name, base64-encoded. A key
 * sent several times contributes each distinct value once, values sorted (as twilio-node signs).
 * For JSON bodies Twilio signs the URL alone (`params` empty) and puts the body's SHA-256 in the URL.
 * Throws on an empty auth token: nothing signed with it may ever verify.
 */
export function computeTwilioSignature(authToken: string | Secret, url: string, params: TwilioParams = {}): string {
  const key = Secret.from(authToken).reveal();
  if (key === '') throw new TypeError('The Twilio auth token is empty');
  const parts: string[] = [url];
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (typeof value === 'string') parts.push(name, value);
    else for (const item of [...new Set(value ?? [])].sort()) parts.push(name, item);
  }
  return createHmac('sha1', key).update(parts.join(''), 'utf8').digest('base64');
}

export interface VerifyTwilioSignatureInput {
  authToken: string | Secret;
  /** The X-Twilio-Signature header. */
  signature: string | null | undefined;
  /** The URL exactly as Twilio requested it, including the query string. */
  url: string;
  /** Form parameters (form-encoded bodies); `parseFormParams` reads them from the raw body. */
  params?: TwilioParams | undefined;
  /** The raw body, for JSON bodies whose URL carries `bodySHA256`. */
  rawBody?: Uint8Array | string | undefined;
}

/**
 * True when the signature matches, with twilio-node's semantics: the URL is tried without any port,
 * with its port (the scheme's default added when it has none), and each of those with the query
 * re-encoded the legacy way (Twilio's signing is inconsistent about both). An empty auth token never
 * verifies. When the URL carries `bodySHA256`, the signature covers the URL only and the body must
 * hash to that value.
 */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const { authToken, signature, url } = input;
  if (typeof signature !== 'string' || signature === '') return false;
  if (Secret.from(authToken).reveal() === '') return false;
  const bodyHash = bodySha256Of(url);
  let params: TwilioParams = input.params ?? {};
  if (bodyHash !== undefined) {
    if (input.rawBody === undefined) return false;
    const actual = createHash('sha256').update(input.rawBody).digest('hex');
    if (!constantTimeEqual(actual, bodyHash.toLowerCase())) return false;
    params = {};
  }
  let matched = false;
  // Every candidate is checked (no early exit) so timing does not reveal which form matched.
  for (const candidate of twilioUrlCandidates(url)) {
    if (constantTimeEqual(computeTwilioSignature(authToken, candidate, params), signature)) matched = true;
  }
  return matched;
}

function bodySha256Of(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const value = new URLSearchParams(url.slice(query + 1)).get('bodySHA256');
  return value ?? undefined;
}

/** `https://host/path` → `https://host:443/path`; a URL with a port keeps it. */
function withPort(url: URL): string {
  if (url.port !== '') return url.toString();
  const port = url.protocol === 'https:' ? ':443' : ':80';
  const credentials = url.username || url.password ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${credentials}${url.host}${port}${url.pathname}${url.search}${url.hash}`;
}

function withoutPort(url: URL): string {
  const copy = new URL(url);
  copy.port = '';
  return copy.toString();
}

/** The query re-encoded by Node's legacy querystring, which leaves `'` unescaped where the URL parser escapes it. */
function withLegacyQuery(url: string): string {
  const parsed = new URL(url);
  if (parsed.search === '') return url;
  const query = stringifyQuery(parseQuery(parsed.search.slice(1)));
  parsed.search = '';
  return `${parsed.toString()}?${query}`;
}

/** Every URL form twilio-node accepts a signature for, plus the URL verbatim. */
export function twilioUrlCandidates(url: string): string[] {
  const candidates = new Set<string>([url]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [...candidates];
  }
  for (const form of [withoutPort(parsed), withPort(parsed)]) {
    candidates.add(form);
    candidates.add(withLegacyQuery(form));
  }
  return [...candidates];
}

/** Twilio message statuses → the normalised set; `receiving`/`received` mark inbound messages. */
const statusMap: ReadonlyMap<string, DeliveryStatus> = new Map(
  Object.entries({
    accepted: 'queued',
    scheduled: 'queued',
    queued: 'queued',
    sending: 'queued',
    sent: 'sent',
    delivered: 'delivered',
    read: 'read',
    failed: 'failed',
    undelivered: 'undelivered',
    canceled: 'failed',
    partially_delivered: 'delivered',
  }),
);

const first = firstParam;

function channelOf(address: string | undefined): 'sms' | 'whatsapp' {
  return address?.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
}

/** `whatsapp:+14155238886` → `+14155238886`; alphanumeric senders and short codes stay as they are. */
function addressOf(address: string | undefined): string {
  const bare = (address ?? '').replace(/^[a-z]+:/i, '').trim();
  if (!/^\+?[\d\s().-]{6,}$/.test(bare)) return bare;
  try {
    return normalizePhoneNumber(bare.startsWith('+') ? bare : `+${bare}`);
  } catch {
    return bare;
  }
}

export class TwilioWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwilioWebhookParseError';
  }
}

/**
 * Reads Twilio messaging webhook parameters into a normalised event: a status callback
 * (`MessageStatus`) or an inbound message. Returns undefined for a status Patchbay does not model;
 * throws TwilioWebhookParseError when the parameters are not a messaging webhook at all.
 */
export function parseTwilioWebhook(params: TwilioParams, now: Date = new Date()): MessagingWebhookEvent | undefined {
  const messageId = first(params, 'MessageSid') ?? first(params, 'SmsMessageSid') ?? first(params, 'SmsSid');
  if (messageId === undefined || messageId === '') throw new TwilioWebhookParseError('MessageSid is missing');
  const from = first(params, 'From');
  const to = first(params, 'To');
  const accountId = first(params, 'AccountSid');
  const rawStatus = (first(params, 'MessageStatus') ?? first(params, 'SmsStatus') ?? '').toLowerCase();
  const inbound = rawStatus === 'received' || rawStatus === 'receiving' || (rawStatus === '' && from !== undefined);

  if (!inbound) {
    const status = statusMap.get(rawStatus);
    if (status === undefined) return undefined;
    const errorCode = first(params, 'ErrorCode');
    const errorMessage = first(params, 'ErrorMessage');
    const event: DeliveryStatusEvent = {
      type: 'delivery-status',
      channel: channelOf(to ?? from),
      vendor: 'twilio',
      messageId,
      status,
      timestamp: now,
      raw: params,
    };
    if (errorCode !== undefined && errorCode !== '' && errorCode !== '0') event.errorCode = errorCode;
    if (errorMessage !== undefined && errorMessage !== '') event.errorMessage = errorMessage;
    if (to !== undefined && to !== '') event.to = addressOf(to);
    if (accountId !== undefined) event.accountId = accountId;
    // Twilio reports the price as a negative decimal once it is known (`Price=-0.0075&PriceUnit=USD`).
    const price = Number(first(params, 'Price'));
    const priceUnit = first(params, 'PriceUnit');
    if (first(params, 'Price') && Number.isFinite(price) && priceUnit && /^[A-Za-z]{3}$/.test(priceUnit)) {
      event.cost = { amount: Math.abs(price), currency: priceUnit.toUpperCase() };
    }
    return event;
  }

  if (from === undefined || from === '') throw new TwilioWebhookParseError('From is missing');
  const mediaCount = Number.parseInt(first(params, 'NumMedia') ?? '0', 10);
  const media: InboundMedia[] = [];
  // Bounded: Twilio sends at most 10 media items; a forged count must not make us loop for long.
  for (let index = 0; index < Math.min(Number.isFinite(mediaCount) ? mediaCount : 0, 10); index += 1) {
    const url = first(params, `MediaUrl${index}`);
    if (url === undefined) continue;
    const item: InboundMedia = { url };
    const mimeType = first(params, `MediaContentType${index}`);
    if (mimeType !== undefined) item.mimeType = mimeType;
    media.push(item);
  }
  const event: InboundMessageEvent = {
    type: 'inbound-message',
    channel: channelOf(from),
    vendor: 'twilio',
    from: addressOf(from),
    to: addressOf(to),
    text: first(params, 'Body') ?? '',
    media,
    messageId,
    receivedAt: now,
    raw: params,
  };
  if (accountId !== undefined) event.accountId = accountId;
  return event;
}

/** What resolving an auth token for a request may return. */
export type TwilioAuthTokenResolution =
  | string
  | Secret
  | { authToken: string | Secret; tenant?: string | undefined }
  | undefined;

export interface TwilioWebhookRequestContext {
  request: Request;
  /** The URL the signature is checked against. */
  url: string;
  /** Unverified: use it only to pick whose auth token to verify with. */
  accountSid: string | undefined;
}

export interface TwilioWebhookHandlerOptions {
  /**
   * The auth token, or a function choosing it per request (per tenant: by AccountSid or by a path
   * segment). Returning undefined rejects the request with 403.
   */
  authToken:
    | string
    | Secret
    | ((context: TwilioWebhookRequestContext) => TwilioAuthTokenResolution | Promise<TwilioAuthTokenResolution>);
  /**
   * The public URL Twilio called, when this server sits behind a proxy that rewrites it. A string is
   * the endpoint's public URL without query: the request's own query string is appended. A function
   * returns the full URL for a request.
   */
  url?: string | ((request: Request) => string) | undefined;
  onEvent: WebhookEventListener;
  maxBodyBytes?: number | undefined;
  /** Form bodies with more parameters than this answer 413 before any parsing (default 1000). */
  maxParameters?: number | undefined;
  /** Keep the vendor payload on events as `raw` (default true). */
  includeRaw?: boolean | undefined;
}

const emptyTwiml = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function publicUrlOf(request: Request, option: TwilioWebhookHandlerOptions['url']): string {
  if (option === undefined) return request.url;
  if (typeof option === 'function') return option(request);
  if (option.includes('?')) return option;
  const query = request.url.indexOf('?');
  return query === -1 ? option : option + request.url.slice(query);
}

/**
 * A Fetch API handler for Twilio messaging webhooks (status callbacks and inbound messages).
 * Verifies X-Twilio-Signature on the raw request first: a missing or wrong signature answers 403
 * and no event is emitted; an unreadable body 400; success 200 with empty TwiML. Before the
 * signature is checked the body is only counted and split into parameters (bounded by
 * `maxParameters`); nothing else reads it.
 */
export function createTwilioWebhookHandler(options: TwilioWebhookHandlerOptions): WebhookHandler {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const maxParameters = options.maxParameters ?? defaultMaxFormParameters;
  const handler = async (request: Request): Promise<Response> => {
    try {
      if (request.method !== 'POST' && request.method !== 'GET') return textResponse(405, 'Method not allowed');
      let url: string;
      try {
        url = publicUrlOf(request, options.url);
      } catch {
        return textResponse(500, 'Webhook URL could not be determined');
      }
      let raw: Uint8Array;
      try {
        raw = request.method === 'POST' ? await readRawBody(request, maxBodyBytes) : new Uint8Array(0);
      } catch (error) {
        return bodyErrorResponse(error);
      }
      const signature = request.headers.get('x-twilio-signature');
      if (signature === null || signature === '') return textResponse(403, 'Missing X-Twilio-Signature');
      const usesBodyHash = bodySha256Of(url) !== undefined;
      const isJson = (request.headers.get('content-type') ?? '').toLowerCase().includes('json');
      // JSON without bodySHA256 in the URL cannot be verified: say so instead of "invalid signature".
      if (request.method === 'POST' && isJson && !usesBodyHash) {
        return textResponse(
          415,
          'JSON body without bodySHA256 in the URL cannot be verified: Twilio signs form bodies (application/x-www-form-urlencoded)',
        );
      }
      const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
      // Parameters the signature covers: form fields for form bodies, none for GET or JSON bodies.
      let signedParams: TwilioParams = {};
      let eventParams: TwilioParams | undefined;
      try {
        if (request.method === 'GET') {
          const query = url.indexOf('?');
          eventParams = parseFormParams(query === -1 ? '' : url.slice(query + 1), { maxParameters });
        } else if (usesBodyHash) {
          // Parsed only after the signature and body hash are verified.
          eventParams = undefined;
        } else {
          signedParams = parseFormParams(text, { maxParameters });
          eventParams = signedParams;
        }
      } catch (error) {
        if (error instanceof FormParseError) return textResponse(413, error.message);
        throw error;
      }
      const option = options.authToken;
      const key = webhookSigningKey(
        typeof option === 'function'
          ? await option({
              request,
              url,
              accountSid: eventParams === undefined ? undefined : firstParam(eventParams, 'AccountSid'),
            })
          : option,
        (resolution) => resolution.authToken,
      );
      if (key === undefined) return textResponse(403, 'No auth token for this request');
      const valid = verifyTwilioSignature({
        authToken: key.secret,
        signature,
        url,
        params: signedParams,
        rawBody: raw,
      });
      if (!valid) return textResponse(403, 'Invalid X-Twilio-Signature');
      if (eventParams === undefined) eventParams = parseJsonParams(text);
      if (eventParams === undefined) return textResponse(400, 'Malformed body: not a flat JSON object');
      let event: MessagingWebhookEvent | undefined;
      try {
        event = parseTwilioWebhook(eventParams);
      } catch (error) {
        if (error instanceof TwilioWebhookParseError) return textResponse(400, `Malformed webhook: ${error.message}`);
        throw error;
      }
      if (event !== undefined) await emitWebhookEvents([event], request, key.tenant, options);
      return new Response(emptyTwiml, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
    } catch {
      // A listener failure (or a resolver crash): 500 makes Twilio deliver the webhook again.
      return textResponse(500, 'Webhook processing failed');
    }
  };
  return Object.assign(handler, { maxBodyBytes });
}
