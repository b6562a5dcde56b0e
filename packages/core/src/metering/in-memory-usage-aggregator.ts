import { countOption } from '../config/option-checks.js';
import type { ProviderKind } from '../spec/provider.js';
import type { UsageRecord, UsageUnit } from '../spec/usage.js';
import type { MeterInput } from './usage-meter.js';

/** Package-internal: set by the class below; what `UsageMeter` feeds the aggregator with (see `record`). */
export let addUsage: (
  aggregator: InMemoryUsageAggregator,
  input: MeterInput,
  unit: UsageUnit,
  quantity: number,
  cost: number | null,
  currency: string | null,
) => void;

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
  // tenant → provider → model → rows (one per unit); the string-keyed map above serves listing only. A key's rows
  // are a short array, scanned: a unit is found among the rows about to be updated, without a map probe.
  readonly #index = new Map<string | undefined, Map<string, Map<string | undefined, UsageSummaryRow[]>>>();
  readonly #maxKeys: number;
  #dropped = 0;

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = countOption(options.maxKeys, 10_000, 'maxKeys', 0);
  }

  // The last (tenant, provider, model) looked up and its units: a call's units, and the calls of one tenant and
  // model in a row, skip three of the four map lookups.
  #lastTenant: string | undefined;
  #lastProvider: string | undefined;
  #lastModel: string | undefined;
  #lastUnits: UsageSummaryRow[] | undefined;

  /** Bound, so it can be passed around as a sink. */
  readonly record = (record: UsageRecord): void => {
    this.#add(
      record.tenant,
      record.kind,
      record.provider,
      record.vendor,
      record.model,
      record.unit,
      record.quantity,
      record.cost,
      record.currency,
      record.outcome !== 'success',
      record.latencyMs,
    );
  };

  static {
    // The meter's way in (package-internal): it adds an attempt's units without building a record for each.
    addUsage = (aggregator, input, unit, quantity, cost, currency) =>
      aggregator.#add(
        input.tenant,
        input.kind,
        input.provider,
        input.vendor,
        input.model,
        unit,
        quantity,
        cost,
        currency,
        input.outcome !== 'success',
        input.latencyMs,
      );
  }

  #add(
    tenant: string | undefined,
    kind: ProviderKind,
    provider: string,
    vendor: string,
    model: string | undefined,
    unit: UsageUnit,
    quantity: number,
    cost: number | null,
    currency: string | null,
    failed: boolean,
    latencyMs: number,
  ): void {
    let units = this.#lastUnits;
    if (
      units === undefined ||
      tenant !== this.#lastTenant ||
      provider !== this.#lastProvider ||
      model !== this.#lastModel
    ) {
      units = this.#index.get(tenant)?.get(provider)?.get(model);
      if (units !== undefined) {
        this.#lastTenant = tenant;
        this.#lastProvider = provider;
        this.#lastModel = model;
        this.#lastUnits = units;
      }
    }
    let row: UsageSummaryRow | undefined;
    if (units !== undefined) {
      for (let index = 0; index < units.length; index++) {
        const candidate = units[index] as UsageSummaryRow;
        if (candidate.unit === unit) {
          row = candidate;
          break;
        }
      }
    }
    if (!row) {
      // The cap is checked before any map is made: a flood of new keys past it allocates nothing.
      if (this.#rows.size >= this.#maxKeys) {
        this.#dropped++;
        return;
      }
      let byProvider = this.#index.get(tenant);
      if (!byProvider) this.#index.set(tenant, (byProvider = new Map()));
      let byModel = byProvider.get(provider);
      if (!byModel) byProvider.set(provider, (byModel = new Map()));
      let byUnit = byModel.get(model);
      if (!byUnit) byModel.set(model, (byUnit = []));
      row = {
        tenant,
        kind,
        provider,
        vendor,
        model,
        unit,
        quantity: 0,
        cost: 0,
        currency,
        records: 0,
        failures: 0,
        totalLatencyMs: 0,
      };
      byUnit.push(row);
      this.#rows.set(`${tenant ?? ''}\u0000${provider}\u0000${model ?? ''}\u0000${unit}`, row);
    }
    row.quantity += quantity;
    // A quantity of 0 costs 0 even unpriced: only a non-zero quantity without a price makes a total unknown.
    const counted = cost ?? (quantity === 0 ? 0 : null);
    row.cost = row.cost === null || counted === null ? null : row.cost + counted;
    row.currency ??= currency;
    row.records++;
    if (failed) row.failures++;
    row.totalLatencyMs += latencyMs;
  }

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
    this.#lastUnits = undefined;
    this.#dropped = 0;
  }
}
