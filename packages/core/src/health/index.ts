export {
  buildStatusReport,
  type IntegrationStatus,
  type OverallStatus,
  overallStatus,
  type StatusReport,
  testWithTimeout,
} from './status-report.js';
