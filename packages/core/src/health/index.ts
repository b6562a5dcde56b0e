export {
  defaultRecentOutcomeKeys,
  defaultRecentOutcomeWindow,
  type RecentOutcomeSummary,
  RecentOutcomes,
} from './recent-outcomes.js';
export {
  buildStatusReport,
  foldHealth,
  type IntegrationStatus,
  type OverallStatus,
  overallStatus,
  recentFailureRule,
  type StatusReport,
  testWithTimeout,
} from './status-report.js';
