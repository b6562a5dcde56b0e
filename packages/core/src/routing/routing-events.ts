import type { ErrorCode } from '../errors/error-codes.js';
import type { LimitWarningEvent } from '../limits/limit-gate.js';
import type { ProviderKind } from '../spec/provider.js';
import type { UsageRecord } from '../spec/usage.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface AttemptEvent {
  route: string;
  kind: ProviderKind;
  provider: string;
  tenant: string | undefined;
  correlationId: string | undefined;
  attempt: number;
  outcome: 'success' | 'error' | 'skipped';
  durationMs: number;
  errorCode?: ErrorCode | undefined;
}

export interface RetryEvent {
  route: string;
  provider: string;
  tenant: string | undefined;
  /** The attempt that failed (1-based). */
  attempt: number;
  delayMs: number;
  errorCode: ErrorCode;
}

export interface FailoverEvent {
  route: string;
  from: string;
  /** The next provider to try, when there is one. */
  to: string | undefined;
  tenant: string | undefined;
  errorCode: ErrorCode;
}

export interface BreakerEvent {
  provider: string;
  state: BreakerState;
}

export interface PatchbayEvents extends Record<string, unknown> {
  attempt: AttemptEvent;
  retry: RetryEvent;
  failover: FailoverEvent;
  breaker: BreakerEvent;
  usage: UsageRecord;
  /** A budget or rate limit passed its `warnAt` share (or a soft limit its `max`). */
  limit_warning: LimitWarningEvent;
}
