import {
  type CredentialStore,
  type CredentialValues,
  createPatchbay,
  InMemoryCredentialStore,
  Secret,
} from '@patchbay/core';
import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { createClient } from 'redis';
import { describe, expect, it } from 'vitest';
import { createRedisSharedState } from './redis-shared-state.js';
import { cluster, eventually, testRedisUrl, uniquePrefix } from './redis-test-support.js';

describe.skipIf(!testRedisUrl)('status cache and credential changes (real redis-server)', () => {
  it('the quick start: after ready(), the first reservation reaches Redis and nothing warns', async () => {
    const prefix = uniquePrefix();
    const shared = createRedisSharedState({ url: testRedisUrl, prefix, commandTimeoutMs: 2_000 });
    const warnings: unknown[] = [];
    shared.on('warning', (warning) => warnings.push(warning));
    let reader: Awaited<ReturnType<typeof cluster>> | undefined;
    try {
      await shared.ready();
      const now = Date.now();
      expect(await shared.limits.reserve('tenant:acme:sms', 1, 100, 60_000, now)).toMatchObject({ granted: true });
      expect(warnings).toEqual([]);
      reader = await cluster(1, { prefix });
      expect(await reader.members[0]?.limits.peek('tenant:acme:sms', 60_000, now)).toBe(1);
    } finally {
      await shared.close();
      await reader?.closeAll();
    }
  });

  it('one instance holds the poll lease and writes; the others read its report', async () => {
    const { members, closeAll } = await cluster(3);
    try {
      const leases = await Promise.all(
        members.map((member, index) => member.statusReports.acquirePollLease('platform', `i${index}`, 5_000)),
      );
      expect(leases.filter(Boolean)).toHaveLength(1);
      const holder = leases.indexOf(true);
      // The holder extends its own lease; the others still do not get it.
      expect(await members[holder]?.statusReports.acquirePollLease('platform', `i${holder}`, 5_000)).toBe(true);
      expect(await members[(holder + 1) % 3]?.statusReports.acquirePollLease('platform', 'other', 5_000)).toBe(false);
      await members[holder]?.statusReports.write('platform', '{"ok":true}', 5_000);
      for (const member of members) expect(await member.statusReports.read('platform')).toBe('{"ok":true}');
      expect(await members[0]?.statusReports.read('tenant:unknown')).toBeUndefined();
    } finally {
      await closeAll();
    }
  });

  it('a rotated key on one instance reaches every other instance’s cache listeners', async () => {
    const { members, closeAll } = await cluster(3);
    // Each instance has its own view of the same database (here: its own in-memory store).
    const stores = members.map((member) => member.shareCredentialChanges(new InMemoryCredentialStore()));
    const seen = stores.map(() => [] as string[]);
    stores.forEach((store, index) => {
      store.subscribe?.((change) => seen[index]?.push(`${change.tenant}/${change.provider}`));
    });
    try {
      await stores[0]?.set?.('acme', 'openai', { apiKey: Secret.from('sk-rotated') });
      await eventually(() => seen[1]?.length === 1 && seen[2]?.length === 1, 'every instance hears of the rotation');
      expect(seen).toEqual([['acme/openai'], ['acme/openai'], ['acme/openai']]);
      await stores[2]?.delete?.('acme', 'openai');
      await eventually(() => seen[0]?.length === 2, 'the deletion reaches instance 0');
    } finally {
      await closeAll();
    }
  });

  it('a key rotated through one instance is used by another instance’s next call (no cache delay)', async () => {
    const { members, closeAll } = await cluster(2);
    // The database both instances read: it cannot notify anyone by itself (like a plain SQL table).
    const rows = new Map<string, CredentialValues>();
    const database: CredentialStore = {
      get: (tenant, provider) => rows.get(`${tenant}/${provider}`),
      set: (tenant, provider, values) => void rows.set(`${tenant}/${provider}`, values),
    };
    const stores = members.map((member) => member.shareCredentialChanges(database));
    const patchbays = stores.map((credentialStore) =>
      createPatchbay({
        config: { providers: { llm: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } } },
        factories: mockFactories,
        env: {},
        credentialStore,
      }),
    );
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const keyOfLastCall = (index: number) => {
      const patchbay = patchbays[index] as (typeof patchbays)[number];
      return (patchbay.tenant('acme').provider('llm') as MockLanguageModel).lastCall?.apiKey?.reveal();
    };
    try {
      await stores[0]?.set?.('acme', 'llm', { apiKey: 'sk-old' });
      await patchbays[1]?.tenant('acme').llm.generate(request);
      expect(keyOfLastCall(1)).toBe('sk-old');
      // Rotated through instance 0; instance 1 has 'sk-old' cached (for 5 s by default).
      // Instance 1 hears of it (its cache listener subscribed first, on its first call, so it ran before this one).
      let heard = false;
      stores[1]?.subscribe?.(() => {
        heard = true;
      });
      await stores[0]?.set?.('acme', 'llm', { apiKey: 'sk-new' });
      await eventually(() => heard, 'instance 1 hears of the rotation');
      // The next call reads the store again, well before the cached answer would expire.
      await patchbays[1]?.tenant('acme').llm.generate(request);
      expect(keyOfLastCall(1)).toBe('sk-new');
    } finally {
      await Promise.all(patchbays.map((patchbay) => patchbay.close()));
      await closeAll();
    }
  });

  it('works on a node-redis client the caller owns, and leaves it open on close', async () => {
    const client = createClient({ url: testRedisUrl, disableOfflineQueue: true });
    await client.connect();
    try {
      const shared = createRedisSharedState({ client, prefix: `test:${Date.now()}:own:` });
      await shared.ready();
      expect(await shared.limits.reserve('k', 2, 5, 60_000, Date.now())).toMatchObject({ granted: true, used: 2 });
      await shared.close();
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.close();
    }
  });
});
