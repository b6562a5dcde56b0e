import type { DeliveryStatus, Secret } from '@patchbay/core';
import { Secret as SecretClass } from '@patchbay/core/adapter';
import { type FormParams, firstParam, parseFormParams } from '../webhooks/form-params.js';
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
import { emitWebhookEvents, secretMatches, textResponse, type WebhookHandler } from '../webhooks/webhook-http.js';

/** Africa's Talking delivery report statuses. */
const statusMap: ReadonlyMap<string, DeliveryStatus> = new Map([
  ['Sent', 'sent'],
  ['Submitted', 'sent'],
  ['Buffered', 'queued'],
  ['Success', 'delivered'],
  ['Rejected', 'failed'],
  ['Failed', 'failed'],
  ['AbsentSubscriber', 'undelivered'],
  ['Expired', 'undelivered'],
]);

export class AfricasTalkingWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AfricasTalkingWebhookParseError';
  }
}

/**
 * Reads an Africa's Talking callback: a delivery report (`id`, `status`, `phoneNumber`,
 * `failureReason`) or an incoming message (`from`, `to`, `text`, `id`, `date`).
 */
export function parseAfricasTalkingWebhook(
  params: FormParams,
  now: Date = new Date(),
): MessagingWebhookEvent | undefined {
  const get = (name: string) => firstParam(params, name);
  const id = get('id');
  if (id === undefined || id === '') throw new AfricasTalkingWebhookParseError('id is missing');
  const status = get('status');
  if (status !== undefined) {
    const mapped = statusMap.get(status);
    if (mapped === undefined) return undefined;
    const event: DeliveryStatusEvent = {
      type: 'delivery-status',
      channel: 'sms',
      vendor: 'africas-talking',
      messageId: id,
      status: mapped,
      timestamp: now,
      raw: params,
    };
    const to = get('phoneNumber');
    if (to) event.to = plusPrefixedNumber(to);
    const reason = get('failureReason');
    if (reason) {
      event.errorCode = reason;
      event.errorMessage = reason;
    }
    return event;
  }
  const from = get('from');
  if (from === undefined || from === '') throw new AfricasTalkingWebhookParseError('from is missing');
  const date = get('date') === undefined ? now : new Date(get('date') as string);
  const event: InboundMessageEvent = {
    type: 'inbound-message',
    channel: 'sms',
    vendor: 'africas-talking',
    from: plusPrefixedNumber(from),
    to: plusPrefixedNumber(get('to')),
    text: get('text') ?? '',
    media: [],
    messageId: id,
    receivedAt: Number.isNaN(date.getTime()) ? now : date,
    raw: params,
  };
  return event;
}

export interface AfricasTalkingWebhookHandlerOptions {
  /**
   * Africa's Talking does not sign its callbacks, so the URL itself must be the secret: configure the
   * callback as `https://…/africas-talking?token=<long random value>` and give the same value here. It is
   * compared in constant time; a request without it answers 403. Empty → every request refused.
   */
  pathToken: string | Secret;
  /** Name of the query parameter carrying the token (default `token`). */
  tokenParameter?: string | undefined;
  /**
   * An extra check, e.g. an IP allowlist of Africa's Talking's callback addresses (read the client
   * address from your framework or a trusted proxy header). Returning false answers 403.
   */
  authorize?: ((request: Request) => boolean | Promise<boolean>) | undefined;
  /** Tags events with a tenant (e.g. chosen by the path). */
  tenant?: string | undefined;
  onEvent: WebhookEventListener;
  /** Default 64 KiB. */
  maxBodyBytes?: number | undefined;
  includeRaw?: boolean | undefined;
}

/**
 * A Fetch API handler for Africa's Talking SMS callbacks (delivery reports and incoming messages,
 * form-encoded POSTs). Unsigned by the vendor: protected by a secret token in the callback URL and an
 * optional `authorize` check, both before the body is read.
 */
export function createAfricasTalkingWebhookHandler(options: AfricasTalkingWebhookHandlerOptions): WebhookHandler {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const parameter = options.tokenParameter ?? 'token';
  return createWebhookHandler(maxBodyBytes, async (request) => {
    if (request.method !== 'POST') return textResponse(405, 'Method not allowed');
    const expected = SecretClass.from(options.pathToken).reveal();
    const presented = new URL(request.url).searchParams.get(parameter);
    if (expected === '' || presented === null || !secretMatches(presented, expected)) {
      return textResponse(403, 'Missing or wrong callback token');
    }
    if (options.authorize !== undefined && !(await options.authorize(request))) return textResponse(403, 'Forbidden');
    const params = await readWebhookBody(async () =>
      parseFormParams(await readBodyText(request, maxBodyBytes), { maxParameters: 100 }),
    );
    if (params instanceof Response) return params;
    const event = parseWebhookEvents(() => parseAfricasTalkingWebhook(params), AfricasTalkingWebhookParseError);
    if (event instanceof Response) return event;
    if (event !== undefined) await emitWebhookEvents([event], request, options.tenant, options);
    return textResponse(200, 'OK');
  });
}
