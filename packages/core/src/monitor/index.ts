export type { CustomCheck, CustomCheckResult } from './custom-check.js';
export { type InMemoryStatusHistoryOptions, InMemoryStatusHistoryStore } from './in-memory-status-history.js';
export { InMemoryStatusReportCache, type InMemoryStatusReportCacheOptions } from './in-memory-status-report-cache.js';
export {
  createStatusMonitor,
  type StatusChangedEvent,
  type StatusMonitor,
  type StatusMonitorErrorEvent,
  type StatusMonitorEvents,
  type StatusMonitorOptions,
  type TenantStatusView,
} from './status-monitor.js';
export { type StatusSummary, summarizeStatusSamples } from './status-statistics.js';
export { type UsageWindowRow, UsageWindows, type UsageWindowsOptions } from './usage-windows.js';
