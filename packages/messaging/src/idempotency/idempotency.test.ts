import { createFakeClock, MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createDeduplicator } from './deduplicate.js';
import { withIdempotency } from './idempotent-messaging-provider.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';

const window = { ttlMs: 1000 };

describe('InMemoryIdempotencyStore', () => {
  it('claims once, reports pending, completes and expires after the window', () => {
    let time = 0;
    const store = new InMemoryIdempotencyStore({ now: () => time });
    expect(store.claim('k', window)).toEqual({ status: 'claimed' });
    expect(store.claim('k', window)).toEqual({ status: 'pending' });
    store.complete('k', { ok: true, value: 1 }, window);
    expect(store.claim('k', window)).toEqual({ status: 'completed', outcome: { ok: true, value: 1 } });
    time += 999;
    expect(store.claim('k', window).status).toBe('completed');
    time += 1;
    expect(store.claim('k', window)).toEqual({ status: 'claimed' });
    store.release('k');
    expect(store.claim('k', window)).toEqual({ status: 'claimed' });
  });

  it('holds 10 000 keys by default, the oldest dropped first', () => {
    const store = new InMemoryIdempotencyStore({ now: () => 0 });
    for (let index = 0; index < 10_001; index += 1) store.claim(`key-${index}`, { ttlMs: 60_000 });
    expect(store.size).toBe(10_000);
    // key-1 is still held; key-0 was dropped, so it can be claimed again.
    expect(store.claim('key-1', { ttlMs: 60_000 })).toEqual({ status: 'pending' });
    expect(store.claim('key-0', { ttlMs: 60_000 })).toEqual({ status: 'claimed' });
  });

  it('stays bounded at 100 000 distinct keys', () => {
    const store = new InMemoryIdempotencyStore({ maxKeys: 1000, now: () => 0 });
    for (let index = 0; index < 100_000; index += 1) store.claim(`key-${index}`, { ttlMs: 60_000 });
    expect(store.size).toBe(1000);
    expect(store.claim('key-99999', window).status).toBe('pending');
  });
});

describe('createDeduplicator across processes', () => {
  it('polls a pending key on the fake clock and returns the other process result', async () => {
    using clock = createFakeClock({ now: 0 });
    const store = new InMemoryIdempotencyStore({ now: () => clock.now() });
    store.claim('shared', window);
    let sends = 0;
    const waiting = createDeduplicator().run('shared', { store, pollMs: 100, windowMs: 1000 }, async () => {
      sends += 1;
      return 'mine';
    });
    await clock.advance(300);
    store.complete('shared', { ok: true, value: 'theirs' }, window);
    await clock.advance(100);
    expect(await waiting).toBe('theirs');
    expect(sends).toBe(0);
  });

  it('gives up with a retryable error when the other process never finishes', async () => {
    using clock = createFakeClock({ now: 0 });
    const store = new InMemoryIdempotencyStore({ now: () => clock.now() });
    store.claim('stuck', { ttlMs: 3_600_000 });
    const waiting = createDeduplicator().run('stuck', { store, pollMs: 100, waitTimeoutMs: 1000 }, async () => 'x');
    const outcome = expect(waiting).rejects.toMatchObject({ code: 'unavailable', retryable: true });
    await clock.advance(1100);
    await outcome;
  });

  it('sends after the other process released the key', async () => {
    using clock = createFakeClock({ now: 0 });
    const store = new InMemoryIdempotencyStore({ now: () => clock.now() });
    store.claim('released', window);
    const waiting = createDeduplicator().run('released', { store, pollMs: 100 }, async () => 'sent here');
    store.release('released');
    await clock.advance(100);
    expect(await waiting).toBe('sent here');
  });
});

describe('withIdempotency', () => {
  it('deduplicates an SMS retried with the same key, per tenant, and passes keyless messages through', async () => {
    const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM1' } });
    const provider = withIdempotency(sms);
    expect(provider.id).toBe(sms.id);
    const message = { to: '+250788123456', body: 'OTP 4321', idempotencyKey: 'otp-job-7' };
    const first = await provider.send(message);
    expect(await provider.send(message)).toEqual(first);
    expect(sms.calls).toHaveLength(1);
    await provider.send(message, { tenant: 'acme' });
    await provider.send({ to: '+250788123456', body: 'no key' });
    await provider.send({ to: '+250788123456', body: 'no key' });
    expect(sms.calls).toHaveLength(4);
  });
});
