import { linkSignal, raceSignal } from '../routing/signals.js';
import type { BaseProvider, HealthResult, HealthStatus, TestOptions } from '../spec/provider.js';

export type OverallStatus = 'healthy' | 'degraded' | 'partial';

/** One provider's line in the status view (the shape integration dashboards expect). */
export interface IntegrationStatus {
  status: HealthStatus;
  message: string;
  healthy: boolean;
  details?: Record<string, unknown> | undefined;
  kind: string;
  vendor: string;
  latency_ms: number;
  /** Circuit breaker state, when the provider is routed. */
  circuit?: string | undefined;
}

export interface StatusReport {
  integrations: Record<string, IntegrationStatus>;
  overall_status: OverallStatus;
  last_checked: string;
}

/**
 * healthy: every configured provider is connected; degraded: any configured one
 * errors; partial: none errors but some are not configured.
 */
export function overallStatus(statuses: readonly HealthStatus[]): OverallStatus {
  if (statuses.includes('error')) return 'degraded';
  if (statuses.includes('not_configured')) return 'partial';
  return 'healthy';
}

/** `test()` with its own time limit; a check that overruns is an `error` line, not a hung dashboard. */
export async function testWithTimeout(
  provider: BaseProvider,
  timeoutMs: number,
  options: TestOptions,
): Promise<HealthResult> {
  const started = performance.now();
  const link = linkSignal(options.signal);
  link.startTimer(timeoutMs, `Health check of "${provider.id}" timed out after ${timeoutMs} ms`);
  try {
    return await raceSignal(provider.test({ ...options, signal: link.signal }), link.signal);
  } catch (error) {
    const reason = error as { message?: string } | undefined;
    return {
      status: 'error',
      healthy: false,
      message: reason?.message ?? 'Health check failed',
      code: 'timeout',
      latencyMs: Math.round(performance.now() - started),
      checkedAt: new Date().toISOString(),
    };
  } finally {
    link.dispose();
  }
}

/** Runs every provider's check in parallel and aggregates them. */
export async function buildStatusReport(
  providers: readonly BaseProvider[],
  options: {
    timeoutMs: number;
    tenant?: string | undefined;
    signal?: AbortSignal | undefined;
    circuit?: (id: string) => string | undefined;
  },
): Promise<StatusReport> {
  const results = await Promise.all(
    providers.map((provider) =>
      testWithTimeout(provider, options.timeoutMs, { tenant: options.tenant, signal: options.signal }),
    ),
  );
  const integrations: Record<string, IntegrationStatus> = {};
  providers.forEach((provider, index) => {
    const result = results[index] as HealthResult;
    integrations[provider.id] = {
      status: result.status,
      message: result.message,
      healthy: result.healthy,
      details: result.details,
      kind: provider.kind,
      vendor: provider.vendor,
      latency_ms: result.latencyMs,
      circuit: options.circuit?.(provider.id),
    };
  });
  return {
    integrations,
    overall_status: overallStatus(results.map((result) => result.status)),
    last_checked: new Date().toISOString(),
  };
}
