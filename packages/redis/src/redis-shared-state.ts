import type { CredentialStore, SharedState } from '@patchbay/core';
import { RedisBreakerState } from './redis-breaker-state.js';
import { RedisConnection, type RedisConnectionOptions, type RedisWarning } from './redis-connection.js';
import { shareCredentialChanges } from './redis-credential-changes.js';
import { RedisLimitStore, type RedisLimitStoreOptions } from './redis-limit-store.js';
import { RedisStatusReportCache } from './redis-status-report-cache.js';

export interface RedisSharedStateOptions extends RedisConnectionOptions {
  /** Options of the limit store (`localLeases`, `maxKeys`). */
  limits?: RedisLimitStoreOptions | undefined;
}

export interface RedisSharedStateEvents {
  /** Redis became unreachable (once per outage): shared pieces run on local state. */
  warning: RedisWarning;
  /** Redis answers again: local state is being reconciled. */
  recovered: undefined;
}

/** Everything several instances share through one Redis; pass it as `createPatchbay({ sharedState })`. */
export interface RedisSharedState extends SharedState {
  readonly breakers: RedisBreakerState;
  readonly limits: RedisLimitStore;
  readonly statusReports: RedisStatusReportCache;
  /** The connection, for the messaging stores (`new RedisDualChannelState(shared.connection)`). */
  readonly connection: RedisConnection;
  /** Wraps a credential store so a rotation on any instance reaches every instance's next call. */
  shareCredentialChanges(store: CredentialStore): CredentialStore;
  on<K extends keyof RedisSharedStateEvents>(type: K, listener: (event: RedisSharedStateEvents[K]) => void): () => void;
  /** Resolves once connected and subscribed, or once the first attempt failed (then Redis is probed). */
  ready(): Promise<void>;
  /** Gives unused limit leases back, then closes what this created (a client passed in stays open). */
  close(): Promise<void>;
}

/**
 * Shared state on Redis: `createRedisSharedState({ url })` or `({ client })` with a node-redis
 * client. Connecting happens in the background: until Redis answers, every piece runs on local
 * state, as it does during an outage.
 */
export function createRedisSharedState(options: RedisSharedStateOptions): RedisSharedState {
  const connection = new RedisConnection(options);
  const breakers = new RedisBreakerState(connection);
  const limits = new RedisLimitStore(connection, options.limits);
  const statusReports = new RedisStatusReportCache(connection);
  const started = connection.start();
  return {
    breakers,
    limits,
    statusReports,
    connection,
    shareCredentialChanges: (store) => shareCredentialChanges(store, connection),
    on(type, listener) {
      if (type === 'warning') return connection.onWarning(listener as (event: RedisWarning) => void);
      return connection.onRecovered(() => (listener as (event: undefined) => void)(undefined));
    },
    ready: () => started,
    async close() {
      await limits.releaseLeases();
      await connection.close();
    },
  };
}
