// The store suites themselves: each passes a correct store and fails a store with one flaw, so a
// suite that stops checking something shows up here. (The PGlite and PostgreSQL runs are in
// packages/postgres; the delivery log and session store suites run there against messaging's stores.
// The shared-state suites run against the in-memory and Redis stores in packages/redis.)
import type {
  AuditLog,
  AuditQuery,
  AuditRecord,
  LimitReservation,
  LimitStore,
  StatusHistoryQuery,
  StatusHistoryStore,
  StatusReportCache,
  StatusSample,
} from '@patchbay/core';
import {
  InMemoryLimitStore,
  InMemorySealedStorage,
  InMemoryStatusReportCache,
  InMemoryUsageAggregator,
} from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../conformance-case.js';
import { runConformance } from '../conformance-case.js';
import { defineAuditLogConformance } from './audit-log-conformance.js';
import {
  type DualChannelStateLike,
  defineDualChannelStateConformance,
  type SentWhatsAppMessageLike,
} from './dual-channel-state-conformance.js';
import {
  defineIdempotencyStoreConformance,
  type IdempotencyClaimLike,
  type IdempotencyStoreLike,
  type IdempotentOutcomeLike,
} from './idempotency-store-conformance.js';
import { defineLimitStoreConformance } from './limit-store-conformance.js';
import { defineSealedCredentialStorageConformance } from './sealed-credential-storage-conformance.js';
import { defineStatusHistoryConformance } from './status-history-conformance.js';
import { defineStatusReportCacheConformance } from './status-report-cache-conformance.js';
import { defineUsageStoreConformance } from './usage-store-conformance.js';

class ReferenceAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];
  constructor(readonly flaw?: 'oldest-first' | 'no-default-limit') {}
  record(record: AuditRecord): void {
    this.records.push(record);
  }
  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const matches = this.records
      .map((record, index) => ({ record, index }))
      .filter(({ record }) => query.tenant === undefined || record.tenant === query.tenant)
      .filter(({ record }) => query.provider === undefined || record.provider === query.provider)
      .filter(({ record }) => query.action === undefined || record.action === query.action)
      .filter(({ record }) => query.since === undefined || record.at >= query.since)
      .filter(({ record }) => query.until === undefined || record.at < query.until)
      .sort((a, b) => (a.record.at === b.record.at ? b.index - a.index : a.record.at < b.record.at ? 1 : -1))
      .map(({ record }) => record);
    if (this.flaw === 'oldest-first') matches.reverse();
    return this.flaw === 'no-default-limit' && query.limit === undefined
      ? matches
      : matches.slice(0, query.limit ?? 100);
  }
}

class ReferenceStatusHistory implements StatusHistoryStore {
  readonly samples: StatusSample[] = [];
  constructor(readonly flaw?: 'oldest-limit' | 'tenant-null-ignored') {}
  append(sample: StatusSample): void {
    this.samples.push({ ...sample });
  }
  async query(query: StatusHistoryQuery = {}): Promise<StatusSample[]> {
    const matches = this.samples
      .filter((s) => query.provider === undefined || s.provider === query.provider)
      .filter(
        (s) =>
          query.tenant === undefined ||
          (this.flaw === 'tenant-null-ignored' && query.tenant === null) ||
          s.tenant === query.tenant,
      )
      .filter((s) => query.since === undefined || s.at >= query.since)
      .filter((s) => query.until === undefined || s.at < query.until)
      .sort((a, b) => a.at - b.at);
    if (query.limit === undefined || matches.length <= query.limit) return matches;
    return this.flaw === 'oldest-limit' ? matches.slice(0, query.limit) : matches.slice(matches.length - query.limit);
  }
}

/** Storage whose replace ignores the version: a rotation would revert a concurrent set(). */
class LastWriteWinsStorage extends InMemorySealedStorage {
  override replace(tenant: string, provider: string, sealed: string): boolean {
    const row = this.read(tenant, provider);
    if (!row) return false;
    this.write(tenant, provider, sealed);
    return true;
  }
}

