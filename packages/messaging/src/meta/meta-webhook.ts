import { createHmac } from 'node:crypto';
import type { DeliveryStatus } from '@patchbay/core';
import { Secret } from '@patchbay/core/adapter';
import { isJsonObject, type JsonObject, textField } from '../webhooks/json-fields.js';
import type {
  DeliveryStatusEvent,
  InboundMedia,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import { createWebhookHandler, deliverJsonWebhook, readWebhookBody } from '../webhooks/webhook-handler.js';
import {
  constantTimeEqual,
  isEmptySecret,
  readRawBody,
  secretMatches,
  textResponse,
  type WebhookHandler,
  webhookSigningKey,
} from '../webhooks/webhook-http.js';

/** `sha256=<hex>`: HMAC-SHA256 of the raw body keyed with the app secret, as in X-Hub-Signature-256. */
export function computeMetaSignature(appSecret: string | Secret, rawBody: Uint8Array | string): string {
  if (isEmptySecret(appSecret)) throw new TypeError('The Meta app secret is empty');
  return `sha256=${createHmac('sha256', Secret.from(appSecret).reveal()).update(rawBody).digest('hex')}`;
}

/** True when the X-Hub-Signature-256 header matches the raw body; compared in constant time. */
export function verifyMetaSignature(
  appSecret: string | Secret,
  rawBody: Uint8Array | string,
  header: string | null | undefined,
): boolean {
  if (typeof header !== 'string' || !header.toLowerCase().startsWith('sha256=')) return false;
  // An empty app secret would let anyone compute a valid header.
  if (isEmptySecret(appSecret)) return false;
  const expected = computeMetaSignature(appSecret, rawBody);
  // Hex is case-insensitive; normalise the prefix and digits before the constant-time compare.
  return constantTimeEqual(expected, `sha256=${header.slice('sha256='.length).trim().toLowerCase()}`);
}

/** Meta batches up to 1000 updates into one webhook of at most 3 MB; leave headroom. */
const metaMaxBodyBytes = 4 * 1024 * 1024;

export class MetaWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetaWebhookParseError';
  }
}

/** A Map, not an object: a status of `constructor` or `__proto__` must find nothing. */
const statusMap: ReadonlyMap<string, DeliveryStatus> = new Map([
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'read'],
  ['failed', 'failed'],
  // Meta reports `deleted` when the user deletes a message; it reached them, so it was delivered.
  ['deleted', 'delivered'],
]);

const mediaKinds = ['image', 'audio', 'video', 'document', 'sticker'] as const;

/** Meta sends wa_ids and display numbers as digits without `+`. */
function e164(value: unknown): string {
  const raw = textField(value) ?? '';
  const digits = raw.replace(/[^\d]/g, '');
  return digits === '' ? raw : `+${digits}`;
}

/** Unix seconds as a string → Date; an absent or unreadable value falls back to `now`. */
function timeOf(value: unknown, now: Date): Date {
  const seconds = Number(textField(value));
  if (!Number.isFinite(seconds) || seconds <= 0) return now;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? now : date;
}

function messageText(message: JsonObject): string {
  const type = textField(message.type);
  if (type === 'text' && isJsonObject(message.text)) return textField(message.text.body) ?? '';
  if (type === 'button' && isJsonObject(message.button)) return textField(message.button.text) ?? '';
  if (type === 'interactive' && isJsonObject(message.interactive)) {
    const reply = message.interactive.button_reply ?? message.interactive.list_reply;
    if (isJsonObject(reply)) return textField(reply.title) ?? '';
  }
  for (const kind of mediaKinds) {
    const media = message[kind];
    if (type === kind && isJsonObject(media)) return textField(media.caption) ?? '';
  }
  return '';
}

function messageMedia(message: JsonObject): InboundMedia[] {
  const media: InboundMedia[] = [];
  for (const kind of mediaKinds) {
    const item = message[kind];
    if (!isJsonObject(item)) continue;
    const entry: InboundMedia = { kind };
    const id = textField(item.id);
    const mimeType = textField(item.mime_type);
    const caption = textField(item.caption);
    const filename = textField(item.filename);
    if (id !== undefined) entry.id = id;
    if (mimeType !== undefined) entry.mimeType = mimeType;
    if (caption !== undefined) entry.caption = caption;
    if (filename !== undefined) entry.filename = filename;
    media.push(entry);
  }
  return media;
}

/**
 * Reads a WhatsApp Cloud API webhook payload into normalised events: one per inbound message in
 * `entry[].changes[].value.messages[]` and one per status in `…statuses[]`. Other fields
 * (template updates, account alerts) yield no event. Throws MetaWebhookParseError when the
 * payload is not shaped like a webhook at all; skips individual items it cannot read.
 */
