import { createHash, timingSafeEqual } from 'node:crypto';
import type { DeliveryStatus, Secret } from '@patchbay/core';
import { Secret as SecretClass } from '@patchbay/core';
import type {
  DeliveryStatusEvent,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import {
  bodyErrorResponse,
  emitWebhookEvents,
  readRawBody,
  textResponse,
  type WebhookHandler,
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** MTN's callbacks are single messages or receipts of a few hundred bytes. */
const mtnMaxBodyBytes = 256 * 1024;

/**
 * Compares a presented Bearer token with the expected one in constant time, lengths included: both
 * are hashed first, so neither the content nor the length of the secret leaks through timing.
 */
export function bearerTokenMatches(authorization: string | null | undefined, expected: string | Secret): boolean {
  const secret = SecretClass.from(expected).reveal();
  if (secret === '' || typeof authorization !== 'string') return false;
  const match = /^Bearer[ \t]+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  const presented = createHash('sha256')
    .update(match[1] ?? '')
    .digest();
  const wanted = createHash('sha256').update(secret).digest();
  return timingSafeEqual(presented, wanted);
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

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** MTN sends MSISDNs without `+` (`250788123456`, sometimes `tel:+250…`); sender ids stay as they are. */
function msisdn(value: unknown): string {
  const raw = (text(value) ?? '').replace(/^tel:/i, '').trim();
  return /^\+?\d{6,15}$/.test(raw) ? `+${raw.replace(/^\+/, '')}` : raw;
}

function timeOf(value: unknown, now: Date): Date {
  const raw = text(value);
  if (raw === undefined) return now;
  // `2012-08-01T09:25:55.815+0000`: Date wants the offset with a colon.
  const date = new Date(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? now : date;
}

function inboundOf(message: Json, now: Date): InboundMessageEvent {
  const from = msisdn(message.senderAddress);
  if (from === '') throw new MtnWebhookParseError('senderAddress is missing');
  const body = text(message.message) ?? '';
  const receivedAt = timeOf(message.dateTime, now);
  // Without MTN's id, a stable one: a redelivered callback gets the same id, so listeners can deduplicate.
  const messageId =
    text(message.messageID) ??
    text(message.messageId) ??
    `mtn-${createHash('sha256')
      .update(`${from}\u0000${text(message.dateTime) ?? ''}\u0000${body}`)
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
  if (!isObject(payload)) throw new MtnWebhookParseError('payload is not an object');
  const notification = isObject(payload.deliveryInfoNotification) ? payload.deliveryInfoNotification : payload;
  const info = notification.deliveryInfo;
  if (isObject(info)) {
    const messageId = text(info.clientCorrelator) ?? text(info.requestId);
    if (messageId === undefined) throw new MtnWebhookParseError('deliveryInfo has no clientCorrelator or requestId');
    const statuses = Array.isArray(info.deliveryStatus) ? info.deliveryStatus : [info.deliveryStatus];
    const events: MessagingWebhookEvent[] = [];
    for (const item of statuses.slice(0, 100)) {
      if (!isObject(item)) continue;
      const status = statusMap.get(text(item.status) ?? '');
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
      if (status === 'failed') event.errorCode = text(item.status);
      events.push(event);
    }
    return events;
  }
  const wrapped = isObject(payload.inboundSMSMessageNotification) ? payload.inboundSMSMessageNotification : payload;
  const list = isObject(wrapped.inboundSMSMessageList) ? wrapped.inboundSMSMessageList.inboundSMSMessage : undefined;
  const single = wrapped.inboundSMSMessage ?? (wrapped.senderAddress !== undefined ? wrapped : undefined);
  const messages = Array.isArray(list) ? list : Array.isArray(single) ? single : single === undefined ? [] : [single];
  if (messages.length === 0) throw new MtnWebhookParseError('neither an inbound message nor a delivery receipt');
  return messages
    .slice(0, 100)
    .filter(isObject)
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
  const handler = async (request: Request): Promise<Response> => {
    try {
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
      let raw: Uint8Array;
      try {
        raw = await readRawBody(request, maxBodyBytes);
      } catch (error) {
        return bodyErrorResponse(error);
      }
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
      } catch {
        return textResponse(400, 'Malformed JSON');
      }
      let events: MessagingWebhookEvent[];
      try {
        events = parseMtnWebhook(payload);
      } catch (error) {
        if (error instanceof MtnWebhookParseError) return textResponse(400, `Malformed webhook: ${error.message}`);
        throw error;
      }
      await emitWebhookEvents(events, request, key.tenant, options);
      return textResponse(200, 'OK');
    } catch {
      return textResponse(500, 'Webhook processing failed');
    }
  };
  return Object.assign(handler, { maxBodyBytes });
}
