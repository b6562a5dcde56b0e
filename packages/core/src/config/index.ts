export { mergePatch, SettingsCell } from './settings-cell.js';
export { describeIssues, type FieldIssue, invalidFieldsError } from './zod-issues.js';
