import { createHash } from 'node:crypto';
import type { DeliveryStatus, Secret } from '@patchbay/core';
import { Secret as SecretClass } from '@patchbay/core/adapter';
import { isJsonObject, type JsonObject, textField } from '../webhooks/json-fields.js';
import type {
  DeliveryStatusEvent,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import { createWebhookHandler, deliverJsonWebhook, readWebhookBody } from '../webhooks/webhook-handler.js';
import {
  readRawBody,
  secretMatches,
  textResponse,
  type WebhookHandler,
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** MTN's callbacks are single messages or receipts of a few hundred bytes. */
const mtnMaxBodyBytes = 256 * 1024;

/**
 * Compares a presented Bearer token with the expected one in constant time, lengths included (see
 * `secretMatches`: both are hashed first, so neither the content nor the length of the secret leaks).
 */
export function bearerTokenMatches(authorization: string | null | undefined, expected: string | Secret): boolean {
  const secret = SecretClass.from(expected).reveal();
  if (secret === '' || typeof authorization !== 'string') return false;
  const match = /^Bearer[ \t]+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  return secretMatches(match[1] ?? '', secret);
}

export class MtnWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MtnWebhookParseError';
  }
}

/** MADAPI delivery statuses; `DeliveryUncertain` and `DeliveryNotificationNotSupported` say nothing usable. */
const statusMap: ReadonlyMap<string, DeliveryStatus> = new Map([
  ['DeliveredToTerminal', 'delivered'],
  ['DeliveredToNetwork', 'sent'],
  ['MessageWaiting', 'queued'],
  ['DeliveryImpossible', 'failed'],
]);

/** MTN sends MSISDNs without `+` (`250788123456`, sometimes `tel:+250…`); sender ids stay as they are. */
function msisdn(value: unknown): string {
  const raw = (textField(value) ?? '').replace(/^tel:/i, '').trim();
  return /^\+?\d{6,15}$/.test(raw) ? `+${raw.replace(/^\+/, '')}` : raw;
}

function timeOf(value: unknown, now: Date): Date {
  const raw = textField(value);
  if (raw === undefined) return now;
  // `2012-08-01T09:25:55.815+0000`: Date wants the offset with a colon.
  const date = new Date(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? now : date;
}

function inboundOf(message: JsonObject, now: Date): InboundMessageEvent {
  const from = msisdn(message.senderAddress);
  if (from === '') throw new MtnWebhookParseError('senderAddress is missing');
  const body = textField(message.message) ?? '';
  const receivedAt = timeOf(message.dateTime, now);
  // Without MTN's id, a stable one: a redelivered callback gets the same id, so listeners can deduplicate.
  const messageId =
    textField(message.messageID) ??
    textField(message.messageId) ??
    `mtn-${createHash('sha256')
      .update(`${from}\u0000${textField(message.dateTime) ?? ''}\u0000${body}`)
      .digest('hex')
      .slice(0, 32)}`;
  return {
    type: 'inbound-message',
    channel: 'sms',
    vendor: 'mtn',
    from,
    to: msisdn(message.destinationAddress ?? message.registrationId),
    text: body,
    media: [],
    messageId,
    receivedAt,
    raw: message,
  };
}

/**
 * Reads an MTN SMS callback into normalised events: an inbound message (`inboundSMSMessage`, bare,
 * wrapped in `inboundSMSMessageNotification`, or a list) or a delivery receipt (`deliveryInfoNotification`
 * with `deliveryInfo.deliveryStatus[]`; the message id is our `clientCorrelator`, else MTN's `requestId`).
 */
export function parseMtnWebhook(payload: unknown, now: Date = new Date()): MessagingWebhookEvent[] {
  if (!isJsonObject(payload)) throw new MtnWebhookParseError('payload is not an object');
  const notification = isJsonObject(payload.deliveryInfoNotification) ? payload.deliveryInfoNotification : payload;
  const info = notification.deliveryInfo;
  if (isJsonObject(info)) {
    const messageId = textField(info.clientCorrelator) ?? textField(info.requestId);
    if (messageId === undefined) throw new MtnWebhookParseError('deliveryInfo has no clientCorrelator or requestId');
    const statuses = Array.isArray(info.deliveryStatus) ? info.deliveryStatus : [info.deliveryStatus];
    const events: MessagingWebhookEvent[] = [];
    for (const item of statuses.slice(0, 100)) {
      if (!isJsonObject(item)) continue;
      const status = statusMap.get(textField(item.status) ?? '');
      if (status === undefined) continue;
      const event: DeliveryStatusEvent = {
        type: 'delivery-status',
        channel: 'sms',
        vendor: 'mtn',
        messageId,
        status,
        timestamp: now,
        raw: item,
      };
      const to = msisdn(item.receiverAddress);
      if (to !== '') event.to = to;
      if (status === 'failed') event.errorCode = textField(item.status);
      events.push(event);
    }
    return events;
  }
  const wrapped = isJsonObject(payload.inboundSMSMessageNotification) ? payload.inboundSMSMessageNotification : payload;
  const list = isJsonObject(wrapped.inboundSMSMessageList)
    ? wrapped.inboundSMSMessageList.inboundSMSMessage
    : undefined;
  const single = wrapped.inboundSMSMessage ?? (wrapped.senderAddress !== undefined ? wrapped : undefined);
  const messages = Array.isArray(list) ? list : Array.isArray(single) ? single : single === undefined ? [] : [single];
  if (messages.length === 0) throw new MtnWebhookParseError('neither an inbound message nor a delivery receipt');
  return messages
    .slice(0, 100)
    .filter(isJsonObject)
    .map((message) => inboundOf(message, now));
}

export type MtnWebhookTokenResolution =
  | string
  | Secret
  | { token: string | Secret; tenant?: string | undefined }
  | undefined;

export interface MtnWebhookHandlerOptions {
  /**
   * The shared secret MTN sends as `Authorization: Bearer <token>` (configured with the webhook in
   * MTN's dashboard), or a function choosing it per request. Empty or undefined refuses every request.
   */
  token: string | Secret | ((request: Request) => MtnWebhookTokenResolution | Promise<MtnWebhookTokenResolution>);
  onEvent: WebhookEventListener;
  /** Default 256 KiB. */
  maxBodyBytes?: number | undefined;
  includeRaw?: boolean | undefined;
}

/**
 * A Fetch API handler for MTN's inbound-SMS and delivery-receipt callbacks. The Bearer token is
 * checked (constant time) before the body is even read: wrong or missing → 401 and no event;
 * unreadable → 400; success → 200.
 */
export function createMtnWebhookHandler(options: MtnWebhookHandlerOptions): WebhookHandler {
  const maxBodyBytes = options.maxBodyBytes ?? mtnMaxBodyBytes;
  return createWebhookHandler(maxBodyBytes, async (request) => {
    if (request.method !== 'POST') return textResponse(405, 'Method not allowed');
    const authorization = request.headers.get('authorization');
    if (authorization === null || authorization === '') return textResponse(401, 'Missing Authorization: Bearer');
    const option = options.token;
    const key = webhookSigningKey(
      typeof option === 'function' ? await option(request) : option,
      (resolution) => resolution.token,
    );
    if (key === undefined || !bearerTokenMatches(authorization, key.secret)) {
      return textResponse(401, 'Invalid bearer token');
    }
    const raw = await readWebhookBody(() => readRawBody(request, maxBodyBytes));
    if (raw instanceof Response) return raw;
    return deliverJsonWebhook(
      raw,
      request,
      key.tenant,
      options,
      (payload) => parseMtnWebhook(payload),
      MtnWebhookParseError,
    );
  });
}
