import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

// The shapes of @patchbay/messaging's IdempotencyStore, restated so this package does not depend
// on messaging (which depends on it for tests). Any IdempotencyStore fits.
export type IdempotentOutcomeLike =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: { code: string; message: string; provider?: string | undefined; vendor?: string | undefined };
    };

export type IdempotencyClaimLike =
  | { status: 'claimed' }
  | { status: 'pending' }
  | { status: 'completed'; outcome: IdempotentOutcomeLike };

export interface IdempotencyStoreLike {
  claim(key: string, window: { ttlMs: number }): IdempotencyClaimLike | Promise<IdempotencyClaimLike>;
  complete(key: string, outcome: IdempotentOutcomeLike, window: { ttlMs: number }): void | Promise<void>;
  release(key: string): void | Promise<void>;
}

export interface IdempotencyStoreConformanceOptions extends StoreConformanceOptions<IdempotencyStoreLike> {
  /**
   * Lets `ms` pass for the store: advance the fake clock it reads, or really wait for a store
   * whose expiry runs on the real clock (Redis).
   */
  elapse: (ms: number) => Promise<void>;
  /** The short window the expiry cases use. Default 100 ms (keep it small for real waits). */
  ttlMs?: number | undefined;
}

const hour = { ttlMs: 60 * 60 * 1_000 };

/**
 * What every idempotency store must do: one claim wins a key (the rest see it pending), a
 * completed key replays its outcome for the window, a released key can be claimed again, and a
 * key is forgotten when its window ends.
 */
export function defineIdempotencyStoreConformance(options: IdempotencyStoreConformanceOptions): ConformanceCase[] {
  const short = { ttlMs: options.ttlMs ?? 100 };
  return storeCases(options, 'idempotency-store', {
    'claim-once': {
      name: 'of 20 concurrent claims of one key exactly one wins, the others see it pending; keys are separate',
      check: async (store) => {
        const claims = await Promise.all(
          Array.from({ length: 20 }, async () => store.claim('tenant-a:order-17', hour)),
        );
        assert.equal(claims.filter((claim) => claim.status === 'claimed').length, 1);
        assert.equal(claims.filter((claim) => claim.status === 'pending').length, 19);
        assert.deepEqual(await store.claim('tenant-b:order-17', hour), { status: 'claimed' });
      },
    },
    'complete-replays': {
      name: 'a completed key answers its outcome, success or unknown failure, as given',
      check: async (store) => {
        const sent: IdempotentOutcomeLike = { ok: true, value: { messageId: 'SM1', segments: 2, to: '+27820000001' } };
        const unknown: IdempotentOutcomeLike = {
          ok: false,
          error: { code: 'timeout', message: 'no answer within 30 s', provider: 'twilio-sms', vendor: 'twilio' },
        };
        await store.claim('a', hour);
        await store.complete('a', sent, hour);
        await store.claim('b', hour);
        await store.complete('b', unknown, hour);
        assert.deepEqual(await store.claim('a', hour), { status: 'completed', outcome: sent });
        assert.deepEqual(await store.claim('b', hour), { status: 'completed', outcome: unknown });
      },
    },
    release: {
      name: 'a released key can be claimed again, once',
      check: async (store) => {
        await store.claim('a', hour);
        await store.release('a');
        assert.deepEqual(await store.claim('a', hour), { status: 'claimed' });
        assert.deepEqual(await store.claim('a', hour), { status: 'pending' });
      },
    },
    expiry: {
      name: 'a claim, and a completed key, are forgotten when their window ends',
      check: async (store) => {
        await store.claim('pending-key', short);
        await store.claim('done-key', hour);
        await store.complete('done-key', { ok: true, value: 'SM1' }, short);
        await options.elapse(short.ttlMs * 1.5);
        assert.deepEqual(await store.claim('pending-key', hour), { status: 'claimed' });
        assert.deepEqual(await store.claim('done-key', hour), { status: 'claimed' });
      },
    },
  });
}
