import type { LimitStore } from '@patchbay/core';
import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

export type LimitStoreConformanceOptions = StoreConformanceOptions<LimitStore>;

const windowMs = 60_000;

/**
 * The start of the current real minute: the store is given `now` explicitly, but a shared store
 * may expire its counters by the real clock, so the windows used here are current ones.
 */
function currentWindowStart(): number {
  return Math.floor(Date.now() / windowMs) * windowMs;
}

/**
 * What every `LimitStore` must do: reserve atomically (concurrent callers never pass the limit
 * together), add nothing when refusing, align windows to the epoch, settle corrections (negative
 * too) and peek without adding.
 */
export function defineLimitStoreConformance(options: LimitStoreConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'limit-store', {
    'atomic-reserve': {
      name: '200 concurrent reservations of 1 against a limit of 50 grant exactly 50',
      check: async (store) => {
        const now = currentWindowStart() + 10;
        const answers = await Promise.all(
          Array.from({ length: 200 }, async () => store.reserve('tenant-a:sms', 1, 50, windowMs, now)),
        );
        assert.equal(answers.filter((answer) => answer.granted).length, 50);
        for (const refused of answers.filter((answer) => !answer.granted)) {
          assert.deepEqual({ used: refused.used, limit: refused.limit }, { used: 50, limit: 50 });
        }
        assert.equal(await store.peek('tenant-a:sms', windowMs, now), 50);
      },
    },
    'refusal-adds-nothing': {
      name: 'a refused reservation adds nothing, so a smaller one still fits',
      check: async (store) => {
        const now = currentWindowStart() + 10;
        assert.equal((await store.reserve('budget', 30, 50, windowMs, now)).used, 30);
        const refused = await store.reserve('budget', 25, 50, windowMs, now);
        assert.equal(refused.granted, false);
        assert.equal(refused.used, 30);
        assert.equal(await store.peek('budget', windowMs, now), 30);
        const fits = await store.reserve('budget', 20, 50, windowMs, now);
        assert.deepEqual([fits.granted, fits.used], [true, 50]);
      },
    },
    'epoch-windows': {
      name: 'aligns windows to the epoch, reports resetAt, restarts each window, keeps keys and lengths apart',
      check: async (store) => {
        const start = currentWindowStart();
        // A window length that does not divide a minute: alignment to the epoch, not to first use.
        const oddWindowMs = 7_000;
        const oddNow = start + 12_345;
        const oddStart = Math.floor(oddNow / oddWindowMs) * oddWindowMs;
        assert.deepEqual(await store.reserve('calls', 1, 5, oddWindowMs, oddNow), {
          granted: true,
          used: 1,
          limit: 5,
          windowStart: oddStart,
          resetAt: oddStart + oddWindowMs,
        });
        // The same key with another window length is another counter; so is another key.
        assert.equal((await store.reserve('calls', 2, 10, windowMs, start + 1)).used, 2);
        assert.equal((await store.reserve('other', 3, 10, windowMs, start + 1)).used, 3);
        assert.equal((await store.reserve('calls', 4, 10, windowMs, start + windowMs - 1)).granted, true);
        assert.equal(await store.peek('calls', windowMs, start + windowMs - 1), 6);
        // The next window starts from zero.
        assert.deepEqual(await store.reserve('calls', 5, 5, windowMs, start + windowMs), {
          granted: true,
          used: 5,
          limit: 5,
          windowStart: start + windowMs,
          resetAt: start + 2 * windowMs,
        });
      },
    },
    settle: {
      name: 'settles corrections, negative and fractional, into the window they name',
      check: async (store) => {
        const start = currentWindowStart();
        const first = await store.reserve('spend', 2.5, 10, windowMs, start + 5);
        assert.equal(first.used, 2.5);
        await store.settle('spend', -1.25, windowMs, first.windowStart);
        assert.equal(await store.peek('spend', windowMs, start + 6), 1.25);
        // The room given back is usable: 1.25 + 8.75 = 10.
        const refilled = await store.reserve('spend', 8.75, 10, windowMs, start + 7);
        assert.deepEqual([refilled.granted, refilled.used], [true, 10]);
        await store.settle('spend', 2, windowMs, first.windowStart);
        assert.equal(await store.peek('spend', windowMs, start + 8), 12);
        assert.equal((await store.reserve('spend', 0.5, 10, windowMs, start + 9)).granted, false);
      },
    },
    peek: {
      name: 'peek answers the current total, 0 for an unknown key, and adds nothing',
      check: async (store) => {
        const now = currentWindowStart() + 10;
        assert.equal(await store.peek('unknown', windowMs, now), 0);
        await store.reserve('k', 3, 10, windowMs, now);
        assert.equal(await store.peek('k', windowMs, now), 3);
        assert.equal(await store.peek('k', windowMs, now), 3);
        assert.equal((await store.reserve('k', 7, 10, windowMs, now)).granted, true);
      },
    },
  });
}
