import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

// @patchbay/messaging's SessionStore, restated (see delivery-log-conformance.ts for why).
type Channel = 'voice' | 'whatsapp' | 'sms';

interface Session {
  id: string;
  tenant?: string | undefined;
  contact: string;
  primaryChannel: Channel;
  activeChannels: Channel[];
  lastActiveChannel: Channel;
  status: 'active' | 'waiting' | 'closed';
  lastAgentId?: string | undefined;
  lastIntent?: string | undefined;
  threadId: string;
}

interface Thread {
  id: string;
  sessionId: string;
  contact: string;
  channels: Channel[];
  entries: { channel: Channel; direction: 'inbound' | 'outbound'; messageId?: string | undefined; at: Date }[];
}

type MaybePromise<T> = T | Promise<T>;

export interface SessionStoreLike {
  getOrCreate(
    contact: string,
    options: { channel: Channel; tenant?: string; agentId?: string; intent?: string },
  ): MaybePromise<Session>;
  get(sessionId: string): MaybePromise<Session | undefined>;
  findOpen(contact: string, lookup?: { tenant?: string }): MaybePromise<Session | undefined>;
  update(
    sessionId: string,
    update: { status?: Session['status']; lastAgentId?: string; lastIntent?: string },
  ): MaybePromise<Session | undefined>;
  recordActivity(activity: {
    contact: string;
    channel: Channel;
    direction: 'inbound' | 'outbound';
    tenant?: string;
    messageId?: string;
    at?: Date;
  }): MaybePromise<{ session: Session; thread: Thread }>;
  getThread(threadId: string): MaybePromise<Thread | undefined>;
  lastActiveChannel(contact: string, lookup?: { tenant?: string }): MaybePromise<Channel | undefined>;
}

export type SessionStoreConformanceOptions = StoreConformanceOptions<SessionStoreLike>;

const contact = '+250788123456';

/** What every omnichannel `SessionStore` must do: one open session per tenant and contact. */
export function defineSessionStoreConformance(options: SessionStoreConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'session-store', {
    'one-open-session': {
      name: 'getOrCreate answers the same open session per tenant and contact, normalising the number',
      check: async (store) => {
        const first = await store.getOrCreate(contact, { channel: 'voice', agentId: 'agent-1' });
        assert.equal(first.contact, contact);
        assert.equal(first.status, 'active');
        assert.deepEqual(first.activeChannels, ['voice']);
        const again = await store.getOrCreate('+250 788 123 456', { channel: 'sms', intent: 'billing' });
        assert.equal(again.id, first.id);
        assert.equal(again.primaryChannel, 'voice');
        assert.equal(again.lastAgentId, 'agent-1');
        assert.equal(again.lastIntent, 'billing');
        const otherTenant = await store.getOrCreate(contact, { channel: 'voice', tenant: 'tenant-b' });
        assert.notEqual(otherTenant.id, first.id);
        assert.equal((await store.get(first.id))?.id, first.id);
        assert.equal(await store.get('no-such-session'), undefined);
      },
    },
    'concurrent-open': {
      name: 'concurrent getOrCreate calls for one contact open exactly one session',
      check: async (store) => {
        const sessions = await Promise.all(
          Array.from({ length: 8 }, () => store.getOrCreate(contact, { channel: 'whatsapp' })),
        );
        assert.equal(new Set(sessions.map((session) => session.id)).size, 1);
      },
    },
    activity: {
      name: 'recordActivity grows channels and the thread, and tracks the last active channel',
      check: async (store) => {
        const first = await store.recordActivity({
          contact,
          channel: 'whatsapp',
          direction: 'outbound',
          messageId: 'wamid.1',
        });
        const second = await store.recordActivity({ contact, channel: 'sms', direction: 'inbound', messageId: 'SM1' });
        assert.equal(second.session.id, first.session.id);
        assert.deepEqual(second.session.activeChannels, ['whatsapp', 'sms']);
        assert.equal(second.session.lastActiveChannel, 'sms');
        assert.deepEqual(
          second.thread.entries.map((entry) => [entry.channel, entry.direction, entry.messageId]),
          [
            ['whatsapp', 'outbound', 'wamid.1'],
            ['sms', 'inbound', 'SM1'],
          ],
        );
        const thread = await store.getThread(second.session.threadId);
        assert.equal(thread?.sessionId, first.session.id);
        assert.deepEqual(thread?.channels, ['whatsapp', 'sms']);
        assert.equal(thread?.entries.length, 2);
        assert.equal(await store.lastActiveChannel(contact), 'sms');
        assert.equal(await store.lastActiveChannel(contact, { tenant: 'tenant-b' }), undefined);
        assert.equal(await store.getThread('no-such-thread'), undefined);
      },
    },
    'close-and-reopen': {
      name: 'a closed session is not found open; the next contact opens a new one',
      check: async (store) => {
        const session = await store.getOrCreate(contact, { channel: 'sms' });
        const closed = await store.update(session.id, { status: 'closed', lastIntent: 'resolved' });
        assert.equal(closed?.status, 'closed');
        assert.equal(closed?.lastIntent, 'resolved');
        assert.equal(await store.findOpen(contact), undefined);
        const next = await store.getOrCreate(contact, { channel: 'whatsapp' });
        assert.notEqual(next.id, session.id);
        assert.equal(next.primaryChannel, 'whatsapp');
        assert.equal((await store.findOpen(contact))?.id, next.id);
        assert.equal(await store.update('no-such-session', { status: 'waiting' }), undefined);
      },
    },
    'no-reopen-beside-open': {
      name: 'a closed session is not set back to an open status while its contact has a newer open one',
      check: async (store) => {
        const first = await store.getOrCreate(contact, { channel: 'sms' });
        await store.update(first.id, { status: 'closed' });
        const second = await store.getOrCreate(contact, { channel: 'whatsapp' });
        for (const status of ['active', 'waiting'] as const) {
          // Either answer keeps one open session: the superseded session forgotten (`undefined`), or the update
          // refused with `invalid_request` naming `status`.
          const outcome = await Promise.resolve()
            .then(() => store.update(first.id, { status }))
            .catch((error: unknown) => ({ refused: error as { code?: unknown; details?: { field?: unknown } } }));
          if (outcome !== undefined) {
            assert.ok('refused' in outcome, `update(${status}) reopened the closed session beside the open one`);
            assert.equal(outcome.refused.code, 'invalid_request');
            assert.equal(outcome.refused.details?.field, 'status');
          }
        }
        assert.notEqual((await store.get(first.id))?.status ?? 'forgotten', 'active');
        assert.notEqual((await store.get(first.id))?.status ?? 'forgotten', 'waiting');
        assert.equal((await store.findOpen(contact))?.id, second.id);
        assert.equal((await store.get(second.id))?.status, 'active');
      },
    },
  });
}
