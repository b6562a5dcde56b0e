import { countOption } from '../config/option-checks.js';
import type { AuditLog, AuditQuery, AuditRecord } from '../spec/state.js';

/** Default number of records an in-memory audit log keeps. */
export const defaultAuditLogCapacity = 10_000;
const defaultQueryLimit = 100;

/**
 * An `AuditLog` in memory: the newest `capacity` records (older ones dropped first, counted in
 * `dropped`), queryable newest first. A ring buffer: memory is fixed by `capacity` however many records
 * pass through. For a durable trail use `@patchbay/postgres`.
 */
export class InMemoryAuditLog implements AuditLog {
  readonly capacity: number;
  readonly #ring: (AuditRecord | undefined)[];
  #next = 0;
  #size = 0;
  #dropped = 0;
  /** Every record so far came no earlier than the one before it, so insertion order is time order. */
  #inTimeOrder = true;
  #latestAt = '';

  constructor(options: { capacity?: number | undefined } = {}) {
    const capacity = countOption(options?.capacity, defaultAuditLogCapacity, 'capacity');
    this.capacity = capacity;
    this.#ring = new Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Records dropped to stay within `capacity`. */
  get dropped(): number {
    return this.#dropped;
  }

  record(record: AuditRecord): void {
    if (record.at < this.#latestAt) this.#inTimeOrder = false;
    else this.#latestAt = record.at;
    if (this.#size === this.capacity) this.#dropped++;
    else this.#size++;
    this.#ring[this.#next] = Object.freeze({ ...record, fields: Object.freeze([...record.fields]) });
    this.#next = (this.#next + 1) % this.capacity;
  }

  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const limit = Math.max(0, Math.min(query.limit ?? defaultQueryLimit, this.capacity));
    const found: AuditRecord[] = [];
    // A record given out of time order (a clock stepped back, a replayed import) means the ring is
    // no longer sorted: then every match is collected and sorted by time (stable, so ties stay newest-inserted first).
    const stopEarly = this.#inTimeOrder;
    for (let back = 1; back <= this.#size && (!stopEarly || found.length < limit); back++) {
      const record = this.#ring[(this.#next - back + this.capacity) % this.capacity] as AuditRecord;
      if (query.tenant !== undefined && record.tenant !== query.tenant) continue;
      if (query.provider !== undefined && record.provider !== query.provider) continue;
      if (query.action !== undefined && record.action !== query.action) continue;
      if (query.since !== undefined && record.at < query.since) continue;
      if (query.until !== undefined && record.at >= query.until) continue;
      found.push(record);
    }
    if (stopEarly) return found;
    found.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? 1 : -1));
    return found.slice(0, limit);
  }
}
