/** Billing units, as vendors bill them. */
export type UsageUnit =
  | 'input_tokens'
  | 'output_tokens'
  | 'cached_input_tokens'
  | 'characters'
  | 'audio_seconds'
  | 'messages'
  | 'segments'
  | 'requests';

export interface UsageQuantity {
  unit: UsageUnit;
  quantity: number;
  /** Of `quantity`, the part that repeated input another member was already sent (live audio replayed after a failover). */
  replayed?: number | undefined;
}

export type UsageOutcome = 'success' | 'error' | 'stream_cut' | 'aborted';

/** One line of metering: one unit of one attempt. Failed attempts are metered too. */
export interface UsageRecord {
  tenant: string | undefined;
  kind: import('./provider.js').ProviderKind;
  provider: string;
  vendor: string;
  model: string | undefined;
  unit: UsageUnit;
  quantity: number;
  /** Of `quantity`, the part replayed after a live failover (audio an earlier member was already sent); absent when none. */
  replayed?: number | undefined;
  /** From the configured price table; `null` when no price is known (never a guessed 0). */
  cost: number | null;
  currency: string | null;
  latencyMs: number;
  outcome: UsageOutcome;
  /** The error code of a failed attempt. */
  errorCode: string | undefined;
  correlationId: string | undefined;
  /** Route that made the call, when it was routed. */
  route: string | undefined;
  attempt: number;
  timestamp: string;
}
