import { describe, expect, it } from 'vitest';
import { cluster, testRedisUrl, uniquePrefix } from './redis-test-support.js';

const windowMs = 60_000;

describe.skipIf(!testRedisUrl)('RedisLimitStore (real redis-server)', () => {
  it('holds a limit in total across instances reserving concurrently', async () => {
    const { members, closeAll } = await cluster(3);
    try {
      const now = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 150 }, (_, index) =>
          members[index % 3]?.limits.reserve('tenant-a:sms', 1, 50, windowMs, now),
        ),
      );
      expect(answers.filter((answer) => answer?.granted)).toHaveLength(50);
      const refused = answers.find((answer) => !answer?.granted);
      expect(refused).toMatchObject({ used: 50, limit: 50 });
      expect(await members[1]?.limits.peek('tenant-a:sms', windowMs, now)).toBe(50);
    } finally {
      await closeAll();
    }
  });

  it('aligns windows to the epoch, restarts each window, and settles corrections (fractions too)', async () => {
    const { members, closeAll } = await cluster(1);
    const store = members[0]?.limits;
    try {
      const start = Math.floor(Date.now() / windowMs) * windowMs;
      const first = await store?.reserve('budget', 2.5, 10, windowMs, start + 5);
      expect(first).toEqual({ granted: true, used: 2.5, limit: 10, windowStart: start, resetAt: start + windowMs });
      expect(await store?.reserve('budget', 8, 10, windowMs, start + 6)).toMatchObject({ granted: false, used: 2.5 });
      await store?.settle('budget', -1.25, windowMs, start);
      expect(await store?.peek('budget', windowMs, start + 7)).toBe(1.25);
      expect(await store?.reserve('budget', 8.75, 10, windowMs, start + 8)).toMatchObject({ granted: true, used: 10 });
      // The next window starts from zero.
      expect(await store?.reserve('budget', 10, 10, windowMs, start + windowMs)).toMatchObject({
        granted: true,
        used: 10,
        windowStart: start + windowMs,
      });
    } finally {
      await closeAll();
    }
  });

  it('local leases serve most reservations without a round trip and still hold the limit in total', async () => {
    const { members, closeAll } = await cluster(2, { limits: { localLeases: { blockFraction: 0.1 } } });
    try {
      const now = Date.now();
      let synchronous = 0;
      let granted = 0;
      // Far from the limit: most answers come back synchronously, from the lease.
      for (let index = 0; index < 40; index++) {
        const answer = members[index % 2]?.limits.reserve('k', 1, 1_000, windowMs, now);
        if (!(answer instanceof Promise)) synchronous++;
        if ((await answer)?.granted) granted++;
      }
      expect(granted).toBe(40);
      expect(synchronous).toBeGreaterThan(30);
      // Exhaust the limit from both instances: never more than the limit in total.
      for (let index = 0; index < 1_200; index++) {
        if ((await members[index % 2]?.limits.reserve('k', 1, 1_000, windowMs, now))?.granted) granted++;
      }
      expect(granted).toBeLessThanOrEqual(1_000);
      // What leasing may strand: at most two blocks per instance (100 each).
      expect(granted).toBeGreaterThanOrEqual(600);
    } finally {
      await closeAll();
    }
  });

  it('concurrent reservations wait for the block in flight: at most two blocks per instance and key', async () => {
    const prefix = uniquePrefix();
    const { members, closeAll } = await cluster(1, { prefix, limits: { localLeases: { blockFraction: 0.1 } } });
    const reader = await cluster(1, { prefix });
    try {
      const now = Date.now();
      let used = 0;
      for (const burst of [20, 70, 70, 70]) {
        const answers = await Promise.all(
          Array.from({ length: burst }, () => members[0]?.limits.reserve('k', 1, 1_000, windowMs, now)),
        );
        expect(answers.every((answer) => answer?.granted)).toBe(true);
        used += burst;
        // The shared counter holds what was used plus what the instance leased: at most two blocks of 100.
        const counted = (await reader.members[0]?.limits.peek('k', windowMs, now)) ?? 0;
        expect(counted - used).toBeLessThanOrEqual(200);
      }
    } finally {
      await closeAll();
      await reader.closeAll();
    }
  });

  it('gives unused lease blocks back on close', async () => {
    const prefix = uniquePrefix();
    const { members, closeAll } = await cluster(1, { prefix, limits: { localLeases: { blockFraction: 0.5 } } });
    const reader = await cluster(1, { prefix });
    try {
      const now = Date.now();
      await members[0]?.limits.reserve('k', 1, 100, windowMs, now);
      expect(await reader.members[0]?.limits.peek('k', windowMs, now)).toBe(51);
      await closeAll();
      expect(await reader.members[0]?.limits.peek('k', windowMs, now)).toBe(1);
    } finally {
      await reader.closeAll();
    }
  });

  it('keeps its local key spaces bounded at high cardinality', async () => {
    const { members, closeAll } = await cluster(1, { limits: { localLeases: { blockFraction: 0.1 }, maxKeys: 100 } });
    const store = members[0]?.limits;
    try {
      const now = Date.now();
      for (let index = 0; index < 5_000; index++) await store?.reserve(`tenant-${index}:sms`, 1, 1_000, windowMs, now);
      expect(store?.localKeyCount.leases).toBe(100);
    } finally {
      await closeAll();
    }
  });
});
