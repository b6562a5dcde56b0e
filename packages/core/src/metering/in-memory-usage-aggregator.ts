import type { ProviderKind } from '../spec/provider.js';
import type { UsageRecord, UsageUnit } from '../spec/usage.js';

export interface UsageSummaryRow {
  tenant: string | undefined;
  kind: ProviderKind;
  provider: string;
  vendor: string;
  model: string | undefined;
  unit: UsageUnit;
  quantity: number;
  /** `null` as soon as one contributing record had no known price. */
  cost: number | null;
  currency: string | null;
  /** Records counted (attempts × units). */
  records: number;
  failures: number;
  totalLatencyMs: number;
}

/**
 * Sums usage per (tenant, provider, model, unit). Memory grows with the number of
 * distinct keys, never with the number of records, and stops growing at
 * `maxKeys` rows (default 10,000): a record of a new key past the cap is counted
 * in `droppedRecords` and stored nowhere — no index entry is made for it either.
 * Keys already stored keep summing. Rows are kept until `reset()`.
 */
export class InMemoryUsageAggregator {
  readonly #rows = new Map<string, UsageSummaryRow>();
  // tenant → provider → model → unit → row; the string-keyed map above serves listing only.
  readonly #index = new Map<
    string | undefined,
    Map<string, Map<string | undefined, Map<UsageUnit, UsageSummaryRow>>>
  >();
  readonly #maxKeys: number;
  #dropped = 0;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Bound, so it can be passed around as a sink. */
  readonly record = (record: UsageRecord): void => {
    let row = this.#index.get(record.tenant)?.get(record.provider)?.get(record.model)?.get(record.unit);
    if (!row) {
      // The cap is checked before any map is made: a flood of new keys past it allocates nothing.
      if (this.#rows.size >= this.#maxKeys) {
        this.#dropped++;
        return;
      }
      let byProvider = this.#index.get(record.tenant);
      if (!byProvider) this.#index.set(record.tenant, (byProvider = new Map()));
      let byModel = byProvider.get(record.provider);
      if (!byModel) byProvider.set(record.provider, (byModel = new Map()));
      let byUnit = byModel.get(record.model);
      if (!byUnit) byModel.set(record.model, (byUnit = new Map()));
      row = {
        tenant: record.tenant,
        kind: record.kind,
        provider: record.provider,
        vendor: record.vendor,
        model: record.model,
        unit: record.unit,
        quantity: 0,
        cost: 0,
        currency: record.currency,
        records: 0,
        failures: 0,
        totalLatencyMs: 0,
      };
      byUnit.set(record.unit, row);
      this.#rows.set(
        `${record.tenant ?? ''}\u0000${record.provider}\u0000${record.model ?? ''}\u0000${record.unit}`,
        row,
      );
    }
    row.quantity += record.quantity;
    // A quantity of 0 costs 0 even unpriced: only a non-zero quantity without a price makes a total unknown.
    const cost = record.cost ?? (record.quantity === 0 ? 0 : null);
    row.cost = row.cost === null || cost === null ? null : row.cost + cost;
    row.currency ??= record.currency;
    row.records++;
    if (record.outcome !== 'success') row.failures++;
    row.totalLatencyMs += record.latencyMs;
  };

  get size(): number {
    return this.#rows.size;
  }

  get droppedRecords(): number {
    return this.#dropped;
  }

  /** Rows, optionally for one tenant; copies, safe to serialise. */
  rows(filter: { tenant?: string; provider?: string } = {}): UsageSummaryRow[] {
    const rows: UsageSummaryRow[] = [];
    for (const row of this.#rows.values()) {
      if (filter.tenant !== undefined && row.tenant !== filter.tenant) continue;
      if (filter.provider !== undefined && row.provider !== filter.provider) continue;
      rows.push({ ...row });
    }
    return rows;
  }

  /** Total cost per provider; `null` where any of its usage has no known price. */
  costByProvider(filter: { tenant?: string } = {}): Record<string, number | null> {
    const totals: Record<string, number | null> = {};
    for (const row of this.rows(filter)) {
      const previous = totals[row.provider];
      totals[row.provider] = previous === null || row.cost === null ? null : (previous ?? 0) + row.cost;
    }
    return totals;
  }

  reset(): void {
    this.#rows.clear();
    this.#index.clear();
    this.#dropped = 0;
  }
}
