import type { StatusReportCache } from '@patchbay/core';
import { BoundedMap } from './bounded-map.js';
import type { RedisConnection } from './redis-connection.js';

// Take the lease when free, extend it when this instance holds it.
const leaseScript = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * The status monitor's cache in Redis: one instance holds the poll lease (per scope) and writes
 * reports that expire; the others read them. While Redis is unreachable every instance polls for
 * itself and reads its own reports (kept locally, bounded).
 */
export class RedisStatusReportCache implements StatusReportCache {
  readonly #connection: RedisConnection;
  readonly #local = new BoundedMap<string, { report: string; expiresAt: number }>(1_000);

  constructor(connection: RedisConnection) {
    this.#connection = connection;
  }

  #key(kind: 'lease' | 'report', scope: string): string {
    return `${this.#connection.prefix}status:${kind}:${scope}`;
  }

  async acquirePollLease(scope: string, instanceId: string, ttlMs: number): Promise<boolean> {
    if (this.#connection.unavailable) return true;
    try {
      const granted = await this.#connection.script<number>(
        leaseScript,
        [this.#key('lease', scope)],
        [instanceId, Math.max(1, Math.round(ttlMs))],
      );
      return Number(granted) === 1;
    } catch {
      // Nobody can coordinate: polling here keeps this instance's status fresh.
      return true;
    }
  }

  async write(scope: string, report: string, ttlMs: number): Promise<void> {
    const expiresAt = Date.now() + ttlMs;
    this.#local.set(scope, { report, expiresAt });
    if (this.#connection.unavailable) return;
    try {
      await this.#connection.command(['SET', this.#key('report', scope), report, 'PX', String(Math.max(1, ttlMs))]);
    } catch {
      // Kept locally; the next write after recovery reaches Redis.
    }
  }

  async read(scope: string): Promise<string | undefined> {
    if (!this.#connection.unavailable) {
      try {
        const value = await this.#connection.command<string | null>(['GET', this.#key('report', scope)]);
        return value ?? undefined;
      } catch {
        // Falls through to this instance's own last report.
      }
    }
    const local = this.#local.get(scope);
    return local && local.expiresAt > Date.now() ? local.report : undefined;
  }
}
