import { PatchbayError } from '@patchbay/core';
import { createFakeClock } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { DeliveryLogEntry, DeliveryLogStore } from '../delivery-log/delivery-log-store.js';
import { InMemoryDeliveryLog } from '../delivery-log/in-memory-delivery-log.js';
import type { IdempotencyClaim } from '../idempotency/idempotency-store.js';
import { InMemoryIdempotencyStore } from '../idempotency/in-memory-idempotency-store.js';
import { InMemorySessionStore } from '../sessions/in-memory-session-store.js';
import type { SessionStore } from '../sessions/session-store.js';
import { fallbackHarness, sessionOpenAt } from './dual-channel.test-support.js';
import {
  createDualChannelMessenger,
  type DualChannelMessengerOptions,
  type MessengerErrorContext,
} from './dual-channel-messenger.js';
import { type DualChannelStateStore, InMemoryDualChannelState } from './dual-channel-state.js';
import {
  InMemoryRecipientPreferences,
  type RecipientLookupContext,
  type RecipientPreferences,
} from './recipient-preferences.js';

/**
 * README, "WhatsApp or SMS" (`storeTimeoutMs`): a store or lookup that hangs is bounded like one that
 * throws. On the SMS fallback a hanging `preferences.get` gives the claim back and answers 500, so the
 * vendor's redelivery sends the SMS exactly once; no timer is left behind on any path.
 */
const recipient = '+250788123456';
const start = new Date('2026-01-10T12:00:00Z');
const never = <T>() => new Promise<T>(() => {});

/** An asynchronous lookup (a database) that can be made to hang. */
class HangingPreferences extends InMemoryRecipientPreferences {
  hang = false;
  calls = 0;
  override get(phoneNumber: string, context: RecipientLookupContext): RecipientPreferences | undefined {
    this.calls += 1;
    if (this.hang) return never() as never;
    return Promise.resolve(super.get(phoneNumber, context)) as never;
  }
}

function setup(overrides: Partial<DualChannelMessengerOptions> = {}) {
  const preferences = new HangingPreferences({ [recipient]: sessionOpenAt(start) });
  return fallbackHarness(preferences, start, overrides);
}

/** Starts a promise and says whether it has settled yet. */
function track<T>(promise: Promise<T>) {
  const tracked = { settled: false, promise };
  promise.then(
    () => {
      tracked.settled = true;
    },
    () => {
      tracked.settled = true;
    },
  );
  return tracked;
}

const timeout = (operation: MessengerErrorContext['operation'], messageId?: string) => [
  expect.objectContaining({ code: 'timeout', outcomeUnknown: false }),
  expect.objectContaining({ operation, ...(messageId === undefined ? {} : { messageId }) }),
];

