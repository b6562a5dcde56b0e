export { type AuditFingerprintKey, createFingerprinter } from './audit-fingerprint.js';
export type { AuditActor, AuditOptions } from './audit-trail.js';
export { defaultAuditLogCapacity, InMemoryAuditLog } from './in-memory-audit-log.js';
