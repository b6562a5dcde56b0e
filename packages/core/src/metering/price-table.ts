import type { PriceEntry } from '../routing/routing-config.js';
import type { UsageUnit } from '../spec/usage.js';

export interface PriceLookup {
  provider: string;
  vendor: string;
  model: string | undefined;
  unit: UsageUnit;
}

export interface UnitPrice {
  /** Price of one unit. */
  price: number;
  currency: string;
}

/** The units of one (provider, model) priced so far, each followed by its price (`null`: none configured). */
type PricedUnits = Array<UsageUnit | UnitPrice | null>;

/**
 * Prices from configuration. The most specific entry wins: provider + model,
 * provider, vendor + model, vendor. No match means the price is unknown, and the
 * cost is `null` — never a silent 0.
 */
export class PriceTable {
  readonly #entries: readonly PriceEntry[];
  // provider → model → the units priced so far, as [unit, price, unit, price…]: nested maps, so the hot path builds
  // no key strings, and a short array scanned rather than a third map probed per unit.
  readonly #cache = new Map<string, Map<string | undefined, PricedUnits>>();

  constructor(entries: readonly PriceEntry[]) {
    this.#entries = entries;
  }

  /** Provider ids are unique per configuration, so the vendor need not be part of the cache key. */
  lookup(query: PriceLookup): UnitPrice | null {
    return this.unitPrice(query.provider, query.vendor, query.model, query.unit);
  }

  // The last (provider, model) priced and its units: an attempt's units share them, and so do calls in a row.
  #lastProvider: string | undefined;
  #lastModel: string | undefined;
  #lastUnits: PricedUnits | undefined;

  /** `lookup` without a query object: what the meter calls for every unit of every attempt. */
  unitPrice(provider: string, vendor: string, model: string | undefined, unit: UsageUnit): UnitPrice | null {
    let byUnit = this.#lastUnits;
    if (byUnit === undefined || provider !== this.#lastProvider || model !== this.#lastModel) {
      let byModel = this.#cache.get(provider);
      if (!byModel) this.#cache.set(provider, (byModel = new Map()));
      byUnit = byModel.get(model);
      if (!byUnit) {
        // Bounded by the models actually seen; a flood of distinct model names stops being cached.
        if (byModel.size >= 1_000) return this.#find({ provider, vendor, model, unit });
        byModel.set(model, (byUnit = []));
      }
      this.#lastProvider = provider;
      this.#lastModel = model;
      this.#lastUnits = byUnit;
    }
    for (let index = 0; index < byUnit.length; index += 2) {
      if (byUnit[index] === unit) return byUnit[index + 1] as UnitPrice | null;
    }
    const found = this.#find({ provider, vendor, model, unit });
    byUnit.push(unit, found);
    return found;
  }

  cost(query: PriceLookup, quantity: number): { cost: number | null; currency: string | null } {
    const price = this.lookup(query);
    return price ? { cost: quantity * price.price, currency: price.currency } : { cost: null, currency: null };
  }

  #find(query: PriceLookup): UnitPrice | null {
    let best: PriceEntry | undefined;
    let bestScore = -1;
    for (const entry of this.#entries) {
      if (entry.unit !== query.unit) continue;
      if (entry.provider !== undefined && entry.provider !== query.provider) continue;
      if (entry.vendor !== undefined && entry.vendor !== query.vendor) continue;
      if (entry.model !== undefined && entry.model !== query.model) continue;
      if (entry.provider === undefined && entry.vendor === undefined) continue;
      const score =
        (entry.provider !== undefined ? 4 : 0) +
        (entry.model !== undefined ? 2 : 0) +
        (entry.vendor !== undefined ? 1 : 0);
      if (score > bestScore) {
        best = entry;
        bestScore = score;
      }
    }
    return best ? { price: best.price / best.per, currency: best.currency } : null;
  }
}
