import { describe, expect, it } from 'vitest';
import type { BaseProvider, HealthResult } from '../spec/provider.js';
import { buildStatusReport, overallStatus } from './status-report.js';

function provider(id: string, test: () => Promise<HealthResult>): BaseProvider {
  return {
    specificationVersion: 'v1',
    id,
    kind: 'sms',
    vendor: 'fake',
    test,
    getConfig: () => ({}),
    updateConfig: async () => {},
  };
}

const result = (status: HealthResult['status']): HealthResult => ({
  status,
  healthy: status === 'connected',
  message: status,
  latencyMs: 1,
  checkedAt: new Date().toISOString(),
});

describe('status aggregation', () => {
  it('is healthy, degraded or partial', () => {
    expect(overallStatus(['connected', 'connected'])).toBe('healthy');
    expect(overallStatus(['connected', 'error', 'not_configured'])).toBe('degraded');
    expect(overallStatus(['connected', 'not_configured'])).toBe('partial');
  });

  it('runs checks in parallel, each with its own timeout, in the integration-status shape', async () => {
    const started = Date.now();
    const report = await buildStatusReport(
      [
        provider('twilio', async () => result('connected')),
        provider('slow', () => new Promise(() => {})),
        provider('unset', async () => result('not_configured')),
      ],
      { timeoutMs: 100 },
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report.overall_status).toBe('degraded');
    expect(report.integrations.twilio).toMatchObject({
      status: 'connected',
      healthy: true,
      kind: 'sms',
      vendor: 'fake',
    });
    expect(report.integrations.slow).toMatchObject({ status: 'error', healthy: false });
    expect(report.integrations.slow?.message).toContain('timed out');
    expect(report.integrations.unset?.status).toBe('not_configured');
    expect(Number.isNaN(Date.parse(report.last_checked))).toBe(false);
  });
});
