import { linkSignal, raceSignal } from '../routing/signals.js';
import type { BaseProvider, HealthResult, HealthStatus, TestOptions } from '../spec/provider.js';
import type { RecentOutcomeSummary } from './recent-outcomes.js';

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
  /** Health-relevant outcomes of the provider's most recent calls (see `foldHealth`). */
  recent_calls?: RecentOutcomeSummary | undefined;
}

/** At least this many recent calls, and at least half of them failed: the provider is failing. */
export const recentFailureRule = { minimumCalls: 3, failureShare: 0.5 } as const;

/**
 * Folds what calls have seen into a `test()` result, because a cheap check
 * (listing models) can pass while every real call fails:
 * - breaker open or half-open → `error`, not healthy;
 * - at least 3 recent calls and at least half of them failed (health-relevant
 *   codes only) → `error`, not healthy;
 * - otherwise the `test()` result stands. A `not_configured` result is kept as it is.
 */
export function foldHealth(
  result: HealthResult,
  circuit: string | undefined,
  recent: RecentOutcomeSummary | undefined,
): HealthResult {
  if (result.status === 'not_configured') return result;
  if (circuit === 'open' || circuit === 'half-open') {
    return {
      ...result,
      status: 'error',
      healthy: false,
      message: `Circuit ${circuit}: calls are being skipped (${result.message})`,
    };
  }
  if (
    recent &&
    recent.calls >= recentFailureRule.minimumCalls &&
    recent.failures >= recent.calls * recentFailureRule.failureShare
  ) {
    return {
      ...result,
      status: 'error',
      healthy: false,
      message: `${recent.failures} of the last ${recent.calls} calls failed (${result.message})`,
    };
  }
  return result;
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
    recent?: (id: string) => RecentOutcomeSummary | undefined;
  },
): Promise<StatusReport> {
  const results = await Promise.all(
    providers.map((provider) =>
      testWithTimeout(provider, options.timeoutMs, { tenant: options.tenant, signal: options.signal }),
    ),
  );
  const integrations: Record<string, IntegrationStatus> = {};
  const folded = providers.map((provider, index) => {
    const circuit = options.circuit?.(provider.id);
    const recent = options.recent?.(provider.id);
    return { circuit, recent, result: foldHealth(results[index] as HealthResult, circuit, recent) };
  });
  providers.forEach((provider, index) => {
    const { circuit, recent, result } = folded[index] as (typeof folded)[number];
    integrations[provider.id] = {
      status: result.status,
      message: result.message,
      healthy: result.healthy,
      details: result.details,
      kind: provider.kind,
      vendor: provider.vendor,
      latency_ms: result.latencyMs,
      circuit,
      recent_calls: recent,
    };
  });
  return {
    integrations,
    overall_status: overallStatus(folded.map(({ result }) => result.status)),
    last_checked: new Date().toISOString(),
  };
}
