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

/**
 * Prices from configuration. The most specific entry wins: provider + model,
 * provider, vendor + model, vendor. No match means the price is unknown, and the
 * cost is `null` — never a silent 0.
 */
export class PriceTable {
  readonly #entries: readonly PriceEntry[];
  readonly #cache = new Map<string, UnitPrice | null>();

  constructor(entries: readonly PriceEntry[]) {
    this.#entries = entries;
  }

  lookup(query: PriceLookup): UnitPrice | null {
    const key = `${query.provider}\u0000${query.vendor}\u0000${query.model ?? ''}\u0000${query.unit}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const found = this.#find(query);
    // Bounded by providers × models × units actually used.
    if (this.#cache.size < 10_000) this.#cache.set(key, found);
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
