import { PatchbayError } from '../errors/patchbay-error.js';
import type { ProviderKind } from '../spec/provider.js';
import type { UsageRecord, UsageUnit } from '../spec/usage.js';

/** A charge a vendor reported after the call (e.g. the price in an SMS delivery report). */
export interface ReportedCost {
  /** The configured provider id that made the call. */
  provider: string;
  amount: number;
  currency: string;
  tenant?: string | undefined;
  /** Ties the charge to the call, e.g. the vendor's message id. */
  correlationId?: string | undefined;
  /** The unit the charge is booked under (default `messages`); its quantity is 0, so counts are not doubled. */
  unit?: UsageUnit | undefined;
}

/**
 * The usage record for a cost reported after the fact: quantity 0 (the call itself was counted when it
 * was made), the vendor's amount as its cost. Malformed input is `invalid_request` naming the field.
 */
export function reportedCostRecord(
  cost: ReportedCost,
  provider: { kind: string; vendor: string } | undefined,
  timestamp: string,
): UsageRecord {
  const field = (name: string, message: string) =>
    new PatchbayError({
      code: 'invalid_request',
      message: `reported cost: ${name} ${message}`,
      details: { field: name },
    });
  if (provider === undefined) throw field('provider', `"${String(cost.provider)}" is not a configured provider`);
  if (typeof cost.amount !== 'number' || !Number.isFinite(cost.amount))
    throw field('amount', 'must be a finite number');
  if (typeof cost.currency !== 'string' || !/^[A-Za-z]{3}$/.test(cost.currency))
    throw field('currency', 'must be a three-letter currency code');
  return {
    tenant: cost.tenant,
    kind: provider.kind as ProviderKind,
    provider: cost.provider,
    vendor: provider.vendor,
    model: undefined,
    unit: cost.unit ?? 'messages',
    quantity: 0,
    cost: cost.amount,
    currency: cost.currency.toUpperCase(),
    latencyMs: 0,
    outcome: 'success',
    errorCode: undefined,
    correlationId: cost.correlationId,
    route: undefined,
    attempt: 0,
    timestamp,
  };
}
