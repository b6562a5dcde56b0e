import type { MessagingWebhookEvent, WebhookEventListener } from '../webhooks/webhook-events.js';
import type { DeliveryLogRecord, DeliveryLogStore } from './delivery-log-store.js';

export interface RecordWebhookEventOptions {
  /** Used when the event carries no tenant of its own. */
  tenant?: string | undefined;
  correlationId?: string | undefined;
  /** Session and thread the event belongs to (inbound messages); status updates inherit them from the send. */
  sessionId?: string | undefined;
  threadId?: string | undefined;
}

/**
 * The record a webhook event already left among its message's records: vendors deliver webhooks at
 * least once, and a redelivery (same vendor and message id; for a status, the same status) is the
 * same event. Undefined for an event without a message id: nothing identifies it.
 */
export function findRecordedWebhookEvent(
  event: MessagingWebhookEvent,
  records: readonly DeliveryLogRecord[],
): DeliveryLogRecord | undefined {
  if (event.messageId === '') return undefined;
  return records.find((record) =>
    event.type === 'inbound-message'
      ? record.event === 'inbound' && record.vendor === event.vendor
      : record.event === 'status-update' && record.vendor === event.vendor && record.status === event.status,
  );
}

/**
 * Appends one webhook event to the log, once: an event the log already holds (a redelivery, see
 * `findRecordedWebhookEvent`) is not appended again, and its earlier record is returned. A status
 * update inherits tenant, correlation id, provider, recipient and attempt from the message's earlier
 * records, so a report can be filtered by them.
 */
export async function recordWebhookEvent(
  log: DeliveryLogStore,
  event: MessagingWebhookEvent,
  options: RecordWebhookEventOptions = {},
): Promise<DeliveryLogRecord> {
  const earlier = await log.findByMessageId(event.messageId);
  return findRecordedWebhookEvent(event, earlier) ?? appendWebhookEvent(log, event, options, earlier);
}

/** Appends the event without looking for an earlier copy; `earlier` are its message's records. */
export async function appendWebhookEvent(
  log: DeliveryLogStore,
  event: MessagingWebhookEvent,
  options: RecordWebhookEventOptions,
  earlier: readonly DeliveryLogRecord[],
): Promise<DeliveryLogRecord> {
  if (event.type === 'inbound-message') {
    return log.append({
      event: 'inbound',
      tenant: event.tenant ?? options.tenant,
      correlationId: options.correlationId,
      channel: event.channel,
      direction: 'inbound',
      status: 'received',
      vendor: event.vendor,
      messageId: event.messageId,
      to: event.to,
      from: event.from,
      updatedAt: event.receivedAt,
      attempt: 1,
      sessionId: options.sessionId,
      threadId: options.threadId,
    });
  }
  const sent = earlier.find((record) => record.event === 'send-attempt') ?? earlier[0];
  return log.append({
    event: 'status-update',
    tenant: event.tenant ?? sent?.tenant ?? options.tenant,
    correlationId: sent?.correlationId ?? options.correlationId,
    channel: event.channel,
    direction: 'outbound',
    status: event.status,
    vendor: event.vendor,
    provider: sent?.provider,
    messageId: event.messageId,
    to: event.to ?? sent?.to,
    from: sent?.from,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
    fallbackOf: sent?.fallbackOf,
    cost: event.cost ?? sent?.cost,
    sessionId: sent?.sessionId ?? options.sessionId,
    threadId: sent?.threadId ?? options.threadId,
    updatedAt: event.timestamp,
    attempt: sent?.attempt ?? 1,
  });
}

/** A webhook `onEvent` listener that records every event: `createTwilioWebhookHandler({ onEvent: logWebhookEvents(log) })`. */
export function logWebhookEvents(log: DeliveryLogStore, next?: WebhookEventListener): WebhookEventListener {
  return async (event, context) => {
    await recordWebhookEvent(log, event, { tenant: context.tenant });
    await next?.(event, context);
  };
}
