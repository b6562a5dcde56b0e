import { LruMap } from '../config/lru-map.js';
import { countOption, durationOption, invalidOption } from '../config/option-checks.js';
import type { UsageRecord } from '../spec/usage.js';

/** Usage of one tenant, provider and unit over a window. */
export interface UsageWindowRow {
  tenant: string | null;
  provider: string;
  unit: string;
  quantity: number;
  /** `null` as soon as one record in the window had no known price. */
  cost: number | null;
  currency: string | null;
  /** Usage records counted (attempts × units). */
  calls: number;
  failures: number;
}

/**
 * Most buckets one key holds (`spanMs / bucketMs`, rounded up): 10,080, a week of 1-minute buckets. Each bucket
 * is 33 bytes in every key, preallocated on the key's first record, so a key holds at most ~325 KiB.
 */
export const maxUsageBucketsPerKey = 10_080;

export interface UsageWindowsOptions {
  /** Width of one bucket. Default 5 min; less than 1 s counts as 1 s. */
  bucketMs?: number | undefined;
  /**
   * How far back windows reach. Default 24 h. At most 10,080 buckets (`spanMs / bucketMs`, e.g. a week of
   * 1-minute buckets): each key preallocates its buckets (33 bytes each), so a longer span is refused with
   * `invalid_request` naming `usage.spanMs` rather than holding up to 2 million buckets per key.
   */
  spanMs?: number | undefined;
  /** Tenant/provider/unit keys held (least recently written dropped first). Default 1,000. */
  maxKeys?: number | undefined;
}

interface Series {
  tenant: string | null;
  provider: string;
  unit: string;
  currency: string | null;
  /** Bucket start (epoch ms) each slot holds; a slot from an older lap reads as empty. */
  starts: Float64Array;
  quantity: Float64Array;
  cost: Float64Array;
  unpriced: Uint8Array;
  calls: Uint32Array;
  failures: Uint32Array;
}

/**
 * Usage summed in time buckets, so a status page can show usage and cost over the last hour or day
 * (the usage aggregator sums since start). Fixed memory per key (`spanMs / bucketMs` slots, at most
 * `maxUsageBucketsPerKey`) and at most `maxKeys` keys.
 */
export class UsageWindows {
  readonly #bucketMs: number;
  readonly #slots: number;
  readonly #series: LruMap<string, Series>;

  constructor(options: UsageWindowsOptions = {}) {
    this.#bucketMs = Math.max(1_000, durationOption(options.bucketMs, 300_000, 'usage.bucketMs', true));
    const spanMs = durationOption(options.spanMs, 86_400_000, 'usage.spanMs', true);
    this.#slots = Math.max(1, Math.ceil(spanMs / this.#bucketMs));
    if (this.#slots > maxUsageBucketsPerKey) {
      throw invalidOption(
        'usage.spanMs',
        `must be at most ${maxUsageBucketsPerKey} buckets of usage.bucketMs (${maxUsageBucketsPerKey * this.#bucketMs} ms with ${this.#bucketMs} ms buckets); got ${this.#slots}`,
      );
    }
    this.#series = new LruMap(countOption(options.maxKeys, 1_000, 'usage.maxKeys'));
  }

  get size(): number {
    return this.#series.size;
  }

  /** The longest window answered in full. */
  get spanMs(): number {
    return this.#slots * this.#bucketMs;
  }

  readonly record = (record: UsageRecord): void => {
    const at = Date.parse(record.timestamp);
    const now = Number.isFinite(at) ? at : Date.now();
    const tenant = record.tenant ?? null;
    const key = `${tenant === null ? '-' : `${tenant.length}:${tenant}`}\u0000${record.provider}\u0000${record.unit}`;
    let series = this.#series.get(key);
    if (!series) {
      const slots = this.#slots;
      series = {
        tenant,
        provider: record.provider,
        unit: record.unit,
        currency: record.currency,
        starts: new Float64Array(slots).fill(-1),
        quantity: new Float64Array(slots),
        cost: new Float64Array(slots),
        unpriced: new Uint8Array(slots),
        calls: new Uint32Array(slots),
        failures: new Uint32Array(slots),
      };
      this.#series.set(key, series);
    }
    const bucket = Math.floor(now / this.#bucketMs);
    const slot = bucket % this.#slots;
    const start = bucket * this.#bucketMs;
    if (series.starts[slot] !== start) {
      series.starts[slot] = start;
      series.quantity[slot] = 0;
      series.cost[slot] = 0;
      series.unpriced[slot] = 0;
      series.calls[slot] = 0;
      series.failures[slot] = 0;
    }
    series.quantity[slot] = (series.quantity[slot] as number) + record.quantity;
    if (record.cost === null) {
      if (record.quantity !== 0) series.unpriced[slot] = 1;
    } else series.cost[slot] = (series.cost[slot] as number) + record.cost;
    series.currency ??= record.currency;
    series.calls[slot] = (series.calls[slot] as number) + 1;
    if (record.outcome !== 'success') series.failures[slot] = (series.failures[slot] as number) + 1;
  };

  /** Rows with usage in the last `windowMs` (whole buckets), optionally for one tenant (null: the platform's own). */
  rows(options: { windowMs: number; tenant?: string | null | undefined; now?: number | undefined }): UsageWindowRow[] {
    const now = options.now ?? Date.now();
    const windowMs = Math.min(Math.max(options.windowMs, this.#bucketMs), this.spanMs);
    const oldest = (Math.floor(now / this.#bucketMs) - Math.ceil(windowMs / this.#bucketMs) + 1) * this.#bucketMs;
    const rows: UsageWindowRow[] = [];
    for (const series of this.#series.values()) {
      if (options.tenant !== undefined && series.tenant !== options.tenant) continue;
      const row: UsageWindowRow = {
        tenant: series.tenant,
        provider: series.provider,
        unit: series.unit,
        quantity: 0,
        cost: 0,
        currency: series.currency,
        calls: 0,
        failures: 0,
      };
      for (let slot = 0; slot < this.#slots; slot++) {
        const start = series.starts[slot] as number;
        if (start < oldest || start > now) continue;
        row.quantity += series.quantity[slot] as number;
        row.calls += series.calls[slot] as number;
        row.failures += series.failures[slot] as number;
        if (series.unpriced[slot]) row.cost = null;
        else if (row.cost !== null) row.cost += series.cost[slot] as number;
      }
      if (row.calls > 0) rows.push(row);
    }
    return rows;
  }
}
