// Stores for @patchbay/messaging's interfaces, in their own entry so the main one never loads
// @patchbay/messaging (an optional peer dependency).
export {
  PostgresDeliveryLog,
  type PostgresDeliveryLogOptions,
} from '../stores/postgres-delivery-log.js';
export { PostgresSessionStore, type PostgresSessionStoreOptions } from '../stores/postgres-session-store.js';