/** An aggregator that treats an unknown price as 0. */
class GuessingAggregator extends InMemoryUsageAggregator {
  constructor() {
    super();
    const record = this.record;
    Object.defineProperty(this, 'record', {
      value: (usage: Parameters<typeof record>[0]) => record({ ...usage, cost: usage.cost ?? 0 }),
    });
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A limit store with one flaw at a time. */
class FlawedLimitStore implements LimitStore {
  readonly #counters = new Map<string, number>();
  constructor(readonly flaw: 'read-then-write' | 'counts-refusals' | 'windows-from-first-use' | 'no-negative-settle') {}
  #first: number | undefined;
  #windowStart(now: number, windowMs: number): number {
    if (this.flaw === 'windows-from-first-use') {
      this.#first ??= now;
      return this.#first + Math.floor((now - this.#first) / windowMs) * windowMs;
    }
    return Math.floor(now / windowMs) * windowMs;
  }
  async reserve(key: string, amount: number, limit: number, windowMs: number, now: number): Promise<LimitReservation> {
    const windowStart = this.#windowStart(now, windowMs);
    const id = `${key} ${windowMs} ${windowStart}`;
    const used = this.#counters.get(id) ?? 0;
    // Check, then add after a turn of the event loop: another reservation slips in between.
    if (this.flaw === 'read-then-write') await tick();
    const granted = used + amount <= limit;
    if (granted || this.flaw === 'counts-refusals') this.#counters.set(id, used + amount);
    return { granted, used: granted ? used + amount : used, limit, windowStart, resetAt: windowStart + windowMs };
  }
  settle(key: string, delta: number, windowMs: number, windowStart: number): void {
    if (this.flaw === 'no-negative-settle' && delta < 0) return;
    const id = `${key} ${windowMs} ${windowStart}`;
    this.#counters.set(id, Math.max(0, (this.#counters.get(id) ?? 0) + delta));
  }
  peek(key: string, windowMs: number, now: number): number {
    return this.#counters.get(`${key} ${windowMs} ${this.#windowStart(now, windowMs)}`) ?? 0;
  }
}

/** A status report cache with one flaw, over the in-memory one on a hand-moved clock. */
class FlawedStatusReportCache implements StatusReportCache {
  readonly #inner: InMemoryStatusReportCache;
  constructor(
    readonly flaw: 'any-instance' | 'holder-not-renewed' | 'never-expires',
    now: () => number,
  ) {
    this.#inner = new InMemoryStatusReportCache({ now });
  }
  acquirePollLease(scope: string, instanceId: string, ttlMs: number): boolean {
    if (this.flaw === 'any-instance') return true;
    if (this.flaw === 'holder-not-renewed' && this.#holders.get(scope) === instanceId) return true;
    const granted = this.#inner.acquirePollLease(scope, instanceId, this.flaw === 'never-expires' ? 1e12 : ttlMs);
    if (granted) this.#holders.set(scope, instanceId);
    return granted;
  }
  readonly #holders = new Map<string, string>();
  write(scope: string, report: string, ttlMs: number): void {
    this.#inner.write(scope, report, this.flaw === 'never-expires' ? 1e12 : ttlMs);
  }
  read(scope: string): string | undefined {
    return this.#inner.read(scope);
  }
}

/** A dual-channel state kept in maps, correct unless given a flaw. */
class ReferenceDualChannelState implements DualChannelStateLike {
  readonly #messages = new Map<string, string>();
  readonly #claimed = new Set<string>();
  constructor(readonly flaw?: 'racy-claim' | 'release-ignored' | 'dates-as-text') {}
  remember(record: SentWhatsAppMessageLike): void {
    this.#messages.set(record.messageId, JSON.stringify(record));
  }
  get(messageId: string): SentWhatsAppMessageLike | undefined {
    const raw = this.#messages.get(messageId);
    if (raw === undefined) return undefined;
    const parsed = JSON.parse(raw) as SentWhatsAppMessageLike;
    return this.flaw === 'dates-as-text' ? parsed : { ...parsed, sentAt: new Date(parsed.sentAt) };
  }
  async claimFallback(messageId: string): Promise<boolean> {
    const taken = this.#claimed.has(messageId);
    if (this.flaw === 'racy-claim') await tick();
    if (taken) return false;
    this.#claimed.add(messageId);
    return true;
  }
  releaseFallback(messageId: string): void {
    if (this.flaw !== 'release-ignored') this.#claimed.delete(messageId);
  }
}

/** An idempotency store kept in a map on a hand-moved clock, correct unless given a flaw. */
class ReferenceIdempotencyStore implements IdempotencyStoreLike {
  readonly #entries = new Map<string, { outcome?: IdempotentOutcomeLike; expiresAt: number }>();
  constructor(
    readonly now: () => number,
    readonly flaw?: 'racy-claim' | 'no-expiry' | 'failures-forgotten',
  ) {}
  async claim(key: string, window: { ttlMs: number }): Promise<IdempotencyClaimLike> {
    const entry = this.#entries.get(key);
    if (this.flaw === 'racy-claim') await tick();
    if (entry && (this.flaw === 'no-expiry' || entry.expiresAt > this.now())) {
      return entry.outcome ? { status: 'completed', outcome: entry.outcome } : { status: 'pending' };
    }
    this.#entries.set(key, { expiresAt: this.now() + window.ttlMs });
    return { status: 'claimed' };
  }
  complete(key: string, outcome: IdempotentOutcomeLike, window: { ttlMs: number }): void {
    if (this.flaw === 'failures-forgotten' && !outcome.ok) this.#entries.delete(key);
    else this.#entries.set(key, { outcome, expiresAt: this.now() + window.ttlMs });
  }
  release(key: string): void {
    this.#entries.delete(key);
  }
}

/** A hand-moved clock for stores that take `now`. */
function manualClock(): { now: () => number; elapse: (ms: number) => Promise<void> } {
  let time = Date.UTC(2026, 0, 1);
  return {
    now: () => time,
    elapse: async (ms) => {
      time += ms;
    },
  };
}

async function failures(cases: ConformanceCase[]): Promise<string[]> {
  const failed: string[] = [];
  for (const conformanceCase of cases) {
    try {
      await conformanceCase.run();
    } catch {
      failed.push(conformanceCase.id);
    }
  }
  return failed;
}

describe('store conformance suites pass correct stores', () => {
  describe('sealed credential storage', () =>
    runConformance(
      defineSealedCredentialStorageConformance({ create: () => ({ store: new InMemorySealedStorage() }) }),
      {
        it,
      },
    ));
  describe('usage', () =>
    runConformance(defineUsageStoreConformance({ create: () => ({ store: new InMemoryUsageAggregator() }) }), { it }));
  describe('audit log', () =>
    runConformance(defineAuditLogConformance({ create: () => ({ store: new ReferenceAuditLog() }) }), { it }));
  describe('status history', () =>
    runConformance(defineStatusHistoryConformance({ create: () => ({ store: new ReferenceStatusHistory() }) }), {
      it,
    }));
});

describe('shared-state suites pass correct stores', () => {
  describe('limit store', () =>
    runConformance(defineLimitStoreConformance({ create: () => ({ store: new InMemoryLimitStore() }) }), { it }));
  describe('status report cache', () => {
    const clock = manualClock();
    runConformance(
      defineStatusReportCacheConformance({
        create: () => ({ store: new InMemoryStatusReportCache({ now: clock.now }) }),
        elapse: clock.elapse,
      }),
      { it },
    );
  });
  describe('dual-channel state', () =>
    runConformance(defineDualChannelStateConformance({ create: () => ({ store: new ReferenceDualChannelState() }) }), {
      it,
    }));
  describe('idempotency store', () => {
    const clock = manualClock();
    runConformance(
      defineIdempotencyStoreConformance({
        create: () => ({ store: new ReferenceIdempotencyStore(clock.now) }),
        elapse: clock.elapse,
      }),
      { it },
    );
  });
});

describe('store conformance suites fail flawed stores', () => {
  it('limit store: check then add non-atomically, count refusals, windows from first use, no negative settle', async () => {
    const failed = async (flaw: FlawedLimitStore['flaw']) =>
      failures(defineLimitStoreConformance({ create: () => ({ store: new FlawedLimitStore(flaw) }) }));
    expect(await failed('read-then-write')).toEqual(['limit-store.atomic-reserve']);
    expect(await failed('counts-refusals')).toEqual(['limit-store.atomic-reserve', 'limit-store.refusal-adds-nothing']);
    expect(await failed('windows-from-first-use')).toEqual(['limit-store.epoch-windows']);
    expect(await failed('no-negative-settle')).toEqual(['limit-store.settle']);
  });

  it('status report cache: a lease for anyone, a holder not renewed, nothing expires', async () => {
    const failed = async (flaw: FlawedStatusReportCache['flaw']) => {
      const clock = manualClock();
      return failures(
        defineStatusReportCacheConformance({
          create: () => ({ store: new FlawedStatusReportCache(flaw, clock.now) }),
          elapse: clock.elapse,
        }),
      );
    };
    expect(await failed('any-instance')).toEqual([
      'status-report-cache.lease-one-holder',
      'status-report-cache.lease-expires',
      'status-report-cache.lease-renewal',
    ]);
    expect(await failed('holder-not-renewed')).toEqual(['status-report-cache.lease-renewal']);
    expect(await failed('never-expires')).toEqual([
      'status-report-cache.lease-expires',
      'status-report-cache.report-expires',
    ]);
  });

  it('dual-channel state: a racy claim, a release that does nothing, dates given back as text', async () => {
    const failed = async (flaw: ReferenceDualChannelState['flaw']) =>
      failures(defineDualChannelStateConformance({ create: () => ({ store: new ReferenceDualChannelState(flaw) }) }));
    expect(await failed('racy-claim')).toEqual(['dual-channel-state.claim-once']);
    expect(await failed('release-ignored')).toEqual(['dual-channel-state.release']);
    expect(await failed('dates-as-text')).toEqual([
      'dual-channel-state.round-trip',
      'dual-channel-state.remember-replaces',
    ]);
  });

  it('idempotency store: a racy claim, keys that never expire, unknown failures not kept', async () => {
    const failed = async (flaw: ReferenceIdempotencyStore['flaw']) => {
      const clock = manualClock();
      return failures(
        defineIdempotencyStoreConformance({
          create: () => ({ store: new ReferenceIdempotencyStore(clock.now, flaw) }),
          elapse: clock.elapse,
        }),
      );
    };
    expect(await failed('racy-claim')).toEqual(['idempotency-store.claim-once']);
    expect(await failed('no-expiry')).toEqual(['idempotency-store.expiry']);
    expect(await failed('failures-forgotten')).toEqual(['idempotency-store.complete-replays']);
  });

  it('sealed storage: a replace that ignores the version', async () => {
    const cases = defineSealedCredentialStorageConformance({ create: () => ({ store: new LastWriteWinsStorage() }) });
    expect(await failures(cases)).toEqual([
      'sealed-storage.replace-compare-and-set',
      'sealed-storage.replace-concurrent',
    ]);
  });

  it('usage: an unknown price counted as 0', async () => {
    const cases = defineUsageStoreConformance({ create: () => ({ store: new GuessingAggregator() }) });
    expect(await failures(cases)).toEqual(['usage-store.sums', 'usage-store.unknown-price']);
  });

  it('audit log: oldest first, or no default limit', async () => {
    const oldest = defineAuditLogConformance({ create: () => ({ store: new ReferenceAuditLog('oldest-first') }) });
    expect(await failures(oldest)).toEqual(['audit-log.newest-first', 'audit-log.filters', 'audit-log.limit']);
    const unlimited = defineAuditLogConformance({
      create: () => ({ store: new ReferenceAuditLog('no-default-limit') }),
    });
    expect(await failures(unlimited)).toEqual(['audit-log.limit']);
  });

  it('status history: the oldest samples under a limit, or tenant null read as "any tenant"', async () => {
    const oldest = defineStatusHistoryConformance({
      create: () => ({ store: new ReferenceStatusHistory('oldest-limit') }),
    });
    expect(await failures(oldest)).toEqual(['status-history.limit']);
    const anyTenant = defineStatusHistoryConformance({
      create: () => ({ store: new ReferenceStatusHistory('tenant-null-ignored') }),
    });
    expect(await failures(anyTenant)).toEqual(['status-history.filters']);
  });

  it('skips a case by id', () => {
    const cases = defineAuditLogConformance({
      create: () => ({ store: new ReferenceAuditLog() }),
      skip: ['audit-log.limit'],
    });
    expect(cases.map((conformanceCase) => conformanceCase.id)).not.toContain('audit-log.limit');
  });
});
