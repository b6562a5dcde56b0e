import type { StatusSample } from '../spec/state.js';

/** Uptime and latency of one provider over a window, from its status history. */
export interface StatusSummary {
  /** Samples in the window. */
  samples: number;
  /** Share of configured samples (0–1) that were `connected`; null when there were none. */
  uptime: number | null;
  /** Check latency percentiles (nearest rank), ms; null without latency samples. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

function percentile(sorted: readonly number[], share: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(share * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * Summarises samples (already restricted to one provider and window). `not_configured`
 * samples do not count against uptime: a provider nobody set up is not down.
 */
export function summarizeStatusSamples(samples: readonly StatusSample[]): StatusSummary {
  let configured = 0;
  let connected = 0;
  const latencies: number[] = [];
  for (const sample of samples) {
    if (sample.status !== 'not_configured') configured++;
    if (sample.status === 'connected') connected++;
    if (typeof sample.latencyMs === 'number' && Number.isFinite(sample.latencyMs)) latencies.push(sample.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    samples: samples.length,
    uptime: configured === 0 ? null : connected / configured,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
  };
}
