// Durable Patchbay state on PostgreSQL or embedded PGlite. Stores for @patchbay/messaging's
// interfaces (delivery log, sessions) are in `@patchbay/postgres/messaging`.
export { BatchWriter, type BatchWriterOptions, type BatchWriterStats } from './batch-writer.js';
export { loadMigrations, type Migration, type MigrationReport, migrate } from './migrate.js';
export {
  createPgClient,
  createPgliteClient,
  fromPglite,
  fromPgPool,
  type PgClientSettings,
  type PgliteClientSettings,
  type PgPoolClientLike,
  type PgPoolClientOptions,
  type PgPoolLike,
  type SqlClient,
  type SqlResult,
} from './sql-client.js';
export { PostgresAuditLog, type PostgresAuditLogOptions } from './stores/postgres-audit-log.js';
export { PostgresSealedCredentialStorage } from './stores/postgres-sealed-credential-storage.js';
export {
  type PostgresStatusHistoryOptions,
  PostgresStatusHistoryStore,
  type StatusDailyRow,
  type StatusRetention,
} from './stores/postgres-status-history.js';
export {
  PostgresUsageStore,
  type PostgresUsageStoreOptions,
  type UsageRetention,
  type UsageSummaryDayRow,
  type UsageSummaryQuery,
} from './stores/postgres-usage-store.js';
export type { ResolvedTables, TableOptions } from './table-names.js';