export function parseMetaWebhook(payload: unknown, now: Date = new Date()): MessagingWebhookEvent[] {
  if (!isJsonObject(payload)) throw new MetaWebhookParseError('payload is not an object');
  if (!Array.isArray(payload.entry)) throw new MetaWebhookParseError('entry is not an array');
  const events: MessagingWebhookEvent[] = [];
  for (const entry of payload.entry) {
    if (!isJsonObject(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) {
      if (!isJsonObject(change) || !isJsonObject(change.value)) continue;
      const value = change.value;
      const metadata = isJsonObject(value.metadata) ? value.metadata : {};
      const ourNumber = e164(metadata.display_phone_number);
      const phoneNumberId = textField(metadata.phone_number_id);
      for (const message of Array.isArray(value.messages) ? value.messages : []) {
        if (!isJsonObject(message)) continue;
        const messageId = textField(message.id);
        const from = textField(message.from);
        if (messageId === undefined || from === undefined) continue;
        const event: InboundMessageEvent = {
          type: 'inbound-message',
          channel: 'whatsapp',
          vendor: 'meta',
          from: e164(from),
          to: ourNumber,
          text: messageText(message),
          media: messageMedia(message),
          messageId,
          receivedAt: timeOf(message.timestamp, now),
          raw: message,
        };
        if (phoneNumberId !== undefined) event.accountId = phoneNumberId;
        events.push(event);
      }
      for (const item of Array.isArray(value.statuses) ? value.statuses : []) {
        if (!isJsonObject(item)) continue;
        const messageId = textField(item.id);
        const status = statusMap.get(textField(item.status) ?? '');
        if (messageId === undefined || status === undefined) continue;
        const event: DeliveryStatusEvent = {
          type: 'delivery-status',
          channel: 'whatsapp',
          vendor: 'meta',
          messageId,
          status,
          timestamp: timeOf(item.timestamp, now),
          raw: item,
        };
        const recipient = textField(item.recipient_id);
        if (recipient !== undefined) event.to = e164(recipient);
        if (phoneNumberId !== undefined) event.accountId = phoneNumberId;
        const error = Array.isArray(item.errors) ? item.errors.find(isJsonObject) : undefined;
        if (error !== undefined) {
          const code = textField(error.code);
          if (code !== undefined) event.errorCode = code;
          const details = isJsonObject(error.error_data) ? textField(error.error_data.details) : undefined;
          const message = details ?? textField(error.message) ?? textField(error.title);
          if (message !== undefined) event.errorMessage = message;
        }
        events.push(event);
      }
    }
  }
  return events;
}

export type MetaAppSecretResolution =
  | string
  | Secret
  | { appSecret: string | Secret; tenant?: string | undefined }
  | undefined;

export interface MetaWebhookHandlerOptions {
  /** The app secret signing X-Hub-Signature-256, or a function choosing it per request (per app or tenant). */
  appSecret: string | Secret | ((request: Request) => MetaAppSecretResolution | Promise<MetaAppSecretResolution>);
  /** The verify token typed into the app dashboard; answers the GET subscription handshake. */
  verifyToken: string | Secret;
  onEvent: WebhookEventListener;
  /** Default 4 MiB (Meta's webhooks are at most 3 MB). */
  maxBodyBytes?: number | undefined;
  /** Keep each message/status object on its event as `raw` (default true). */
  includeRaw?: boolean | undefined;
}

function answerVerification(request: Request, verifyToken: string | Secret): Response {
  const query = new URL(request.url).searchParams;
  const mode = query.get('hub.mode');
  const token = query.get('hub.verify_token');
  const challenge = query.get('hub.challenge');
  if (mode === null || token === null || challenge === null) return textResponse(400, 'Missing hub parameters');
  const expected = Secret.from(verifyToken).reveal();
  if (mode !== 'subscribe' || expected === '' || !secretMatches(token, expected)) {
    return textResponse(403, 'Verification failed');
  }
  return textResponse(200, challenge);
}

/**
 * A Fetch API handler for WhatsApp Cloud API webhooks. GET answers Meta's subscription handshake;
 * POST verifies X-Hub-Signature-256 on the raw body before parsing: a missing or wrong signature
 * answers 403 with no event, a malformed body 400, success 200.
 */
export function createMetaWebhookHandler(options: MetaWebhookHandlerOptions): WebhookHandler {
  const maxBodyBytes = options.maxBodyBytes ?? metaMaxBodyBytes;
  return createWebhookHandler(maxBodyBytes, async (request) => {
    if (request.method === 'GET') return answerVerification(request, options.verifyToken);
    if (request.method !== 'POST') return textResponse(405, 'Method not allowed');
    const raw = await readWebhookBody(() => readRawBody(request, maxBodyBytes));
    if (raw instanceof Response) return raw;
    const header = request.headers.get('x-hub-signature-256');
    if (header === null || header === '') return textResponse(403, 'Missing X-Hub-Signature-256');
    const option = options.appSecret;
    const key = webhookSigningKey(
      typeof option === 'function' ? await option(request) : option,
      (resolution) => resolution.appSecret,
    );
    if (key === undefined || !verifyMetaSignature(key.secret, raw, header)) {
      return textResponse(403, 'Invalid X-Hub-Signature-256');
    }
    return deliverJsonWebhook(
      raw,
      request,
      key.tenant,
      options,
      (payload) => parseMetaWebhook(payload),
      MetaWebhookParseError,
    );
  });
}
