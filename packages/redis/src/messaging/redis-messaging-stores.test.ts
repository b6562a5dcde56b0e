import {
  createDualChannelMessenger,
  type DeliveryStatusEvent,
  InMemoryRecipientPreferences,
  withIdempotency,
} from '@patchbay/messaging';
import { MockMessagingProvider } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createRedisSharedState } from '../redis-shared-state.js';
import { cluster, recordingClient, testRedisUrl, uniquePrefix } from '../redis-test-support.js';
import { RedisDualChannelState } from './redis-dual-channel-state.js';
import { RedisIdempotencyStore } from './redis-idempotency-store.js';

const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');

function failed(messageId: string): DeliveryStatusEvent {
  return { type: 'delivery-status', channel: 'whatsapp', vendor: 'meta', messageId, status: 'failed', timestamp: now };
}

describe.skipIf(!testRedisUrl)('Redis messaging stores (real redis-server)', () => {
  it('a WhatsApp failure webhook reaching another instance than the sender yields exactly one SMS', async () => {
    const { members, closeAll } = await cluster(3);
    const messageId = `wamid.${Math.random().toString(36).slice(2)}`;
    const whatsappIds: string[] = [messageId];
    const sms = members.map(() => new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.1' } }));
    const messengers = members.map((member, index) =>
      createDualChannelMessenger({
        whatsapp: new MockMessagingProvider({
          channel: 'whatsapp',
          script: () => ({ messageId: whatsappIds.shift() ?? messageId }),
        }),
        sms: sms[index] as MockMessagingProvider,
        preferences: new InMemoryRecipientPreferences({
          [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
        }),
        state: new RedisDualChannelState(member.connection),
        now: () => now,
      }),
    );
    try {
      expect(await messengers[0]?.send({ to: recipient, body: 'Your summary' })).toMatchObject({
        status: 'sent',
        channel: 'whatsapp',
      });
      // The vendor delivers the failure to instance 1 (not the sender): it finds the message and falls back.
      expect(await messengers[1]?.handleDeliveryStatus(failed(messageId))).toMatchObject({ action: 'sms-fallback' });
      // Redeliveries reach every instance at once: none sends again.
      const actions = await Promise.all([
        messengers[1]?.handleDeliveryStatus(failed(messageId)),
        messengers[2]?.handleDeliveryStatus(failed(messageId)),
        messengers[0]?.handleDeliveryStatus(failed(messageId)),
      ]);
      expect(actions.map((action) => action?.action)).toEqual(['none', 'none', 'none']);
      expect(sms.map((provider) => provider.calls.length)).toEqual([0, 1, 0]);

      // Another message whose first failure webhook reaches all three instances at the same moment.
      const secondId = `${messageId}-2`;
      whatsappIds.push(secondId);
      await messengers[0]?.send({ to: recipient, body: 'Again' });
      const firstDeliveries = await Promise.all(
        messengers.map((messenger) => messenger.handleDeliveryStatus(failed(secondId))),
      );
      expect(firstDeliveries.filter((action) => action.action === 'sms-fallback')).toHaveLength(1);
      expect(sms.reduce((total, provider) => total + provider.calls.length, 0)).toBe(2);
    } finally {
      await closeAll();
    }
  });

  it('idempotency claims are atomic across instances and replay the completed outcome', async () => {
    const { members, closeAll } = await cluster(2);
    const [a, b] = members.map((member) => new RedisIdempotencyStore(member.connection));
    const window = { ttlMs: 60_000 };
    try {
      const claims = await Promise.all([
        a?.claim('t:key', window),
        b?.claim('t:key', window),
        a?.claim('t:key', window),
      ]);
      expect(claims.filter((claim) => claim?.status === 'claimed')).toHaveLength(1);
      expect(claims.filter((claim) => claim?.status === 'pending')).toHaveLength(2);
      await a?.complete('t:key', { ok: true, value: { messageId: 'SM.9' } }, window);
      expect(await b?.claim('t:key', window)).toEqual({
        status: 'completed',
        outcome: { ok: true, value: { messageId: 'SM.9' } },
      });
      await b?.release('t:key');
      expect(await a?.claim('t:key', window)).toEqual({ status: 'claimed' });
    } finally {
      await closeAll();
    }
  });
  it('an idempotency claim that never reached Redis is released without deleting what another instance stored', async () => {
    const { members, closeAll } = await cluster(2);
    const [sharedA, sharedB] = members;
    if (!sharedA || !sharedB) throw new Error('two members expected');
    const [a, b] = [new RedisIdempotencyStore(sharedA.connection), new RedisIdempotencyStore(sharedB.connection)];
    const window = { ttlMs: 60_000 };
    const outcome = { ok: true as const, value: { messageId: 'SM.B' } };
    try {
      // Instance A's claim script fails once (a blip that starts no outage): it decides locally.
      const script = sharedA.connection.script.bind(sharedA.connection);
      sharedA.connection.script = (() => {
        sharedA.connection.script = script;
        return Promise.reject(new Error('blip'));
      }) as typeof script;
      expect(await a.claim('t:blip', window)).toEqual({ status: 'claimed' });
      // Instance B claims in Redis and completes the send.
      expect(await b.claim('t:blip', window)).toEqual({ status: 'claimed' });
      await b.complete('t:blip', outcome, window);
      // A's own send definitely failed: it gives its claim back, and B's outcome stays, so no duplicate is sent.
      await a.release('t:blip');
      expect(await b.claim('t:blip', window)).toEqual({ status: 'completed', outcome });
    } finally {
      await closeAll();
    }
  });

  it('round trips: two per keyed send, one per WhatsApp send, two per failure webhook (three when the SMS fails)', async () => {
    const { client, sent } = await recordingClient(testRedisUrl as string);
    const shared = createRedisSharedState({ client, prefix: uniquePrefix(), commandTimeoutMs: 2_000 });
    const sms = withIdempotency(new MockMessagingProvider({ channel: 'sms', script: { messageId: 'SM.1' } }), {
      store: new RedisIdempotencyStore(shared.connection),
    });
    let nextId = 0;
    const state = new RedisDualChannelState(shared.connection);
    const messenger = createDualChannelMessenger({
      whatsapp: new MockMessagingProvider({ channel: 'whatsapp', script: () => ({ messageId: `wamid.${++nextId}` }) }),
      sms: new MockMessagingProvider({ channel: 'sms', script: [{ messageId: 'SM.2' }, { error: 'invalid_request' }] }),
      preferences: new InMemoryRecipientPreferences({
        [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
      }),
      state,
      now: () => now,
    });
    // Round trips of one call (a script's first use also loads it: each call runs once before counting).
    const count = async (call: () => Promise<unknown>): Promise<string[]> => {
      const before = sent.length;
      await call();
      return sent.slice(before).map((args) => args[0] as string);
    };
    try {
      await shared.ready();
      await sms.send({ to: recipient, body: 'Code 1', idempotencyKey: 'warm-up' });
      await state.releaseFallback('wamid.warm-up');
      // A keyed send: the claim, then the outcome.
      expect(await count(() => sms.send({ to: recipient, body: 'Code 2', idempotencyKey: 'otp-2' }))).toEqual([
        'EVALSHA',
        'SET',
      ]);
      // Its duplicate: the claim answers with the outcome.
      expect(await count(() => sms.send({ to: recipient, body: 'Code 2', idempotencyKey: 'otp-2' }))).toEqual([
        'EVALSHA',
      ]);
      // A WhatsApp send remembers the message; its failure webhook reads it and claims the fallback.
      expect(await count(() => messenger.send({ to: recipient, body: 'Hello' }))).toEqual(['SET']);
      expect(await count(() => messenger.handleDeliveryStatus(failed('wamid.1')))).toEqual(['GET', 'SET']);
      // Any other webhook: none.
      expect(await count(() => messenger.handleDeliveryStatus({ ...failed('wamid.1'), status: 'delivered' }))).toEqual(
        [],
      );
      // A fallback SMS that definitely failed gives its claim back: one more.
      expect(await count(() => messenger.send({ to: recipient, body: 'Hello again' }))).toEqual(['SET']);
      expect(await count(() => messenger.handleDeliveryStatus(failed('wamid.2')))).toEqual(['GET', 'SET', 'EVALSHA']);
    } finally {
      await shared.close();
      await client.close();
    }
  });
});
