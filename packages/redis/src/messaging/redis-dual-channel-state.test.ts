// Giving back an SMS fallback claim (`releaseFallback`), against real redis-servers: the run's shared one, and a
// private one this file freezes, stops and restarts mid-test for the outage cases.
import { randomUUID } from 'node:crypto';
import type { SentWhatsAppMessage } from '@patchbay/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedisServer } from '../../../../scripts/test-servers/redis-server.mjs';
import { createRedisSharedState, type RedisSharedState } from '../redis-shared-state.js';
import { cluster, eventually, hookedClient, testRedisUrl, uniquePrefix } from '../redis-test-support.js';
import { RedisDualChannelState } from './redis-dual-channel-state.js';

// Short, so an outage starts after one timeout and ends soon after the server answers again.
const outageTimings = { commandTimeoutMs: 200, probeIntervalMs: 50 };
let server: TestRedisServer | undefined;

beforeAll(async () => {
  if (testRedisUrl) server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

function privateServer(): TestRedisServer {
  if (!server) throw new Error('the private redis-server did not start');
  return server;
}

function messageId(): string {
  return `wamid.${randomUUID()}`;
}

function sent(id: string): SentWhatsAppMessage {
  return {
    messageId: id,
    to: '+250788123456',
    message: { to: '+250788123456', body: 'Hello' },
    provider: 'meta',
    sentAt: new Date('2026-01-10T12:00:00Z'),
    attempt: 1,
  };
}

function claimKey(shared: RedisSharedState, id: string): string {
  return `${shared.connection.prefix}dual:claim:${id}`;
}

function pair(members: RedisSharedState[]): [RedisSharedState, RedisSharedState] {
  const [a, b] = members;
  if (!a || !b) throw new Error('two members expected');
  return [a, b];
}

function recoveredFlag(shared: RedisSharedState): () => boolean {
  let recovered = false;
  shared.on('recovered', () => {
    recovered = true;
  });
  return () => recovered;
}

/** Two instances on the private server, with the outage timings, and a dual-channel state on each. */
async function outagePair() {
  const redis = privateServer();
  const { members, closeAll } = await cluster(2, { url: redis.url, ...outageTimings });
  const [a, b] = pair(members);
  return {
    redis,
    a,
    b,
    stateA: new RedisDualChannelState(a.connection),
    stateB: new RedisDualChannelState(b.connection),
    closeAll,
  };
}

/** Resolves once `reader` finds `messageId`'s record in Redis: what was written back before it is there too. */
async function writtenBack(reader: RedisSharedState, messageId: string): Promise<void> {
  let written: string | null = null;
  await eventually(() => {
    void reader.connection.command<string | null>(['GET', `${reader.connection.prefix}dual:message:${messageId}`]).then(
      (value) => {
        written = value;
      },
      () => {},
    );
    return written !== null;
  }, 'the outage is written back');
}

describe.skipIf(!testRedisUrl)('RedisDualChannelState: giving back a fallback claim (real redis-server)', () => {
  it('a release deletes only a claim this instance holds: one another instance took after it expired stays', async () => {
    const { members, closeAll } = await cluster(2);
    const [a, b] = pair(members);
    const stateA = new RedisDualChannelState(a.connection);
    const stateB = new RedisDualChannelState(b.connection);
    const id = messageId();
    const key = claimKey(a, id);
    try {
      expect(await stateA.claimFallback(id)).toBe(true);
      expect(await a.connection.command(['GET', key])).toBe('instance-0');
      // The claim of instance 0 runs out (as its PX would make it), and a redelivery reaching instance 1 claims.
      await a.connection.command(['DEL', key]);
      expect(await stateB.claimFallback(id)).toBe(true);
      // Instance 0's SMS then fails: it gives back what it thinks is its claim.
      await stateA.releaseFallback(id);
      expect(await a.connection.command(['GET', key])).toBe('instance-1');
      expect(await stateA.claimFallback(id)).toBe(false);
      // The owner's release does give it back, so another redelivery can claim again.
      await stateB.releaseFallback(id);
      expect(await a.connection.command(['GET', key])).toBeNull();
      expect(await stateA.claimFallback(id)).toBe(true);
      expect(await b.connection.command(['GET', key])).toBe('instance-0');
    } finally {
      await closeAll();
    }
  });

  it('a claim taken locally during an outage and given back after it leaves the claim another instance holds', async () => {
    const { redis, a, b, stateA, stateB, closeAll } = await outagePair();
    const recovered = recoveredFlag(a);
    const id = messageId();
    const key = claimKey(a, id);
    try {
      expect(await stateB.claimFallback(id)).toBe(true);
      redis.pause();
      // Instance 0 cannot reach Redis: it decides locally (the documented outage double fallback).
      expect(await stateA.claimFallback(id)).toBe(true);
      expect(a.connection.unavailable).toBe(true);
      redis.resume();
      await eventually(recovered, 'instance 0 sees Redis again');
      // Its SMS failed: it gives its (local) claim back; instance 1's claim in Redis is not its to delete.
      await stateA.releaseFallback(id);
      expect(await b.connection.command(['GET', key])).toBe('instance-1');
      expect(await stateA.claimFallback(id)).toBe(false);
    } finally {
      redis.resume();
      await closeAll();
    }
  });

  it('a claim taken and given back during an outage is not written to Redis when it returns (its message is)', async () => {
    const { redis, a, b, stateA, stateB, closeAll } = await outagePair();
    const recoveredA = recoveredFlag(a);
    const recoveredB = recoveredFlag(b);
    const id = messageId();
    const later = messageId();
    try {
      await redis.kill();
      await stateA.remember(sent(id));
      expect(await stateA.claimFallback(id)).toBe(true);
      expect(a.connection.unavailable).toBe(true);
      // The SMS fallback definitely failed: the claim is given back, so a redelivered webhook may try again.
      await stateA.releaseFallback(id);
      // Remembered after it, so it is written back after it: once it is in Redis, the first message was handled.
      await stateA.remember(sent(later));
      await redis.restart();
      await eventually(() => recoveredA() && recoveredB(), 'both instances see Redis again');
      await writtenBack(b, later);
      expect(await b.connection.command(['GET', claimKey(a, id)])).toBeNull();
      // The message itself was written back, and a redelivery reaching another instance falls back.
      expect(await stateB.get(id)).toMatchObject({ messageId: id });
      expect(await stateB.claimFallback(id)).toBe(true);
    } finally {
      await closeAll();
    }
  });

  it('a release racing the write-back of a claim taken during an outage still gives the claim back', async () => {
    const redis = privateServer();
    const prefix = uniquePrefix();
    // One claim is given back while its write-back is on the wire, the other while its message is written back first.
    const [onTheWire, afterItsMessage] = [messageId(), messageId()];
    const claimOnTheWire = `${prefix}dual:claim:${onTheWire}`;
    const releaseWhenSent = new Map<string, string>();
    const releases: Promise<void>[] = [];
    let stateA: RedisDualChannelState | undefined;
    // The moment a write-back goes out, the SMS fallback's failure gives the claim back.
    const client = await hookedClient(redis.url, (args) => {
      const release = args[0] === 'SET' && args[1] !== undefined ? releaseWhenSent.get(args[1]) : undefined;
      if (release === undefined || !stateA) return;
      releaseWhenSent.delete(args[1] as string);
      releases.push(stateA.releaseFallback(release));
    });
    const shared = createRedisSharedState({ client, prefix, instanceId: 'instance-0', ...outageTimings });
    const recovered = recoveredFlag(shared);
    stateA = new RedisDualChannelState(shared.connection);
    try {
      await shared.ready();
      // As on an instance that ran a while: the release script is loaded already (no SCRIPT LOAD to delay it).
      await stateA.releaseFallback(messageId());
      redis.pause();
      // The first command of the outage waits for its timeout (a read: harmless when the server resumes).
      expect(await stateA.get(messageId())).toBeUndefined();
      expect(shared.connection.unavailable).toBe(true);
      // Known outage: remembered and claimed locally, nothing sent.
      expect(await stateA.claimFallback(onTheWire)).toBe(true);
      await stateA.remember(sent(afterItsMessage));
      expect(await stateA.claimFallback(afterItsMessage)).toBe(true);
      releaseWhenSent.set(claimOnTheWire, onTheWire);
      releaseWhenSent.set(`${prefix}dual:message:${afterItsMessage}`, afterItsMessage);
      redis.resume();
      await eventually(() => recovered() && releases.length === 2, 'the outage is written back');
      await Promise.all(releases);
      // Read on the same connection, so after the write-backs and the releases.
      const read = (key: string) => shared.connection.command<string | null>(['GET', key]);
      expect(await read(claimOnTheWire)).toBeNull();
      expect(await read(`${prefix}dual:claim:${afterItsMessage}`)).toBeNull();
      expect(await read(`${prefix}dual:message:${afterItsMessage}`)).not.toBeNull();
      // A redelivered webhook can claim again.
      expect(await stateA.claimFallback(onTheWire)).toBe(true);
      expect(await stateA.claimFallback(afterItsMessage)).toBe(true);
    } finally {
      redis.resume();
      await shared.close();
      await client.close().catch(() => client.destroy());
    }
  });

  it('a claim this instance took in Redis before an outage still refuses a second fallback here during it', async () => {
    const { redis, a, stateA, stateB, closeAll } = await outagePair();
    const recovered = recoveredFlag(a);
    const id = messageId();
    try {
      expect(await stateA.claimFallback(id)).toBe(true);
      redis.pause();
      // The local mirror answers: once after the timeout that starts the outage, then at once.
      expect(await stateA.claimFallback(id)).toBe(false);
      expect(a.connection.unavailable).toBe(true);
      expect(await stateA.claimFallback(id)).toBe(false);
      redis.resume();
      await eventually(recovered, 'instance 0 sees Redis again');
      expect(await stateB.claimFallback(id)).toBe(false);
      // The owner gives it back: a redelivery reaching the other instance claims again.
      await stateA.releaseFallback(id);
      expect(await stateB.claimFallback(id)).toBe(true);
    } finally {
      redis.resume();
      await closeAll();
    }
  });

  it('a claim Redis holds, given back during an outage, is deleted when Redis returns; another instance’s stays', async () => {
    const { redis, a, b, stateA, stateB, closeAll } = await outagePair();
    const recovered = recoveredFlag(a);
    const [mine, theirs, marker] = [messageId(), messageId(), messageId()];
    try {
      expect(await stateA.claimFallback(mine)).toBe(true);
      expect(await stateB.claimFallback(theirs)).toBe(true);
      redis.pause();
      // The SMS fallbacks failed while Redis was out of reach: both claims are given back, locally only.
      await stateA.releaseFallback(mine);
      expect(a.connection.unavailable).toBe(true);
      await stateA.releaseFallback(theirs);
      // Written back after the two releases: once it is in Redis, they were handled.
      await stateA.remember(sent(marker));
      redis.resume();
      await eventually(recovered, 'instance 0 sees Redis again');
      await writtenBack(b, marker);
      // A redelivered webhook reaching the other instance can fall back for the message instance 0 gave back …
      expect(await b.connection.command(['GET', claimKey(a, mine)])).toBeNull();
      expect(await stateB.claimFallback(mine)).toBe(true);
      // … and instance 1's own claim was not instance 0's to delete.
      expect(await b.connection.command(['GET', claimKey(a, theirs)])).toBe('instance-1');
    } finally {
      redis.resume();
      await closeAll();
    }
  });
});
