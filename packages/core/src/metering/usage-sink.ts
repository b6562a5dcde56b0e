import type { UsageRecord } from '../spec/usage.js';

/** Where usage records go: a function, or an object with `record` (a database writer, a queue). */
export type UsageSink = ((record: UsageRecord) => void) | { record(record: UsageRecord): void };

export function toUsageListener(sink: UsageSink): (record: UsageRecord) => void {
  return typeof sink === 'function' ? sink : (record) => sink.record(record);
}
