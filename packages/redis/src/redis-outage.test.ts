// Degrade rules, against a private redis-server this file stops, freezes and restarts mid-run.
import { type BreakerEvent, createPatchbay, InMemoryCredentialStore } from '@patchbay/core';
import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedisServer } from '../../../scripts/test-servers/redis-server.mjs';
import { RedisDualChannelState } from './messaging/redis-dual-channel-state.js';
import { RedisIdempotencyStore } from './messaging/redis-idempotency-store.js';
import type { RedisWarning } from './redis-connection.js';
import { createRedisSharedState } from './redis-shared-state.js';
import { cluster, eventually, recordingClient, testRedisUrl, uniquePrefix } from './redis-test-support.js';

const windowMs = 60_000;
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
let server: TestRedisServer;

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!testRedisUrl)('when Redis goes away mid-run', () => {
  it('keeps answering on local state, warns once per outage, and reconciles when Redis returns', async () => {
    const prefix = uniquePrefix();
    const { members, closeAll } = await cluster(2, {
      url: server.url,
      prefix,
      commandTimeoutMs: 200,
      probeIntervalMs: 50,
    });
    const [a, b] = members as [NonNullable<(typeof members)[0]>, NonNullable<(typeof members)[1]>];
    const warnings: RedisWarning[] = [];
    let recovered = 0;
    a.on('warning', (warning) => warnings.push(warning));
    a.on('recovered', () => recovered++);
    const patchbays = [a, b].map((shared) =>
      createPatchbay({
        config: {
          providers: { flaky: { kind: 'llm', vendor: 'mock' } },
          defaults: {
            retry: { maxRetries: 0 },
            breaker: { minimumCalls: 1, failureThresholdPercent: 1, windowMs: 60_000, cooldownMs: 60_000 },
          },
        },
        factories: mockFactories,
        env: {},
        sharedState: shared,
      }),
    );
    const [first, second] = patchbays as [(typeof patchbays)[0], (typeof patchbays)[0]];
    const secondStates: BreakerEvent['state'][] = [];
    second.on('breaker', (event) => secondStates.push(event.state));
    try {
      // Both breakers exist (closed) before the outage.
      await first.llm.generate(request);
      await second.llm.generate(request);
      const now = Date.now();
      expect(await a.limits.reserve('sms', 5, 20, windowMs, now)).toMatchObject({ granted: true, used: 5 });

      await server.kill();
      // Calls keep flowing: limits are counted locally (per instance now), and nothing waits for Redis.
      const answers = [];
      for (let index = 0; index < 30; index++) answers.push(await a.limits.reserve('sms', 1, 20, windowMs, now));
      expect(answers.filter((answer) => answer.granted)).toHaveLength(20);
      // The vendor fails on the first instance: its breaker opens locally.
      (first.provider('flaky') as MockLanguageModel).setScript({ error: 'unavailable' });
      await expect(first.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
      for (let index = 0; index < 20; index++) await first.llm.generate(request).catch(() => {});
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.code).toBe('redis_unavailable');

      await server.restart();
      await eventually(() => recovered > 0, 'the first instance sees Redis again');
      // What was counted during the outage reaches the shared counter (the restarted server kept nothing).
      let shared = 0;
      await eventually(() => {
        void b.limits.peek('sms', windowMs, now).then((value) => (shared = value));
        return shared === 20;
      }, 'outage usage is added to Redis');
      // The opening decided during the outage reaches the other instance.
      await eventually(() => secondStates.includes('open'), 'the other instance opens');

      // A second outage warns again, once.
      await server.kill();
      for (let index = 0; index < 10; index++) await a.limits.reserve('other', 1, 100, windowMs, now);
      expect(warnings).toHaveLength(2);
      await server.restart();
      await eventually(() => recovered > 1, 'recovered again');
    } finally {
      await Promise.all(patchbays.map((patchbay) => patchbay.close()));
      await closeAll();
    }
  });

  it('outage counters stay bounded, and a credential change made during an outage reaches the others after it', async () => {
    const { members, closeAll } = await cluster(2, {
      url: server.url,
      commandTimeoutMs: 200,
      probeIntervalMs: 50,
      limits: { maxKeys: 50 },
    });
    const [a, b] = members as [NonNullable<(typeof members)[0]>, NonNullable<(typeof members)[1]>];
    const storeA = a.shareCredentialChanges(new InMemoryCredentialStore());
    const storeB = b.shareCredentialChanges(new InMemoryCredentialStore());
    const heard: string[] = [];
    storeB.subscribe?.((change) => heard.push(`${change.tenant}/${change.provider}`));
    try {
      await server.kill();
      const now = Date.now();
      for (let index = 0; index < 2_000; index++) await a.limits.reserve(`tenant-${index}`, 1, 10, windowMs, now);
      expect(a.limits.localKeyCount.outage).toBe(50);
      await storeA.set?.('acme', 'openai', { apiKey: 'sk-rotated-in-outage' });
      expect(heard).toEqual([]);
      await server.restart();
      await eventually(() => heard.includes('acme/openai'), 'the change reaches the other instance');
    } finally {
      await closeAll();
    }
  });

  it('a WhatsApp message sent during an outage is found by another instance once Redis returns', async () => {
    const { members, closeAll } = await cluster(2, { url: server.url, commandTimeoutMs: 200, probeIntervalMs: 50 });
    const [a, b] = members as [NonNullable<(typeof members)[0]>, NonNullable<(typeof members)[1]>];
    let recovered = false;
    a.on('recovered', () => {
      recovered = true;
    });
    const stateA = new RedisDualChannelState(a.connection);
    const stateB = new RedisDualChannelState(b.connection);
    const record = {
      messageId: 'wamid.outage',
      to: '+250788123456',
      message: { to: '+250788123456', body: 'Hello' },
      provider: 'meta',
      sentAt: new Date('2026-01-10T12:00:00Z'),
      attempt: 1,
    };
    try {
      await server.kill();
      await stateA.remember(record);
      expect(await stateA.get('wamid.outage')).toMatchObject({ messageId: 'wamid.outage' });
      await server.restart();
      await eventually(() => recovered, 'the sender sees Redis again');
      let found: unknown;
      await eventually(() => {
        void stateB.get('wamid.outage').then((value) => (found = value));
        return found !== undefined;
      }, 'the other instance finds the message');
      expect(found).toMatchObject({ messageId: 'wamid.outage', sentAt: record.sentAt });
      expect(await stateB.claimFallback('wamid.outage')).toBe(true);
      expect(await stateA.claimFallback('wamid.outage')).toBe(false);
    } finally {
      await closeAll();
    }
  });

  it('a frozen server costs one command timeout, then calls skip Redis until it answers', async () => {
    const { members, closeAll } = await cluster(1, { url: server.url, commandTimeoutMs: 100, probeIntervalMs: 50 });
    const shared = members[0] as NonNullable<(typeof members)[0]>;
    const warnings: RedisWarning[] = [];
    shared.on('warning', (warning) => warnings.push(warning));
    try {
      server.pause();
      const now = Date.now();
      // Resolves (locally) although the server never answers.
      expect(await shared.limits.reserve('k', 1, 10, windowMs, now)).toMatchObject({ granted: true });
      expect(shared.connection.unavailable).toBe(true);
      const next = shared.limits.reserve('k', 1, 10, windowMs, now);
      // Known outage: answered synchronously, without a command.
      expect(next).not.toBeInstanceOf(Promise);
      expect(warnings).toHaveLength(1);
      server.resume();
      await eventually(() => !shared.connection.unavailable, 'the probe finds Redis again');
    } finally {
      server.resume();
      await closeAll();
    }
  });
  it('an idempotency key claimed before a freeze still answers pending on its instance, and what was done meanwhile is written back', async () => {
    const { members, closeAll } = await cluster(2, { url: server.url, commandTimeoutMs: 200, probeIntervalMs: 50 });
    const [a, b] = members as [NonNullable<(typeof members)[0]>, NonNullable<(typeof members)[1]>];
    let recovered = false;
    a.on('recovered', () => {
      recovered = true;
    });
    const storeA = new RedisIdempotencyStore(a.connection);
    const storeB = new RedisIdempotencyStore(b.connection);
    const window = { ttlMs: 60_000 };
    const outcome = { ok: true as const, value: { messageId: 'SM.1' } };
    try {
      expect(await storeA.claim('in-flight', window)).toEqual({ status: 'claimed' });
      expect(await storeA.claim('given-back', window)).toEqual({ status: 'claimed' });
      server.pause();
      // The first claim of the outage waits for its timeout; the local mirror still knows the send is in progress.
      expect(await storeA.claim('in-flight', window)).toEqual({ status: 'pending' });
      expect(a.connection.unavailable).toBe(true);
      expect(await storeA.claim('in-flight', window)).toEqual({ status: 'pending' });
      // Claimed during the outage (locally), finished during it, given back during it.
      expect(await storeA.claim('claimed-in-outage', window)).toEqual({ status: 'claimed' });
      expect(await storeA.claim('claimed-in-outage', window)).toEqual({ status: 'pending' });
      await storeA.complete('in-flight', outcome, window);
      expect(await storeA.claim('in-flight', window)).toEqual({ status: 'completed', outcome });
      await storeA.release('given-back');
      server.resume();
      await eventually(() => recovered, 'the instance sees Redis again');
      const keys = ['in-flight', 'claimed-in-outage', 'given-back'].map(
        (name) => `${a.connection.prefix}idempotency:${name}`,
      );
      let values: (string | null)[] = [];
      await eventually(() => {
        void Promise.all(keys.map((key) => b.connection.command<string | null>(['GET', key]))).then((read) => {
          values = read;
        });
        return values[0] === JSON.stringify(outcome) && values[1] === 'pending' && values[2] === null;
      }, 'what was done during the outage reaches Redis');
      // Another instance now sees all of it.
      expect(await storeB.claim('in-flight', window)).toEqual({ status: 'completed', outcome });
      expect(await storeB.claim('claimed-in-outage', window)).toEqual({ status: 'pending' });
      expect(await storeB.claim('given-back', window)).toEqual({ status: 'claimed' });
    } finally {
      server.resume();
      await closeAll();
    }
  });

  it('during a known outage no piece sends a command: after the first timeout, nothing waits on Redis', async () => {
    const { client, sent } = await recordingClient(server.url);
    // A long timeout (so waiting for it would show) and no probe within the test.
    const shared = createRedisSharedState({
      client,
      prefix: uniquePrefix(),
      commandTimeoutMs: 1_000,
      probeIntervalMs: 60_000,
    });
    const idempotency = new RedisIdempotencyStore(shared.connection);
    const dualChannel = new RedisDualChannelState(shared.connection);
    const credentials = shared.shareCredentialChanges(new InMemoryCredentialStore());
    const window = { ttlMs: 60_000 };
    try {
      await shared.ready();
      expect(await idempotency.claim('key', window)).toEqual({ status: 'claimed' });
      server.pause();
      const now = Date.now();
      // The one timeout that starts the outage.
      await shared.limits.reserve('k', 1, 10, windowMs, now);
      expect(shared.connection.unavailable).toBe(true);
      const before = sent.length;
      await idempotency.complete('key', { ok: true, value: { messageId: 'SM.2' } }, window);
      await idempotency.release('other');
      await dualChannel.releaseFallback('wamid.1');
      await credentials.set?.('acme', 'openai', { apiKey: 'sk-new' });
      await expect(shared.breakers.acquireTrial('breaker', 1_000)).rejects.toThrow();
      shared.breakers.releaseTrial('breaker');
      await shared.limits.settle('k', 1, windowMs, Math.floor(now / windowMs) * windowMs);
      await shared.limits.peek('k', windowMs, now);
      await shared.connection.publish('anything', {});
      expect(sent.slice(before)).toEqual([]);
    } finally {
      server.resume();
      await shared.close();
      await client.close().catch(() => client.destroy());
    }
  });

  it('after an outage, an instance that has seen no change replays the newest changes of a long stream', async () => {
    const { members, closeAll } = await cluster(1, { url: server.url, commandTimeoutMs: 200, probeIntervalMs: 50 });
    const shared = members[0] as NonNullable<(typeof members)[0]>;
    const store = shared.shareCredentialChanges(new InMemoryCredentialStore());
    const heard: string[] = [];
    store.subscribe?.((change) => heard.push(`${change.tenant}/${change.provider}`));
    let recovered = false;
    shared.on('recovered', () => {
      recovered = true;
    });
    try {
      // 1,150 changes kept by other instances (trimmed approximately to about 1,000), the newest last.
      await shared.connection.command([
        'EVAL',
        `for i = 1, 1149 do redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'tenant', 'tenant-' .. i, 'provider', 'openai') end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'tenant', 'acme', 'provider', 'newest')
return redis.call('XLEN', KEYS[1])`,
        '1',
        `${shared.connection.prefix}credentials:changes`,
      ]);
      server.pause();
      await shared.limits.reserve('k', 1, 10, windowMs, Date.now());
      expect(shared.connection.unavailable).toBe(true);
      server.resume();
      await eventually(() => recovered, 'the instance sees Redis again');
      await eventually(() => heard.length >= 1_000, 'the stream is replayed');
      // The newest 1,000, applied oldest first.
      expect(heard).toHaveLength(1_000);
      expect(heard.at(-1)).toBe('acme/newest');
      expect(heard.at(-2)).toBe('tenant-1149/openai');
    } finally {
      server.resume();
      await closeAll();
    }
  });
});
