export { InMemorySessionStore, type InMemorySessionStoreOptions } from './in-memory-session-store.js';
export type {
  ConversationThread,
  OmnichannelSession,
  OpenSessionOptions,
  SessionActivity,
  SessionChannel,
  SessionLookup,
  SessionStatus,
  SessionStore,
  SessionUpdate,
  ThreadEntry,
} from './session-store.js';
