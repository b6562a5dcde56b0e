import { createHash, createHmac } from 'node:crypto';
import type { DeliveryStatus, Secret } from '@patchbay/core';
import { Secret as SecretClass } from '@patchbay/core/adapter';
import { type FormParams, firstParam, parseFormParams, parseJsonParams } from '../webhooks/form-params.js';
import { plusPrefixedNumber } from '../webhooks/phone-numbers.js';
import type {
  DeliveryStatusEvent,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import {
  createWebhookHandler,
  parseWebhookEvents,
  readBodyText,
  readWebhookBody,
} from '../webhooks/webhook-handler.js';
import {
  constantTimeEqual,
  emitWebhookEvents,
  isEmptySecret,
  textResponse,
  type WebhookHandler,
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** The signature methods of Vonage's signed SMS API webhooks (dashboard → Settings → signature method). */
export type VonageSignatureMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

/**
 * The `sig` of Vonage's signed SMS API webhooks: every parameter but `sig`, sorted by name, as
 * `&name=value` with `&` and `=` in values replaced by `_`; then MD5 of that string followed by the
 * signature secret (`md5hash`), or its HMAC keyed with the secret (`md5`, `sha1`, `sha256`, `sha512`), hex.
 */
export function computeVonageSignature(
  params: FormParams,
  signatureSecret: string | Secret,
  method: VonageSignatureMethod = 'md5hash',
): string {
  const secret = SecretClass.from(signatureSecret).reveal();
  if (secret === '') throw new TypeError('The Vonage signature secret is empty');
  let data = '';
  for (const name of Object.keys(params).sort()) {
    if (name === 'sig') continue;
    data += `&${name}=${(firstParam(params, name) ?? '').replace(/[&=]/g, '_')}`;
  }
  if (method === 'md5hash')
    return createHash('md5')
      .update(data + secret, 'utf8')
      .digest('hex');
  return createHmac(method, secret).update(data, 'utf8').digest('hex');
}

export interface VerifyVonageSignatureOptions {
  method?: VonageSignatureMethod | undefined;
  /** Largest accepted distance between the `timestamp` parameter and now (default 5 minutes). */
  maxSkewMs?: number | undefined;
  now?: Date | undefined;
}

/** True when `sig` matches and `timestamp` is recent. An empty secret never verifies. */
export function verifyVonageSignature(
  params: FormParams,
  signatureSecret: string | Secret,
  options: VerifyVonageSignatureOptions = {},
): boolean {
  if (isEmptySecret(signatureSecret)) return false;
  const signature = firstParam(params, 'sig');
  if (signature === undefined || signature === '') return false;
  const seconds = Number(firstParam(params, 'timestamp'));
  if (!Number.isFinite(seconds)) return false;
  const now = (options.now ?? new Date()).getTime();
  if (Math.abs(now - seconds * 1000) > (options.maxSkewMs ?? 5 * 60_000)) return false;
  const expected = computeVonageSignature(params, signatureSecret, options.method);
  return constantTimeEqual(expected, signature.toLowerCase());
}

/** Vonage delivery receipt statuses; `accepted`/`buffered` are still on the way, `unknown` says nothing. */
const statusMap: ReadonlyMap<string, DeliveryStatus> = new Map([
  ['delivered', 'delivered'],
  ['accepted', 'sent'],
  ['buffered', 'queued'],
  ['expired', 'undelivered'],
  ['failed', 'failed'],
  ['rejected', 'failed'],
]);

export class VonageWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VonageWebhookParseError';
  }
}

