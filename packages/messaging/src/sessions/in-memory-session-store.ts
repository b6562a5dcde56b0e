import { randomUUID } from 'node:crypto';
import { normalizePhoneNumber } from '../phone-number.js';
import type {
  ConversationThread,
  OmnichannelSession,
  OpenSessionOptions,
  SessionActivity,
  SessionChannel,
  SessionLookup,
  SessionStore,
  SessionUpdate,
} from './session-store.js';

export interface InMemorySessionStoreOptions {
  /** Contacts (with their session, thread and last channel) kept at most; least recently active evicted (default 10 000). */
  maxContacts?: number | undefined;
  /** Entries kept per thread, most recent (default 200). */
  maxThreadEntries?: number | undefined;
  /** A session idle this long is closed and the next activity opens a new one (default 24 hours). */
  idleTimeoutMs?: number | undefined;
  now?: (() => Date) | undefined;
  /** Id generator, for tests. */
  newId?: (() => string) | undefined;
}

interface ContactState {
  session: OmnichannelSession;
  thread: ConversationThread;
  lastActiveChannel: SessionChannel;
}

function copySession(session: OmnichannelSession): OmnichannelSession {
  return { ...session, activeChannels: [...session.activeChannels] };
}

function copyThread(thread: ConversationThread): ConversationThread {
  return { ...thread, channels: [...thread.channels], entries: thread.entries.map((entry) => ({ ...entry })) };
}

