import { randomUUID } from 'node:crypto';
import { countOption } from '@patchbay/core/adapter';
import type { DeliveryLogEntry, DeliveryLogFilter, DeliveryLogRecord, DeliveryLogStore } from './delivery-log-store.js';

export interface InMemoryDeliveryLogOptions {
  /** Records kept; the oldest are evicted beyond this (default 10 000). */
  maxRecords?: number | undefined;
  /** Clock, for tests. */
  now?: (() => Date) | undefined;
}

/** A bounded delivery log in memory: a FIFO of at most `maxRecords` records, oldest evicted first. */
export class InMemoryDeliveryLog implements DeliveryLogStore {
  readonly maxRecords: number;
  readonly #now: () => Date;
  // Insertion-ordered; eviction deletes from the front. A Map keeps both order and O(1) deletes.
  readonly #records = new Map<string, DeliveryLogRecord>();
  readonly #byMessageId = new Map<string, Set<string>>();

  constructor(options: InMemoryDeliveryLogOptions = {}) {
    const max = countOption(options.maxRecords, 10_000, 'maxRecords');
    this.maxRecords = max;
    this.#now = options.now ?? (() => new Date());
  }

  get size(): number {
    return this.#records.size;
  }

  append(entry: DeliveryLogEntry): DeliveryLogRecord {
    const createdAt = entry.createdAt ?? this.#now();
    const record: DeliveryLogRecord = Object.freeze({
      ...entry,
      id: entry.id ?? randomUUID(),
      createdAt,
      updatedAt: entry.updatedAt ?? createdAt,
    });
    this.#records.delete(record.id);
    this.#records.set(record.id, record);
    if (record.messageId !== undefined) {
      let ids = this.#byMessageId.get(record.messageId);
      if (ids === undefined) this.#byMessageId.set(record.messageId, (ids = new Set()));
      ids.add(record.id);
    }
    while (this.#records.size > this.maxRecords) this.#evictOldest();
    return record;
  }

  list(filter: DeliveryLogFilter = {}): DeliveryLogRecord[] {
    const source =
      filter.messageId === undefined ? [...this.#records.values()] : this.findByMessageId(filter.messageId);
    const matches = source.filter((record) => matchesFilter(record, filter));
    if (filter.limit !== undefined && matches.length > filter.limit)
      return matches.slice(matches.length - Math.max(0, filter.limit));
    return matches;
  }

  findByMessageId(messageId: string): DeliveryLogRecord[] {
    const ids = this.#byMessageId.get(messageId);
    if (ids === undefined) return [];
    const records: DeliveryLogRecord[] = [];
    for (const id of ids) {
      const record = this.#records.get(id);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  clear(): void {
    this.#records.clear();
    this.#byMessageId.clear();
  }

  #evictOldest(): void {
    const oldest = this.#records.keys().next();
    if (oldest.done) return;
    const record = this.#records.get(oldest.value);
    this.#records.delete(oldest.value);
    if (record?.messageId !== undefined) {
      const ids = this.#byMessageId.get(record.messageId);
      ids?.delete(record.id);
      if (ids?.size === 0) this.#byMessageId.delete(record.messageId);
    }
  }
}

function matchesFilter(record: DeliveryLogRecord, filter: DeliveryLogFilter): boolean {
  if (filter.tenant !== undefined && record.tenant !== filter.tenant) return false;
  if (filter.correlationId !== undefined && record.correlationId !== filter.correlationId) return false;
  if (filter.channel !== undefined && record.channel !== filter.channel) return false;
  if (filter.direction !== undefined && record.direction !== filter.direction) return false;
  if (filter.status !== undefined && record.status !== filter.status) return false;
  if (filter.event !== undefined && record.event !== filter.event) return false;
  if (filter.to !== undefined && record.to !== filter.to) return false;
  if (filter.since !== undefined && record.createdAt < filter.since) return false;
  if (filter.until !== undefined && record.createdAt >= filter.until) return false;
  return true;
}
