import { linkSignal, raceSignal } from '../routing/signals.js';
import type { HealthResult, HealthStatus } from '../spec/provider.js';

/** What a custom check may answer; `true`/nothing means connected, `false` means error. */
export interface CustomCheckResult {
  status?: HealthStatus | undefined;
  message?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/**
 * A named check for a dependency that is not a provider (a database, Stripe, an email service).
 * It may throw or hang: it runs under the monitor's per-check timeout, and a thrown error's
 * message is NOT shown (it may hold a connection string): return `{ status: 'error', message }` to
 * explain a failure. The thrown error reaches the monitor's `error` listeners.
 */
export type CustomCheck = (context: {
  signal: AbortSignal;
  tenant: string | undefined;
}) => CustomCheckResult | boolean | undefined | Promise<CustomCheckResult | boolean | undefined>;

const statuses = new Set<HealthStatus>(['connected', 'not_configured', 'error']);
const maxMessageLength = 500;

function answer(status: HealthStatus, message: string, latencyMs: number, details?: Record<string, unknown>) {
  return {
    status,
    healthy: status === 'connected',
    message,
    latencyMs,
    details,
    checkedAt: new Date().toISOString(),
  } satisfies HealthResult;
}

/** Runs one custom check with a time limit; never throws. `onThrow` receives what the check threw. */
export async function runCustomCheck(
  name: string,
  check: CustomCheck,
  options: {
    timeoutMs: number;
    tenant: string | undefined;
    signal?: AbortSignal | undefined;
    onThrow: (error: unknown) => void;
  },
): Promise<HealthResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const link = linkSignal(options.signal);
  link.startTimer(options.timeoutMs, `Check "${name}" timed out after ${options.timeoutMs} ms`);
  try {
    const result = await raceSignal(
      Promise.resolve().then(() => check({ signal: link.signal, tenant: options.tenant })),
      link.signal,
    );
    if (result === undefined || result === true) return answer('connected', 'OK', elapsed());
    if (result === false) return answer('error', `Check "${name}" failed`, elapsed());
    if (typeof result !== 'object' || result === null)
      return answer('error', `Check "${name}" answered an unknown value`, elapsed());
    const status = statuses.has(result.status as HealthStatus) ? (result.status as HealthStatus) : 'connected';
    const message =
      typeof result.message === 'string'
        ? result.message.slice(0, maxMessageLength)
        : status === 'connected'
          ? 'OK'
          : status;
    const details = result.details && typeof result.details === 'object' ? { ...result.details } : undefined;
    return answer(status, message, elapsed(), details);
  } catch (error) {
    if (link.signal.aborted && (link.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError') {
      return {
        ...answer('error', `Check "${name}" timed out after ${options.timeoutMs} ms`, elapsed()),
        code: 'timeout',
      };
    }
    options.onThrow(error);
    const kind = (error as { name?: unknown } | undefined)?.name;
    return answer(
      'error',
      `Check "${name}" failed${typeof kind === 'string' ? ` (${kind.slice(0, 50)})` : ''}`,
      elapsed(),
    );
  } finally {
    link.dispose();
  }
}