/** A bounded, process-local SessionStore: one open session and thread per tenant and contact. */
export class InMemorySessionStore implements SessionStore {
  /** Keyed by tenant + contact, in least-recently-active order. */
  readonly #contacts = new Map<string, ContactState>();
  readonly #sessionKeys = new Map<string, string>();
  readonly #threadKeys = new Map<string, string>();
  readonly #maxContacts: number;
  readonly #maxEntries: number;
  readonly #idleTimeoutMs: number;
  readonly #now: () => Date;
  readonly #newId: () => string;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.#maxContacts = Math.max(1, options.maxContacts ?? 10_000);
    this.#maxEntries = Math.max(1, options.maxThreadEntries ?? 200);
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 24 * 60 * 60 * 1000;
    this.#now = options.now ?? (() => new Date());
    this.#newId = options.newId ?? randomUUID;
  }

  /** Contacts currently remembered. */
  get size(): number {
    return this.#contacts.size;
  }

  #key(contact: string, tenant: string | undefined): string {
    return `${tenant ?? ''}\u0000${normalizePhoneNumber(contact, { field: 'contact' })}`;
  }

  #open(key: string, at: Date): ContactState | undefined {
    const state = this.#contacts.get(key);
    if (state === undefined) return undefined;
    const idle = at.getTime() - state.session.updatedAt.getTime() > this.#idleTimeoutMs;
    if (idle && state.session.status !== 'closed') state.session.status = 'closed';
    return state.session.status === 'closed' ? undefined : state;
  }

  #touch(key: string, state: ContactState): void {
    this.#contacts.delete(key);
    this.#contacts.set(key, state);
    while (this.#contacts.size > this.#maxContacts) {
      const [oldestKey, oldest] = this.#contacts.entries().next().value as [string, ContactState];
      this.#contacts.delete(oldestKey);
      this.#sessionKeys.delete(oldest.session.id);
      this.#threadKeys.delete(oldest.thread.id);
    }
  }

  #create(key: string, contact: string, options: OpenSessionOptions, at: Date): ContactState {
    const previous = this.#contacts.get(key);
    if (previous !== undefined) {
      // A closed session stays readable by id only while its contact is remembered; one per contact here.
      this.#sessionKeys.delete(previous.session.id);
      this.#threadKeys.delete(previous.thread.id);
    }
    const e164 = normalizePhoneNumber(contact, { field: 'contact' });
    const sessionId = this.#newId();
    const threadId = this.#newId();
    const session: OmnichannelSession = {
      id: sessionId,
      tenant: options.tenant,
      contact: e164,
      primaryChannel: options.channel,
      activeChannels: [options.channel],
      lastActiveChannel: options.channel,
      status: 'active',
      lastAgentId: options.agentId,
      lastIntent: options.intent,
      threadId,
      createdAt: at,
      updatedAt: at,
    };
    const thread: ConversationThread = {
      id: threadId,
      sessionId,
      tenant: options.tenant,
      contact: e164,
      channels: [options.channel],
      entries: [],
    };
    const state: ContactState = { session, thread, lastActiveChannel: options.channel };
    this.#sessionKeys.set(sessionId, key);
    this.#threadKeys.set(threadId, key);
    this.#touch(key, state);
    return state;
  }

  getOrCreate(contact: string, options: OpenSessionOptions): OmnichannelSession {
    const at = this.#now();
    const key = this.#key(contact, options.tenant);
    const open = this.#open(key, at);
    if (open !== undefined) {
      if (options.agentId !== undefined) open.session.lastAgentId = options.agentId;
      if (options.intent !== undefined) open.session.lastIntent = options.intent;
      return copySession(open.session);
    }
    return copySession(this.#create(key, contact, options, at).session);
  }

  get(sessionId: string): OmnichannelSession | undefined {
    const key = this.#sessionKeys.get(sessionId);
    const state = key === undefined ? undefined : this.#contacts.get(key);
    return state?.session.id === sessionId ? copySession(state.session) : undefined;
  }

  findOpen(contact: string, lookup: SessionLookup = {}): OmnichannelSession | undefined {
    const state = this.#open(this.#key(contact, lookup.tenant), this.#now());
    return state === undefined ? undefined : copySession(state.session);
  }

  update(sessionId: string, update: SessionUpdate): OmnichannelSession | undefined {
    const key = this.#sessionKeys.get(sessionId);
    const state = key === undefined ? undefined : this.#contacts.get(key);
    if (state === undefined || state.session.id !== sessionId) return undefined;
    if (update.status !== undefined) state.session.status = update.status;
    if (update.lastAgentId !== undefined) state.session.lastAgentId = update.lastAgentId;
    if (update.lastIntent !== undefined) state.session.lastIntent = update.lastIntent;
    state.session.updatedAt = this.#now();
    return copySession(state.session);
  }

  recordActivity(activity: SessionActivity): { session: OmnichannelSession; thread: ConversationThread } {
    const at = activity.at ?? this.#now();
    const key = this.#key(activity.contact, activity.tenant);
    const state =
      this.#open(key, at) ??
      this.#create(key, activity.contact, { channel: activity.channel, tenant: activity.tenant }, at);
    const { session, thread } = state;
    if (!session.activeChannels.includes(activity.channel)) session.activeChannels.push(activity.channel);
    if (!thread.channels.includes(activity.channel)) thread.channels.push(activity.channel);
    session.lastActiveChannel = activity.channel;
    state.lastActiveChannel = activity.channel;
    if (at > session.updatedAt) session.updatedAt = at;
    thread.entries.push({
      channel: activity.channel,
      direction: activity.direction,
      messageId: activity.messageId,
      at,
    });
    if (thread.entries.length > this.#maxEntries) thread.entries.splice(0, thread.entries.length - this.#maxEntries);
    this.#touch(key, state);
    return { session: copySession(session), thread: copyThread(thread) };
  }

  getThread(threadId: string): ConversationThread | undefined {
    const key = this.#threadKeys.get(threadId);
    const state = key === undefined ? undefined : this.#contacts.get(key);
    return state?.thread.id === threadId ? copyThread(state.thread) : undefined;
  }

  lastActiveChannel(contact: string, lookup: SessionLookup = {}): SessionChannel | undefined {
    return this.#contacts.get(this.#key(contact, lookup.tenant))?.lastActiveChannel;
  }
}