/** `2026-01-10 12:00:00` (UTC) → Date. */
function timeOf(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const date = new Date(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? now : date;
}

/**
 * Reads Vonage SMS API webhook parameters: a delivery receipt (`status` with `messageId`, carrying
 * `price` as the cost) or an inbound message (`msisdn`, `to`, `text`). Undefined for a status
 * Patchbay does not model.
 */
export function parseVonageWebhook(
  params: FormParams,
  options: { now?: Date; priceCurrency?: string } = {},
): MessagingWebhookEvent | undefined {
  const now = options.now ?? new Date();
  const get = (name: string) => firstParam(params, name);
  const messageId = get('messageId');
  if (messageId === undefined || messageId === '') throw new VonageWebhookParseError('messageId is missing');
  const status = get('status');
  if (status !== undefined) {
    const mapped = statusMap.get(status);
    if (mapped === undefined) return undefined;
    const event: DeliveryStatusEvent = {
      type: 'delivery-status',
      channel: 'sms',
      vendor: 'vonage',
      messageId,
      status: mapped,
      timestamp: timeOf(get('message-timestamp'), now),
      to: plusPrefixedNumber(get('msisdn')),
      raw: params,
    };
    const errorCode = get('err-code');
    if (errorCode !== undefined && errorCode !== '0') event.errorCode = errorCode;
    const price = Number(get('price'));
    if (get('price') !== undefined && Number.isFinite(price)) {
      event.cost = { amount: Math.abs(price), currency: options.priceCurrency ?? 'EUR' };
    }
    const account = get('api-key');
    if (account !== undefined) event.accountId = account;
    return event;
  }
  const from = get('msisdn');
  if (from === undefined || from === '') throw new VonageWebhookParseError('msisdn is missing');
  const event: InboundMessageEvent = {
    type: 'inbound-message',
    channel: 'sms',
    vendor: 'vonage',
    from: plusPrefixedNumber(from),
    to: plusPrefixedNumber(get('to')),
    text: get('text') ?? '',
    media: [],
    messageId,
    receivedAt: timeOf(get('message-timestamp'), now),
    raw: params,
  };
  const account = get('api-key');
  if (account !== undefined) event.accountId = account;
  return event;
}

export type VonageSignatureSecretResolution =
  | string
  | Secret
  | { signatureSecret: string | Secret; tenant?: string | undefined }
  | undefined;

export interface VonageWebhookHandlerOptions {
  /**
   * The account's signature secret (dashboard → Settings), or a function choosing it per request from
   * the unverified `api-key` parameter. Vonage signs SMS API webhooks only once signing is enabled for
   * the account; unsigned requests are refused.
   */
  signatureSecret:
    | string
    | Secret
    | ((context: {
        request: Request;
        apiKey: string | undefined;
      }) => VonageSignatureSecretResolution | Promise<VonageSignatureSecretResolution>);
  /** The dashboard's signature method (default `md5hash`). */
  signatureMethod?: VonageSignatureMethod | undefined;
  /** Accepted clock skew of the signed `timestamp` (default 5 minutes): older requests are replays. */
  maxSkewMs?: number | undefined;
  /** Currency of `price` in delivery receipts (the account's billing currency, default EUR). */
  priceCurrency?: string | undefined;
  onEvent: WebhookEventListener;
  /** Default 64 KiB. */
  maxBodyBytes?: number | undefined;
  maxParameters?: number | undefined;
  includeRaw?: boolean | undefined;
  now?: (() => Date) | undefined;
}

/**
 * A Fetch API handler for Vonage SMS API webhooks (inbound messages and delivery receipts) sent as GET
 * query, POST form or POST JSON. The `sig` signature and its `timestamp` are verified before
 * anything else is read: missing, wrong or stale → 403 and no event; success → 200.
 */
export function createVonageWebhookHandler(options: VonageWebhookHandlerOptions): WebhookHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? (() => new Date());
  return createWebhookHandler(maxBodyBytes, async (request) => {
    if (request.method !== 'POST' && request.method !== 'GET') return textResponse(405, 'Method not allowed');
    const params = await readWebhookBody(async () => {
      if (request.method === 'GET') {
        return parseFormParams(new URL(request.url).search.slice(1), {
          maxParameters: options.maxParameters ?? 100,
        });
      }
      const text = await readBodyText(request, maxBodyBytes);
      const json = (request.headers.get('content-type') ?? '').toLowerCase().includes('json');
      return json ? parseJsonParams(text) : parseFormParams(text, { maxParameters: options.maxParameters ?? 100 });
    });
    if (params instanceof Response) return params;
    if (params === undefined) return textResponse(400, 'Malformed body: not a flat JSON object');
    if (firstParam(params, 'sig') === undefined)
      return textResponse(403, 'Missing sig: enable signed webhooks for the account');
    const option = options.signatureSecret;
    const key = webhookSigningKey(
      typeof option === 'function' ? await option({ request, apiKey: firstParam(params, 'api-key') }) : option,
      (resolution) => resolution.signatureSecret,
    );
    if (key === undefined) return textResponse(403, 'No signature secret for this request');
    if (
      !verifyVonageSignature(params, key.secret, {
        method: options.signatureMethod,
        maxSkewMs: options.maxSkewMs,
        now: now(),
      })
    ) {
      return textResponse(403, 'Invalid or stale Vonage signature');
    }
    const event = parseWebhookEvents(
      () => parseVonageWebhook(params, { now: now(), priceCurrency: options.priceCurrency }),
      VonageWebhookParseError,
    );
    if (event instanceof Response) return event;
    if (event !== undefined) await emitWebhookEvents([event], request, key.tenant, options);
    return textResponse(200, 'OK');
  });
}
