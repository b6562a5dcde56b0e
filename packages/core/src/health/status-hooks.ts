import type { BaseProvider } from '../spec/provider.js';
import type { RecentOutcomeSummary } from './recent-outcomes.js';
import type { StatusReport } from './status-report.js';

/** One configured provider as a status check sees it, with what calls have seen of it. */
export interface StatusEntry {
  provider: BaseProvider;
  circuit(): string | undefined;
  recent(): RecentOutcomeSummary | undefined;
}

/** What answers `patchbay.status()` while a status monitor is attached. */
export interface StatusSource {
  status(
    tenant: string | undefined,
    options: { refresh?: boolean | undefined; signal?: AbortSignal | undefined },
  ): Promise<StatusReport>;
}

/**
 * The seam between a Patchbay and a status monitor: the monitor reads the
 * providers (per tenant) without going through `status()`, and attaches itself
 * so `status()` answers from it. Internal: reached through `patchbayStatusHooks`.
 */
export interface StatusHooks {
  entries(tenant: string | undefined): StatusEntry[];
  entry(tenant: string | undefined, provider: string): StatusEntry | undefined;
  /** `health.timeoutMs` of the current configuration. */
  timeoutMs(): number;
  /** Makes `status()` answer from `source`; returns a detach that restores direct checks (if still attached). */
  attach(source: StatusSource): () => void;
  /** Routing events the monitor folds in (breaker changes, attempt outcomes). */
  onCallSeen(
    listener: (event: { provider: string; tenant: string | undefined; reason: 'attempt' | 'breaker' }) => void,
  ): () => void;
  /** Called once when the Patchbay closes, so a monitor stops its timers with it. */
  onClose(listener: () => void): () => void;
}

/** Key of a non-enumerable property on a Patchbay holding its `StatusHooks`. */
export const patchbayStatusHooks: unique symbol = Symbol.for('patchbay.status-hooks');
