import { createFakeClock, MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createDualChannelMessenger, type MessengerErrorContext } from '../dual-channel/dual-channel-messenger.js';
import { InMemoryRecipientPreferences } from '../dual-channel/recipient-preferences.js';
import { withIdempotency } from './idempotent-messaging-provider.js';
import { IdempotencyKeyEvictedError, InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';

/**
 * README, "Idempotency keys are enforced by Patchbay": the in-memory store holds `maxKeys` keys; when it
 * is full the oldest key is forgotten even inside its window (a duplicate of it would be sent again),
 * and each such eviction is reported (`onEvict`; the messenger's `onError` with `operation: 'idempotency'`).
 */
const recipient = '+250788123456';
const minute = 60_000;

describe('InMemoryIdempotencyStore at its bound', () => {
  it('reports a key forgotten inside its window, not one whose window had ended', () => {
    let time = 0;
    const evicted: IdempotencyKeyEvictedError[] = [];
    const store = new InMemoryIdempotencyStore({
      maxKeys: 2,
      now: () => time,
      onEvict: (error) => evicted.push(error),
    });
    expect(store.maxKeys).toBe(2);
    store.claim('a', { ttlMs: minute });
    store.complete('b', { ok: true, value: 'b' }, { ttlMs: 10 * minute });
    store.claim('c', { ttlMs: 10 * minute });
    expect(store.size).toBe(2);
    expect(evicted).toHaveLength(1);
    expect(evicted[0]).toBeInstanceOf(IdempotencyKeyEvictedError);
    expect(evicted[0]).toMatchObject({ key: 'a', maxKeys: 2, expiresAt: new Date(minute) });
    expect(evicted[0]?.message).toContain('maxKeys 2');
    // Past its window a key is swept silently: nothing was lost.
    time = 10 * minute;
    store.claim('d', { ttlMs: minute });
    expect(evicted).toHaveLength(1);
    expect(store.size).toBe(1);
  });

  it('refuses a bound that is not a whole number of at least 1, naming it (NaN would turn deduplication off)', () => {
    for (const maxKeys of [Number.NaN, 0, -1, 1.5]) {
      expect(() => new InMemoryIdempotencyStore({ maxKeys })).toThrow(
        expect.objectContaining({ code: 'invalid_request', details: expect.objectContaining({ field: 'maxKeys' }) }),
      );
      const providers = {
        whatsapp: new MockMessagingProvider({ channel: 'whatsapp' }),
        sms: new MockMessagingProvider({ channel: 'sms' }),
        preferences: new InMemoryRecipientPreferences({}),
      };
      expect(() => createDualChannelMessenger({ ...providers, idempotencyMaxKeys: maxKeys })).toThrow(
        expect.objectContaining({
          code: 'invalid_request',
          details: expect.objectContaining({ field: 'idempotencyMaxKeys' }),
        }),
      );
    }
  });

  it('ignores an onEvict that throws', () => {
    const store = new InMemoryIdempotencyStore({
      maxKeys: 1,
      now: () => 0,
      onEvict: () => {
        throw new Error('alerting is down');
      },
    });
    store.claim('a', { ttlMs: minute });
    expect(store.claim('b', { ttlMs: minute })).toEqual({ status: 'claimed' });
  });

  it('withIdempotency: a store sized for the traffic sends each key once; the report names what a smaller one lost', async () => {
    using clock = createFakeClock({ now: 0 });
    const evicted: string[] = [];
    const sms = new MockMessagingProvider({ channel: 'sms' });
    const store = new InMemoryIdempotencyStore({
      maxKeys: 3,
      now: () => clock.now(),
      onEvict: (error) => evicted.push(error.key),
    });
    const provider = withIdempotency(sms, { store, windowMs: 10 * minute });
    for (const key of ['k0', 'k1', 'k2', 'k3']) await provider.send({ to: recipient, body: key, idempotencyKey: key });
    expect(evicted).toEqual(['sms\u0000\u0000k0']);
    await clock.advance(minute);
    // Within the window: the three most recent keys are still deduplicated …
    for (const key of ['k1', 'k2', 'k3']) await provider.send({ to: recipient, body: key, idempotencyKey: key });
    expect(sms.calls).toHaveLength(4);
    // … the reported one is not: this duplicate goes out again (the documented limit of the bound).
    await provider.send({ to: recipient, body: 'k0', idempotencyKey: 'k0' });
    expect(sms.calls).toHaveLength(5);
  });
});

describe('dual-channel messenger idempotency bound', () => {
  function setup(options: { idempotencyMaxKeys?: number } = {}) {
    const sms = new MockMessagingProvider({ channel: 'sms' });
    const whatsapp = new MockMessagingProvider({ channel: 'whatsapp' });
    const reported: [unknown, MessengerErrorContext][] = [];
    const messenger = createDualChannelMessenger({
      whatsapp,
      sms,
      preferences: new InMemoryRecipientPreferences({ [recipient]: { hasWhatsApp: false } }),
      ...options,
      onError: (error, context) => reported.push([error, context]),
    });
    const send = (key: string, tenant = 'acme') =>
      messenger.send({ to: recipient, body: `message ${key}`, idempotencyKey: key }, { tenant });
    return { sms, reported, send };
  }

  it('holds 10 000 keys by default: a duplicate of the oldest within the window is not sent again', async () => {
    const { sms, reported, send } = setup();
    for (let index = 0; index < 10_000; index += 1) await send(`k${index}`);
    await send('k0');
    expect(sms.calls).toHaveLength(10_000);
    expect(reported).toEqual([]);
    await send('k10000');
    expect(reported).toEqual([[expect.any(IdempotencyKeyEvictedError), { operation: 'idempotency' }]]);
    expect(reported.map(([error]) => (error as IdempotencyKeyEvictedError).key)).toEqual([
      'dual-channel\u0000acme\u0000k0',
    ]);
  });

  it('idempotencyMaxKeys raises or lowers the bound; each key forgotten inside its window is reported', async () => {
    const { sms, reported, send } = setup({ idempotencyMaxKeys: 2 });
    await send('a');
    await send('b');
    await send('a');
    expect(sms.calls).toHaveLength(2);
    expect(reported).toEqual([]);
    await send('c');
    expect(reported.map(([error, context]) => [(error as IdempotencyKeyEvictedError).key, context])).toEqual([
      ['dual-channel\u0000acme\u0000a', { operation: 'idempotency' }],
    ]);
    await send('b');
    await send('c');
    expect(sms.calls).toHaveLength(3);
  });
});
