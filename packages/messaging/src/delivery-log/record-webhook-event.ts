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
 * Appends one webhook event to the log. A status update inherits tenant, correlation id, provider,
 * recipient and attempt from the message's earlier records, so a report can be filtered by them.
 */
export async function recordWebhookEvent(
  log: DeliveryLogStore,
  event: MessagingWebhookEvent,
  options: RecordWebhookEventOptions = {},
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
  const earlier = await log.findByMessageId(event.messageId);
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
