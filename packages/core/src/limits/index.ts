export { defaultLimitStoreMaxKeys, InMemoryLimitStore } from './in-memory-limit-store.js';
export type { LimitWarningEvent } from './limit-gate.js';
