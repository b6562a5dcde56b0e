/**
 * Contracts for state Patchbay keeps beyond one call: audit records, status history, limit
 * counters and the status monitor's shared cache. Core ships in-memory implementations;
 * `@patchbay/postgres` (durable) and `@patchbay/redis` (shared across instances) implement the
 * same interfaces, and `@patchbay/testing` runs one conformance suite per interface against all.
 * Types only.
 */
import type { HealthStatus } from './provider.js';

export type MaybePromise<T> = T | Promise<T>;

/** What changed. Values never appear in an audit record: only field names and fingerprints. */
export type AuditAction =
  | 'config.update'
  | 'provider.add'
  | 'provider.change'
  | 'provider.remove'
  | 'route.add'
  | 'route.change'
  | 'route.remove'
  | 'credentials.set'
  | 'credentials.rotate'
  | 'credentials.delete'
  | 'credentials.validate'
  | 'limits.change';

export interface AuditRecord {
  /** Unique and time-ordered (sorts by `at`, then insertion). */
  id: string;
  /** ISO-8601. */
  at: string;
  /** Who did it, as the caller passed it (user id, service name); null when not given. */
  actor: string | null;
  tenant: string | null;
  provider: string | null;
  route: string | null;
  action: AuditAction;
  outcome: 'success' | 'failure';
  /** Names of the fields that changed (`apiKey`, `settings.baseURL`, `members`), never values. */
  fields: readonly string[];
  /** Keyed fingerprint of the value before/after (hex, not reversible); null when absent. */
  before: string | null;
  after: string | null;
  /** A short sentence without secrets, e.g. the failure reason. */
  detail?: string | undefined;
}

export interface AuditQuery {
  tenant?: string | undefined;
  provider?: string | undefined;
  action?: AuditAction | undefined;
  /** ISO-8601, inclusive. */
  since?: string | undefined;
  /** ISO-8601, exclusive. */
  until?: string | undefined;
  /** Newest first; defaults to 100. */
  limit?: number | undefined;
}

/** Where audit records go. `record` may be slow or throw: Patchbay isolates it. */
export interface AuditSink {
  record(record: AuditRecord): MaybePromise<void>;
}

/** An audit sink that can answer queries (in-memory, PostgreSQL). */
export interface AuditLog extends AuditSink {
  query(query?: AuditQuery): Promise<AuditRecord[]>;
}

/** One result of a status check, as the monitor keeps it. */
export interface StatusSample {
  provider: string;
  /** null for the platform-wide check. */
  tenant: string | null;
  /** Epoch milliseconds when the check finished. */
  at: number;
  status: HealthStatus;
  latencyMs: number | null;
  /** Error code when not connected. */
  code?: string | undefined;
}

export interface StatusHistoryQuery {
  provider?: string | undefined;
  tenant?: string | null | undefined;
  /** Epoch ms, inclusive. */
  since?: number | undefined;
  /** Epoch ms, exclusive. */
  until?: number | undefined;
  limit?: number | undefined;
}

export interface StatusHistoryStore {
  append(sample: StatusSample): MaybePromise<void>;
  /** Oldest first. */
  query(query?: StatusHistoryQuery): Promise<StatusSample[]>;
}

/** A fixed-window counter answer. Windows are aligned to the epoch: start = floor(now / windowMs) * windowMs. */
export interface LimitReservation {
  /** false when adding `amount` would pass `limit`; nothing was added then. */
  granted: boolean;
  /** The window's total after this call (before it, when refused). */
  used: number;
  limit: number;
  windowStart: number;
  /** Epoch ms when the window ends and the counter restarts. */
  resetAt: number;
}

/**
 * Counters behind rate limits and budgets. `reserve` is atomic (check and add in one step) so
 * several instances sharing one store never pass a limit together.
 */
export interface LimitStore {
  reserve(key: string, amount: number, limit: number, windowMs: number, now: number): MaybePromise<LimitReservation>;
  /** Corrects a reservation once the real usage is known; `delta` may be negative. */
  settle(key: string, delta: number, windowMs: number, windowStart: number): MaybePromise<void>;
  /** Current total of the window containing `now`. */
  peek(key: string, windowMs: number, now: number): MaybePromise<number>;
}

/**
 * Lets several instances share one status monitor: one holds the poll lease and writes reports,
 * the others read them.
 */
export interface StatusReportCache {
  /** true when this instance holds (or just took) the poll lease for `scope`. */
  acquirePollLease(scope: string, instanceId: string, ttlMs: number): MaybePromise<boolean>;
  /** Stores a serialized report (JSON) for `scope`. */
  write(scope: string, report: string, ttlMs: number): MaybePromise<void>;
  read(scope: string): MaybePromise<string | undefined>;
}
