/** Channels a conversation can run on: the messaging channels plus voice calls. */
export type SessionChannel = 'voice' | 'whatsapp' | 'sms';

/** `active` while the contact is engaged, `waiting` for their reply, `closed` when done (the next contact opens a new session). */
export type SessionStatus = 'active' | 'waiting' | 'closed';

/** One contact's conversation across voice, WhatsApp and SMS (an `omnichannel_sessions` row). */
export interface OmnichannelSession {
  id: string;
  tenant?: string | undefined;
  /** The contact in E.164. */
  contact: string;
  /** The channel the session started on. */
  primaryChannel: SessionChannel;
  /** Every channel used in the session, in order of first use. */
  activeChannels: SessionChannel[];
  /** The channel of the latest inbound or outbound message or call. */
  lastActiveChannel: SessionChannel;
  status: SessionStatus;
  lastAgentId?: string | undefined;
  lastIntent?: string | undefined;
  /** The conversation thread linking this session's messages across channels. */
  threadId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One message (or call) in a thread. */
export interface ThreadEntry {
  channel: SessionChannel;
  direction: 'inbound' | 'outbound';
  /** The vendor's message id (or a call id). */
  messageId?: string | undefined;
  at: Date;
}

/** Messages linked across channels (a `conversation_threads` row and its messages). */
export interface ConversationThread {
  id: string;
  sessionId: string;
  tenant?: string | undefined;
  contact: string;
  channels: SessionChannel[];
  /** Oldest first; the in-memory store keeps the most recent ones only. */
  entries: ThreadEntry[];
}

export interface SessionLookup {
  tenant?: string | undefined;
}

export interface OpenSessionOptions extends SessionLookup {
  channel: SessionChannel;
  agentId?: string | undefined;
  intent?: string | undefined;
}

export interface SessionActivity extends SessionLookup {
  /** The contact in E.164. */
  contact: string;
  channel: SessionChannel;
  direction: 'inbound' | 'outbound';
  messageId?: string | undefined;
  at?: Date | undefined;
}

export interface SessionUpdate {
  status?: SessionStatus | undefined;
  lastAgentId?: string | undefined;
  lastIntent?: string | undefined;
}

/**
 * Where omnichannel sessions and threads live. The in-memory store is bounded and per process; a
 * database stands behind the same methods (the seed's `get_or_create_omnichannel_session()`,
 * `update_omnichannel_session_status()`), with `getOrCreate` atomic per contact.
 */
export interface SessionStore {
  /** The contact's open session, else a new one started on `channel`. */
  getOrCreate(contact: string, options: OpenSessionOptions): OmnichannelSession | Promise<OmnichannelSession>;
  get(sessionId: string): OmnichannelSession | undefined | Promise<OmnichannelSession | undefined>;
  /** The contact's open session, if any. */
  findOpen(
    contact: string,
    lookup?: SessionLookup,
  ): OmnichannelSession | undefined | Promise<OmnichannelSession | undefined>;
  /** Changes status, last agent or last intent; undefined for an unknown session. */
  update(
    sessionId: string,
    update: SessionUpdate,
  ): OmnichannelSession | undefined | Promise<OmnichannelSession | undefined>;
  /** Records an inbound or outbound message: opens the session if needed, updates its channels and thread. */
  recordActivity(
    activity: SessionActivity,
  ):
    | { session: OmnichannelSession; thread: ConversationThread }
    | Promise<{ session: OmnichannelSession; thread: ConversationThread }>;
  getThread(threadId: string): ConversationThread | undefined | Promise<ConversationThread | undefined>;
  /** The channel of the contact's latest activity, inbound or outbound, across sessions. */
  lastActiveChannel(
    contact: string,
    lookup?: SessionLookup,
  ): SessionChannel | undefined | Promise<SessionChannel | undefined>;
}
