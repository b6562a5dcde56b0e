import type { SharedBreakerState, SharedBreakerTransition } from '@patchbay/core';
import type { RedisConnection } from './redis-connection.js';

// Stores the open state (expiring with the cool-down) and tells the others, in one step.
const publishScript = `
if ARGV[1] == 'open' then
  redis.call('SET', KEYS[1], 'open', 'PX', ARGV[2])
else
  redis.call('DEL', KEYS[1])
end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

// SET NX PX, or an extension when this instance already holds the lease.
const acquireScript = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface PendingTransition {
  transition: SharedBreakerTransition;
  at: number;
}

/**
 * Breaker state shared through Redis: an opening is stored (expiring with its cool-down) and
 * published on the pub/sub channel, so every instance mirrors it without asking; a breaker that
 * starts (or an instance that reconnects) reads the stored state once. The half-open trial is a
 * lease (`SET NX PX` semantics, holder-checked for extension and release). While Redis is down,
 * transitions are kept (last per key) and published when it returns.
 */
export class RedisBreakerState implements SharedBreakerState {
  readonly #connection: RedisConnection;
  readonly #listeners = new Map<string, Set<(transition: SharedBreakerTransition) => void>>();
  readonly #pending = new Map<string, PendingTransition>();

  constructor(connection: RedisConnection) {
    this.#connection = connection;
    connection.handle('breaker', (message) => {
      if (typeof message.key !== 'string' || (message.state !== 'open' && message.state !== 'closed')) return;
      const cooldownMs = typeof message.cooldownMs === 'number' ? message.cooldownMs : undefined;
      this.#deliver(message.key, { state: message.state, cooldownMs });
    });
    connection.onRecovered(() => {
      void this.#reconcile();
    });
  }

  #stateKey(key: string): string {
    return `${this.#connection.prefix}breaker:${key}`;
  }

  #leaseKey(key: string): string {
    return `${this.#connection.prefix}trial:${key}`;
  }

  #deliver(key: string, transition: SharedBreakerTransition): void {
    for (const listener of this.#listeners.get(key) ?? []) {
      try {
        listener(transition);
      } catch {
        // The breaker's own failure stays with it.
      }
    }
  }

  publish(key: string, transition: SharedBreakerTransition): void {
    this.#pending.set(key, { transition, at: Date.now() });
    void this.#send(key, transition).then(
      () => {
        if (this.#pending.get(key)?.transition === transition) this.#pending.delete(key);
      },
      () => {
        // Kept in #pending: published when Redis answers again.
      },
    );
  }

  #send(key: string, transition: SharedBreakerTransition): Promise<unknown> {
    const cooldownMs = Math.max(1, Math.round(transition.cooldownMs ?? 1));
    const message = JSON.stringify({
      type: 'breaker',
      from: this.#connection.instanceId,
      key,
      state: transition.state,
      cooldownMs: transition.state === 'open' ? cooldownMs : undefined,
    });
    return this.#connection.script(
      publishScript,
      [this.#stateKey(key)],
      [transition.state, cooldownMs, this.#connection.channel, message],
    );
  }

  subscribe(key: string, listener: (transition: SharedBreakerTransition) => void): () => void {
    let listeners = this.#listeners.get(key);
    if (!listeners) this.#listeners.set(key, (listeners = new Set()));
    listeners.add(listener);
    void this.#readStored(key, listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(key);
    };
  }

  /** A breaker joining late (a new instance, a rebuilt provider) learns of an opening still in force. */
  async #readStored(key: string, listener?: (transition: SharedBreakerTransition) => void): Promise<void> {
    let remainingMs: number;
    try {
      remainingMs = Number(await this.#connection.command<number>(['PTTL', this.#stateKey(key)]));
    } catch {
      return;
    }
    if (remainingMs <= 0) return;
    const transition: SharedBreakerTransition = { state: 'open', cooldownMs: remainingMs };
    if (listener) {
      if (this.#listeners.get(key)?.has(listener)) listener(transition);
    } else this.#deliver(key, transition);
  }

  async acquireTrial(key: string, ttlMs: number): Promise<boolean> {
    const granted = await this.#connection.script<number>(
      acquireScript,
      [this.#leaseKey(key)],
      [this.#connection.instanceId, Math.max(1, Math.round(ttlMs))],
    );
    return Number(granted) === 1;
  }

  releaseTrial(key: string): void {
    void this.#connection.script(releaseScript, [this.#leaseKey(key)], [this.#connection.instanceId]).catch(() => {
      // The lease expires on its own.
    });
  }

  /** After an outage: publish what happened here meanwhile, then learn what happened elsewhere. */
  async #reconcile(): Promise<void> {
    const now = Date.now();
    for (const [key, { transition, at }] of [...this.#pending]) {
      if (transition.state === 'open') {
        const remaining = (transition.cooldownMs ?? 0) - (now - at);
        if (remaining <= 0) {
          this.#pending.delete(key);
          continue;
        }
        this.publish(key, { state: 'open', cooldownMs: remaining });
      } else this.publish(key, transition);
    }
    for (const key of this.#listeners.keys()) if (!this.#pending.has(key)) await this.#readStored(key);
  }
}
