import type { DeliveryStatus, Secret } from '@patchbay/core';
import { Secret as SecretClass } from '@patchbay/core';
import { type FormParams, FormParseError, firstParam, parseFormParams } from '../webhooks/form-params.js';
import type {
  DeliveryStatusEvent,
  InboundMessageEvent,
  MessagingWebhookEvent,
  WebhookEventListener,
} from '../webhooks/webhook-events.js';
import {
  bodyErrorResponse,
  constantTimeEqual,
  emitWebhookEvents,
  readRawBody,
  textResponse,
  type WebhookHandler,
} from '../webhooks/webhook-http.js';

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

function e164(value: string | undefined): string {
  const raw = (value ?? '').trim();
  return /^\+?\d{6,15}$/.test(raw) ? `+${raw.replace(/^\+/, '')}` : raw;
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
    if (to) event.to = e164(to);
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
    from: e164(from),
    to: e164(get('to')),
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
  const handler = async (request: Request): Promise<Response> => {
    try {
      if (request.method !== 'POST') return textResponse(405, 'Method not allowed');
      const expected = SecretClass.from(options.pathToken).reveal();
      const presented = new URL(request.url).searchParams.get(parameter);
      if (expected === '' || presented === null || !constantTimeEqual(presented, expected)) {
        return textResponse(403, 'Missing or wrong callback token');
      }
      if (options.authorize !== undefined && !(await options.authorize(request))) return textResponse(403, 'Forbidden');
      let params: FormParams;
      try {
        params = parseFormParams(new TextDecoder().decode(await readRawBody(request, maxBodyBytes)), {
          maxParameters: 100,
        });
      } catch (error) {
        if (error instanceof FormParseError) return textResponse(413, error.message);
        return bodyErrorResponse(error);
      }
      let event: MessagingWebhookEvent | undefined;
      try {
        event = parseAfricasTalkingWebhook(params);
      } catch (error) {
        if (error instanceof AfricasTalkingWebhookParseError)
          return textResponse(400, `Malformed webhook: ${error.message}`);
        throw error;
      }
      if (event !== undefined) await emitWebhookEvents([event], request, options.tenant, options);
      return textResponse(200, 'OK');
    } catch {
      return textResponse(500, 'Webhook processing failed');
    }
  };
  return Object.assign(handler, { maxBodyBytes });
}
