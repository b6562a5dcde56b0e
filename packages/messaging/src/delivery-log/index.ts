export type {
  DeliveryLogEntry,
  DeliveryLogEvent,
  DeliveryLogFilter,
  DeliveryLogRecord,
  DeliveryLogStatus,
  DeliveryLogStore,
} from './delivery-log-store.js';
export { InMemoryDeliveryLog, type InMemoryDeliveryLogOptions } from './in-memory-delivery-log.js';
export { logWebhookEvents, type RecordWebhookEventOptions, recordWebhookEvent } from './record-webhook-event.js';
