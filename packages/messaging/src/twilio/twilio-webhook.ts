import { createHash, createHmac } from 'node:crypto';
import { type DeliveryStatus, Secret } from '@patchbay/core';
import { normalizePhoneNumber } from '../phone-number.js';
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
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** Request parameters as Twilio sends them; a key sent twice keeps every value. */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

/**
 * The X-Twilio-Signature for a URL and its POST parameters: HMAC-SHA1 keyed with the auth token over
 * the full URL followed by every parameter name and value, sorted by name, base64-encoded.
 * For JSON bodies Twilio signs the URL alone (`params` empty) and puts the body's SHA-256 in the URL.
 */
export function computeTwilioSignature(authToken: string | Secret, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    // Repeated keys: each value with its key, values sorted, as Twilio's own libraries do.
    const values = typeof value === 'string' ? [value] : [...(value ?? [])].sort();
    for (const item of values) data += key + item;
  }
  return createHmac('sha1', Secret.from(authToken).reveal()).update(data, 'utf8').digest('base64');
}

export interface VerifyTwilioSignatureInput {
  authToken: string | Secret;
  /** The X-Twilio-Signature header. */
  signature: string | null | undefined;
  /** The URL exactly as Twilio requested it, including the query string. */
  url: string;
  /** Form parameters (form-encoded bodies). */
  params?: TwilioParams | undefined;
  /** The raw body, for JSON bodies whose URL carries `bodySHA256`. */
  rawBody?: Uint8Array | string | undefined;
}

/**
 * True when the signature matches. Tries the URL as given and with its default port toggled
 * (Twilio may sign either form), comparing in constant time. When the URL carries `bodySHA256`, the
 * signature covers the URL only and the body must hash to that value.
 */
export function verifyTwilioSignature(input: VerifyTwilioSignatureInput): boolean {
  const { authToken, signature, url } = input;
  if (typeof signature !== 'string' || signature === '') return false;
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
  for (const candidate of urlCandidates(url)) {
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

/** The URL with and without its scheme's default port, and with a Fetch-escaped `'` restored. */
function urlCandidates(url: string): string[] {
  const candidates = new Set<string>([url]);
  const match = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(url);
  if (match) {
    const [, scheme = '', authority = '', rest = ''] = match;
    const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
    const at = authority.lastIndexOf('@');
    const userInfo = at === -1 ? '' : authority.slice(0, at + 1);
    const host = at === -1 ? authority : authority.slice(at + 1);
    if (host.endsWith(`:${defaultPort}`)) {
      candidates.add(`${scheme}://${userInfo}${host.slice(0, -defaultPort.length - 1)}${rest}`);
    } else if (!/:\d+$/.test(host)) {
      candidates.add(`${scheme}://${userInfo}${host}:${defaultPort}${rest}`);
    }
  }
  // The Fetch URL parser escapes ' in queries; Twilio signs the URL as configured, often unescaped.
  for (const candidate of [...candidates]) {
    if (candidate.includes('%27')) candidates.add(candidate.replaceAll('%27', "'"));
  }
  return [...candidates];
}

/** Twilio message statuses → the normalised set; `receiving`/`received` mark inbound messages. */
const statusMap: Readonly<Record<string, DeliveryStatus>> = {
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
};

function first(params: TwilioParams, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value;
  return value?.[0];
}

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
    const status = statusMap[rawStatus];
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

function paramsFrom(search: URLSearchParams): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const existing = params[key];
    if (existing === undefined) params[key] = value;
    else params[key] = typeof existing === 'string' ? [existing, value] : [...existing, value];
  }
  return params;
}

/** Reads a flat JSON object of Twilio parameters; anything else is malformed. */
function paramsFromJson(text: string): Record<string, string> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const params: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') params[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') params[key] = String(item);
  }
  return params;
}

/**
 * A Fetch API handler for Twilio messaging webhooks (status callbacks and inbound messages).
 * Verifies X-Twilio-Signature on the raw request first: a missing or wrong signature answers 403
 * and no event is emitted; an unreadable body 400; success 200 with empty TwiML.
 */
export function createTwilioWebhookHandler(
  options: TwilioWebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  return async (request) => {
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
      const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
      const signature = request.headers.get('x-twilio-signature');
      const usesBodyHash = bodySha256Of(url) !== undefined;
      const isJson = (request.headers.get('content-type') ?? '').toLowerCase().includes('json');

      // Parameters the signature covers: form fields for form bodies, none for GET or JSON bodies.
      let signedParams: Record<string, string | string[]> = {};
      let eventParams: Record<string, string | string[]> | undefined;
      if (request.method === 'GET') {
        const query = url.indexOf('?');
        eventParams = paramsFrom(new URLSearchParams(query === -1 ? '' : url.slice(query + 1)));
      } else if (usesBodyHash || isJson) {
        eventParams = paramsFromJson(text);
      } else {
        signedParams = paramsFrom(new URLSearchParams(text));
        eventParams = signedParams;
      }

      if (signature === null || signature === '') return textResponse(403, 'Missing X-Twilio-Signature');
      // JSON without bodySHA256 in the URL cannot be verified: refuse rather than trust it.
      if (isJson && !usesBodyHash) return textResponse(403, 'Invalid X-Twilio-Signature');
      const accountSid = eventParams === undefined ? undefined : firstOrUndefined(eventParams.AccountSid);
      const option = options.authToken;
      const key = webhookSigningKey(
        typeof option === 'function' ? await option({ request, url, accountSid }) : option,
        (resolution) => resolution.authToken,
      );
      if (key === undefined) return textResponse(403, 'Invalid X-Twilio-Signature');
      const valid = verifyTwilioSignature({
        authToken: key.secret,
        signature,
        url,
        params: signedParams,
        rawBody: raw,
      });
      if (!valid) return textResponse(403, 'Invalid X-Twilio-Signature');

      if (eventParams === undefined) return textResponse(400, 'Malformed body');
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
}

function firstOrUndefined(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}