describe('storeTimeoutMs on the SMS fallback', () => {
  it('a preferences lookup that never answers: 500 after the timeout, the claim is free, the redelivery sends one SMS', async () => {
    using clock = createFakeClock({ now: start });
    const { sms, preferences, messenger, deliver, errors } = setup();
    expect(await messenger.send({ to: recipient, body: 'Your ride is here' })).toMatchObject({ channel: 'whatsapp' });
    expect(clock.pendingTimers()).toBe(0);

    preferences.hang = true;
    const first = track(deliver());
    await clock.advance(4_999);
    expect(first.settled).toBe(false);
    expect(errors).toEqual([]);
    await clock.advance(1);
    expect(first.settled).toBe(true);
    expect((await first.promise).status).toBe(500);
    expect(errors).toEqual([timeout('preferences', 'wamid.F')]);
    expect(errors[0]?.[0]).toMatchObject({ message: expect.stringContaining('5000 ms') });
    expect(sms.calls).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);

    // The lookup is back: the vendor's redelivery finds the claim free and sends, once.
    preferences.hang = false;
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);
    expect(sms.sent).toEqual([expect.objectContaining({ to: recipient, body: 'Your ride is here' })]);
    expect(
      await messenger.handleDeliveryStatus({
        type: 'delivery-status',
        channel: 'whatsapp',
        vendor: 'meta',
        messageId: 'wamid.F',
        status: 'failed',
        timestamp: start,
      }),
    ).toEqual({ action: 'none', reason: 'already_handled' });
    expect(sms.calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('follows storeTimeoutMs, and an answer in time leaves no timer', async () => {
    using clock = createFakeClock({ now: start });
    const { sms, preferences, messenger, deliver, errors } = setup({ storeTimeoutMs: 250 });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    preferences.hang = true;
    const first = track(deliver());
    await clock.advance(249);
    expect(first.settled).toBe(false);
    await clock.advance(1);
    expect(first.settled).toBe(true);
    expect((await first.promise).status).toBe(500);
    expect(errors).toEqual([timeout('preferences', 'wamid.F')]);
    preferences.hang = false;
    expect((await deliver()).status).toBe(200);
    expect(sms.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a claimFallback that hangs answers 500; its claim, landing late, sends the SMS once (the redelivery: 200)', async () => {
    using clock = createFakeClock({ now: start });
    const state: DualChannelStateStore = new InMemoryDualChannelState();
    const claim = state.claimFallback.bind(state);
    let slowClaim: (() => void) | undefined;
    state.claimFallback = (messageId) => {
      if (slowClaim !== undefined) return claim(messageId);
      // The first claim hangs until the test lets the store answer.
      return new Promise<boolean>((resolve) => {
        slowClaim = () => resolve(claim(messageId) as boolean);
      });
    };
    const { sms, messenger, deliver, errors } = setup({ state });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    const first = track(deliver());
    await clock.advance(5_000);
    expect(first.settled).toBe(true);
    expect((await first.promise).status).toBe(500);
    expect(errors).toEqual([timeout('state', 'wamid.F')]);
    expect(sms.calls).toHaveLength(0);
    slowClaim?.(); // the store finally takes the claim: this process holds it, so it sends the fallback
    await clock.runDue();
    expect((await deliver()).status).toBe(200);
    expect(sms.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a redelivery arriving while the late claim is held still ends in exactly one SMS', async () => {
    using clock = createFakeClock({ now: start });
    const state: DualChannelStateStore = new InMemoryDualChannelState();
    const claim = state.claimFallback.bind(state);
    let slowClaim: (() => void) | undefined;
    state.claimFallback = (messageId) => {
      if (slowClaim !== undefined) return claim(messageId);
      return new Promise<boolean>((resolve) => {
        slowClaim = () => resolve(claim(messageId) as boolean);
      });
    };
    // Giving a claim back is slow: a redelivery may well arrive before it is done.
    state.releaseFallback = () => never();
    const { sms, messenger, deliver } = setup({ state });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    const first = track(deliver());
    await clock.advance(5_000);
    expect((await first.promise).status).toBe(500);
    slowClaim?.();
    // The vendor redelivers as the late claim lands: the claim is held, so this answer is `already_handled` …
    expect((await deliver()).status).toBe(200);
    await clock.runDue();
    // … and the SMS goes out all the same, once.
    expect(sms.calls).toHaveLength(1);
  });

  it('once the SMS went out, a hanging delivery log is reported and the claim is kept (never two SMS)', async () => {
    using clock = createFakeClock({ now: start });
    const log: DeliveryLogStore = new InMemoryDeliveryLog();
    const append = log.append.bind(log);
    let hangOnFallback = false;
    log.append = (entry: DeliveryLogEntry) =>
      hangOnFallback && entry.fallbackOf !== undefined ? never() : append(entry);
    const { sms, messenger, deliver, errors } = setup({ deliveryLog: log });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    hangOnFallback = true;
    const first = track(deliver());
    await clock.advance(5_000);
    expect(first.settled).toBe(true);
    expect((await first.promise).status).toBe(200);
    expect(sms.calls).toHaveLength(1);
    expect(errors).toEqual([timeout('delivery-log')]);
    expect((await deliver()).status).toBe(200);
    expect(sms.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('storeTimeoutMs on the state and session stores', () => {
  it('a state.get that hangs answers the failure webhook 500 with nothing sent; the redelivery falls back once', async () => {
    using clock = createFakeClock({ now: start });
    const state: DualChannelStateStore = new InMemoryDualChannelState();
    const get = state.get.bind(state);
    let hang = false;
    state.get = (messageId) => (hang ? never() : get(messageId));
    const { sms, messenger, deliver, errors } = setup({ state });
    await messenger.send({ to: recipient, body: 'Your ride is here' });
    hang = true;
    const first = track(deliver());
    await clock.advance(5_000);
    expect(first.settled).toBe(true);
    expect((await first.promise).status).toBe(500);
    expect(errors).toEqual([timeout('state', 'wamid.F')]);
    expect(sms.calls).toHaveLength(0);
    hang = false;
    expect((await deliver()).status).toBe(200);
    expect((await deliver()).status).toBe(200);
    expect(sms.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a state.remember and a session store that hang are reported; the WhatsApp send stands', async () => {
    using clock = createFakeClock({ now: start });
    const state: DualChannelStateStore = new InMemoryDualChannelState();
    state.remember = () => never();
    const sessions: SessionStore = new InMemorySessionStore({ now: () => start });
    sessions.recordActivity = () => never();
    const { whatsapp, sms, messenger, errors } = setup({ state, sessions });
    const sending = track(messenger.send({ to: recipient, body: 'Your ride is here' }));
    await clock.advance(5_000);
    expect(sending.settled).toBe(false);
    await clock.advance(5_000);
    expect(sending.settled).toBe(true);
    expect(await sending.promise).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(errors).toEqual([timeout('state', 'wamid.F'), timeout('session', 'wamid.F')]);
    expect(whatsapp.calls).toHaveLength(1);
    expect(sms.calls).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('storeTimeoutMs on the send path', () => {
  it('a hanging preferences lookup fails the send with a timeout and releases its idempotency key', async () => {
    using clock = createFakeClock({ now: start });
    const { whatsapp, sms, preferences, messenger, errors } = setup();
    preferences.hang = true;
    const message = { to: recipient, body: 'Your ride is here', idempotencyKey: 'ride-1' };
    const sending = track(messenger.send(message));
    sending.promise.catch(() => {});
    await clock.advance(5_000);
    expect(sending.settled).toBe(true);
    await expect(sending.promise).rejects.toMatchObject({ code: 'timeout', outcomeUnknown: false });
    expect(errors).toEqual([timeout('preferences')]);
    expect(whatsapp.calls.length + sms.calls.length).toBe(0);
    preferences.hang = false;
    expect(await messenger.send(message)).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(whatsapp.calls).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('an idempotency store whose claim hangs sends nothing; one whose complete hangs keeps the send', async () => {
    using clock = createFakeClock({ now: start });
    const store = new InMemoryIdempotencyStore();
    let hang: 'claim' | 'complete' | undefined = 'claim';
    const idempotency = {
      claim: (key: string, window: { ttlMs: number }): Promise<IdempotencyClaim> =>
        hang === 'claim' ? never() : Promise.resolve(store.claim(key, window)),
      complete: (...args: Parameters<InMemoryIdempotencyStore['complete']>) =>
        hang === 'complete' ? never<void>() : Promise.resolve(store.complete(...args)),
      release: (key: string) => Promise.resolve(store.release(key)),
    };
    const { whatsapp, messenger, errors } = setup({ idempotency });
    const first = track(messenger.send({ to: recipient, body: 'One', idempotencyKey: 'k1' }));
    first.promise.catch(() => {});
    await clock.advance(5_000);
    expect(first.settled).toBe(true);
    await expect(first.promise).rejects.toMatchObject({ code: 'timeout' });
    expect(whatsapp.calls).toHaveLength(0);
    expect(errors).toEqual([timeout('idempotency')]);

    hang = 'complete';
    const second = track(messenger.send({ to: recipient, body: 'Two', idempotencyKey: 'k2' }));
    await clock.advance(5_000);
    expect(second.settled).toBe(true);
    expect(await second.promise).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    expect(whatsapp.calls).toHaveLength(1);
    expect(errors).toEqual([timeout('idempotency'), timeout('idempotency')]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('an idempotency claim that lands after its timeout is released, so a retry of the key may send', async () => {
    using clock = createFakeClock({ now: start });
    const store = new InMemoryIdempotencyStore();
    let land: (() => void) | undefined;
    const idempotency = {
      claim: (key: string, window: { ttlMs: number }) =>
        new Promise<IdempotencyClaim>((resolve) => {
          land = () => resolve(store.claim(key, window));
        }),
      complete: (...args: Parameters<InMemoryIdempotencyStore['complete']>) => store.complete(...args),
      release: (key: string) => store.release(key),
    };
    const { whatsapp, messenger, errors } = setup({ idempotency });
    const first = track(messenger.send({ to: recipient, body: 'One', idempotencyKey: 'k1' }));
    first.promise.catch(() => {});
    await clock.advance(5_000);
    await expect(first.promise).rejects.toMatchObject({ code: 'timeout' });
    expect(errors).toEqual([timeout('idempotency')]);
    land?.(); // the store takes the claim now: nobody holds it, so it is given back
    await clock.runDue();
    expect(store.size).toBe(0);
    expect(whatsapp.calls).toHaveLength(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects a storeTimeoutMs that is not a usable duration, naming it', () => {
    const { whatsapp, sms, preferences } = setup();
    for (const storeTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 3e9, '5000']) {
      let caught: unknown;
      try {
        createDualChannelMessenger({ whatsapp, sms, preferences, storeTimeoutMs: storeTimeoutMs as number });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PatchbayError);
      expect(caught).toMatchObject({ code: 'invalid_request', details: { field: 'storeTimeoutMs' } });
    }
    expect(() => createDualChannelMessenger({ whatsapp, sms, preferences, storeTimeoutMs: 1 })).not.toThrow();
  });
});
