import type { DeliveryStatus, MessagingChannel } from '@patchbay/core';

/** Statuses a log record can hold: the vendor's delivery statuses plus inbound and skipped sends. */
export type DeliveryLogStatus = DeliveryStatus | 'received' | 'skipped';

/** What produced a record. */
export type DeliveryLogEvent = 'send-attempt' | 'status-update' | 'inbound' | 'skipped';

/**
 * One line of the delivery log. Records are append-only: a send attempt and every later status
 * update for the same message are separate records sharing `messageId`.
 */
export interface DeliveryLogRecord {
  id: string;
  event: DeliveryLogEvent;
  tenant?: string | undefined;
  correlationId?: string | undefined;
  channel: MessagingChannel;
  direction: 'outbound' | 'inbound';
  status: DeliveryLogStatus;
  vendor?: string | undefined;
  /** Provider id that sent it (not the vendor). */
  provider?: string | undefined;
  /** The vendor's message id; absent when a send failed before the vendor assigned one. */
  messageId?: string | undefined;
  to?: string | undefined;
  from?: string | undefined;
  /** Patchbay error code for a failed send, or the vendor's error code from a status update. */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** Why nothing was sent (`opted_out`…) or why this send happened (`whatsapp_failed`…). */
  reason?: string | undefined;
  /** For an SMS sent because a WhatsApp message failed: that WhatsApp message's id. */
  fallbackOf?: string | undefined;
  /** SMS segments billed, when known. */
  segments?: number | undefined;
  /** What the vendor reported charging (send answer or delivery report), when it did. */
  cost?: { amount: number; currency: string } | undefined;
  /** The omnichannel session the message belongs to, when a session store is in use. */
  sessionId?: string | undefined;
  /** The conversation thread linking this message with others across channels. */
  threadId?: string | undefined;
  /** When the log recorded it. */
  createdAt: Date;
  /** When the status took effect: the vendor's timestamp for status updates, else `createdAt`. */
  updatedAt: Date;
  /** 1 for the first channel tried for a logical message, 2 for its fallback… */
  attempt: number;
}

/** A record before the store assigns its id and timestamps. */
export type DeliveryLogEntry = Omit<DeliveryLogRecord, 'id' | 'createdAt' | 'updatedAt'> & {
  id?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
};

export interface DeliveryLogFilter {
  tenant?: string | undefined;
  correlationId?: string | undefined;
  channel?: MessagingChannel | undefined;
  direction?: 'outbound' | 'inbound' | undefined;
  status?: DeliveryLogStatus | undefined;
  event?: DeliveryLogEvent | undefined;
  messageId?: string | undefined;
  to?: string | undefined;
  /** Records created at or after this time. */
  since?: Date | undefined;
  /** Records created before this time. */
  until?: Date | undefined;
  /** Keep only the most recent `limit` matches (still oldest first). */
  limit?: number | undefined;
}

/**
 * Where delivery records go: an in-memory ring for tests and small services, or a database table
 * (the `message_delivery_log` of many deployments) behind the same three methods.
 */
export interface DeliveryLogStore {
  append(entry: DeliveryLogEntry): Promise<DeliveryLogRecord> | DeliveryLogRecord;
  /** Matching records, oldest first. */
  list(filter?: DeliveryLogFilter): Promise<DeliveryLogRecord[]> | DeliveryLogRecord[];
  /** Every record of one message, oldest first. */
  findByMessageId(messageId: string): Promise<DeliveryLogRecord[]> | DeliveryLogRecord[];
}
