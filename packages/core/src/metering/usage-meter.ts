import type { EventHub, ListenerWatch } from '../events/event-hub.js';
import type { PatchbayEvents } from '../routing/routing-events.js';
import type { ProviderKind } from '../spec/provider.js';
import type { UsageOutcome, UsageQuantity, UsageRecord } from '../spec/usage.js';
import { addUsage, type InMemoryUsageAggregator } from './in-memory-usage-aggregator.js';
import type { PriceTable } from './price-table.js';

export interface MeterInput {
  route: string | undefined;
  kind: ProviderKind;
  provider: string;
  vendor: string;
  model: string | undefined;
  tenant: string | undefined;
  correlationId: string | undefined;
  attempt: number;
  latencyMs: number;
  outcome: UsageOutcome;
  errorCode: string | undefined;
  quantities: readonly UsageQuantity[];
  /** A cost the vendor reported for the whole attempt: it replaces the price table's. */
  reportedCost?: { amount: number; currency: string } | undefined;
}

/**
 * Prices attempts, adds them to the built-in aggregator and emits one `usage` event per unit. The aggregator is
 * fed directly, not as a listener: with no other listener no record object is built (the common case, where
 * metering is a large share of what routing adds to a call). Skipped entirely when there is neither.
 * Pricing: a quantity of 0 costs 0 (priced or not); a non-zero quantity with no price costs `null`.
 * When the vendor reported the attempt's cost, the first unit carries that amount and the others 0.
 */
export class UsageMeter {
  readonly #prices: () => PriceTable;
  readonly #events: EventHub<PatchbayEvents>;
  readonly #aggregator: InMemoryUsageAggregator | undefined;
  readonly #usageListeners: ListenerWatch;

  constructor(
    prices: () => PriceTable,
    events: EventHub<PatchbayEvents>,
    aggregator?: InMemoryUsageAggregator | undefined,
  ) {
    this.#prices = prices;
    this.#events = events;
    this.#aggregator = aggregator;
    this.#usageListeners = events.watch('usage');
  }

  record(input: MeterInput): void {
    const aggregator = this.#aggregator;
    const emitting = this.#usageListeners.active;
    if (!emitting && aggregator === undefined) return;
    const prices = this.#prices();
    const timestamp = emitting ? isoNow() : '';
    const reported = input.reportedCost;
    let first = true;
    for (const { unit, quantity, replayed } of input.quantities) {
      let cost: number | null;
      let currency: string | null;
      if (reported) {
        cost = first ? reported.amount : 0;
        currency = reported.currency;
      } else {
        const price = prices.unitPrice(input.provider, input.vendor, input.model, unit);
        cost = price ? quantity * price.price : quantity === 0 ? 0 : null;
        currency = price ? price.currency : null;
      }
      first = false;
      if (aggregator !== undefined) addUsage(aggregator, input, unit, quantity, cost, currency);
      if (!emitting) continue;
      const record: UsageRecord = {
        tenant: input.tenant,
        kind: input.kind,
        provider: input.provider,
        vendor: input.vendor,
        model: input.model,
        unit,
        quantity,
        cost,
        currency,
        latencyMs: input.latencyMs,
        outcome: input.outcome,
        errorCode: input.errorCode,
        correlationId: input.correlationId,
        route: input.route,
        attempt: input.attempt,
        timestamp,
      };
      // Set only when true (replayed audio of a live failover): a spread here would cost every record.
      if (replayed) record.replayed = replayed;
      this.#events.emit('usage', record);
    }
  }
}

let lastMillisecond = 0;
let lastIso = '';
let lastSecond = -1;
let lastSecondPrefix = '';

/** `new Date().toISOString()`, formatted once per millisecond however many records share it. */
export function isoNow(): string {
  const now = Date.now();
  if (now === lastMillisecond) return lastIso;
  lastMillisecond = now;
  // Formatting a Date is costly next to the rest of a metered call; the text up to the seconds changes once a
  // second, so only the milliseconds are formatted per call.
  const second = now - (now % 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondPrefix = new Date(second).toISOString().slice(0, -4);
  }
  const milliseconds = now - second;
  lastIso = `${lastSecondPrefix}${milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : ''}${milliseconds}Z`;
  return lastIso;
}
