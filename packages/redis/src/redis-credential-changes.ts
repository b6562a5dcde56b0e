import type { CredentialStore, CredentialValues } from '@patchbay/core';
import type { RedisConnection } from './redis-connection.js';

type CredentialChange = { tenant: string; provider: string };

// Keeps the change in a capped stream (for instances that missed the message) and tells everyone.
const changeScript = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'tenant', ARGV[1], 'provider', ARGV[2])
redis.call('PUBLISH', ARGV[3], cjson.encode({type = 'credentials', tenant = ARGV[1], provider = ARGV[2], id = id, from = ARGV[4]}))
return id`;

/**
 * Wraps a credential store so a change made on one instance reaches every instance's caches:
 * `set`/`delete` go to the store, then the change is published; changes published elsewhere
 * reach this instance's `subscribe` listeners (the provider's client cache drops the entry, so
 * the next call reads the rotated key). Changes are also kept in a capped Redis stream: after an
 * outage the newest 1,000 changes since the last one seen are replayed (all of them, unless more
 * were made meanwhile), and changes made here during the outage are published.
 */
export function shareCredentialChanges(store: CredentialStore, connection: RedisConnection): CredentialStore {
  const listeners = new Set<(change: CredentialChange) => void>();
  const unpublished = new Map<string, CredentialChange>();
  const streamKey = `${connection.prefix}credentials:changes`;
  let lastSeenId: string | undefined;

  const notify = (change: CredentialChange): void => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A cache's failure stays with it.
      }
    }
  };

  const publish = async (change: CredentialChange): Promise<void> => {
    const identity = `${change.tenant}\u0000${change.provider}`;
    try {
      const id = await connection.script<string>(
        changeScript,
        [streamKey],
        [change.tenant, change.provider, connection.channel, connection.instanceId],
      );
      lastSeenId = String(id);
      unpublished.delete(identity);
    } catch {
      if (unpublished.size < 10_000) unpublished.set(identity, change);
    }
  };

  connection.handle('credentials', (message) => {
    if (typeof message.tenant !== 'string' || typeof message.provider !== 'string') return;
    if (typeof message.id === 'string') lastSeenId = message.id;
    notify({ tenant: message.tenant, provider: message.provider });
  });

  connection.onRecovered(() => {
    void (async () => {
      try {
        // The newest 1,000 since the last one seen (the stream keeps at least that many), applied oldest first.
        const newestFirst = await connection.command<[string, string[]][]>(
          lastSeenId === undefined
            ? ['XREVRANGE', streamKey, '+', '-', 'COUNT', '1000']
            : ['XREVRANGE', streamKey, '+', `(${lastSeenId}`, 'COUNT', '1000'],
        );
        for (const [id, fields] of [...newestFirst].reverse()) {
          lastSeenId = id;
          const values = new Map<string, string>();
          for (let index = 0; index + 1 < fields.length; index += 2)
            values.set(fields[index] as string, fields[index + 1] as string);
          const tenant = values.get('tenant');
          const provider = values.get('provider');
          if (tenant !== undefined && provider !== undefined) notify({ tenant, provider });
        }
      } catch {
        // Replayed on the next recovery.
      }
      for (const change of [...unpublished.values()]) await publish(change);
    })();
  });

  const shared: CredentialStore = {
    get: (tenant, provider) => store.get(tenant, provider),
    subscribe(listener) {
      listeners.add(listener);
      const unsubscribeInner = store.subscribe?.(listener);
      return () => {
        listeners.delete(listener);
        unsubscribeInner?.();
      };
    },
  };
  if (store.set) {
    const set = store.set.bind(store);
    shared.set = async (tenant: string, provider: string, values: CredentialValues) => {
      await set(tenant, provider, values);
      await publish({ tenant, provider });
    };
  }
  if (store.delete) {
    const remove = store.delete.bind(store);
    shared.delete = async (tenant: string, provider: string) => {
      await remove(tenant, provider);
      await publish({ tenant, provider });
    };
  }
  return shared;
}
