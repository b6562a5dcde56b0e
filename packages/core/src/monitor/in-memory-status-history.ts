import { LruMap } from '../config/lru-map.js';
import { countOption } from '../config/option-checks.js';
import type { StatusHistoryQuery, StatusHistoryStore, StatusSample } from '../spec/state.js';

export interface InMemoryStatusHistoryOptions {
  /** Samples kept per provider and tenant (oldest dropped first). Default 1,440 (a day at one a minute). */
  maxSamplesPerSeries?: number | undefined;
  /** Provider-and-tenant series kept (least recently written dropped first). Default 10,000. */
  maxSeries?: number | undefined;
}

/** A fixed-size ring of samples, oldest first when read. */
class SampleRing {
  readonly #samples: (StatusSample | undefined)[];
  #next = 0;
  #count = 0;

  constructor(capacity: number) {
    this.#samples = new Array(capacity);
  }

  push(sample: StatusSample): void {
    this.#samples[this.#next] = sample;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  *oldestFirst(): IterableIterator<StatusSample> {
    const start = (this.#next - this.#count + this.#samples.length) % this.#samples.length;
    for (let index = 0; index < this.#count; index++) {
      yield this.#samples[(start + index) % this.#samples.length] as StatusSample;
    }
  }
}

const seriesKey = (provider: string, tenant: string | null): string =>
  tenant === null ? `\u0000${provider}` : `${tenant.length}:${tenant}\u0000${provider}`;

/**
 * The status monitor's default history: bounded twice (samples per series, series held), so
 * memory stays flat however many tenants and providers are polled. Not shared across instances:
 * `@patchbay/postgres` implements the same `StatusHistoryStore` durably.
 */
export class InMemoryStatusHistoryStore implements StatusHistoryStore {
  readonly #series: LruMap<string, SampleRing>;
  readonly #samplesPerSeries: number;

  constructor(options: InMemoryStatusHistoryOptions = {}) {
    this.#samplesPerSeries = countOption(options.maxSamplesPerSeries, 1_440, 'maxSamplesPerSeries');
    this.#series = new LruMap(countOption(options.maxSeries, 10_000, 'maxSeries'));
  }

  /** Series held (for tests and diagnostics). */
  get seriesCount(): number {
    return this.#series.size;
  }

  append(sample: StatusSample): void {
    const key = seriesKey(sample.provider, sample.tenant);
    let ring = this.#series.get(key);
    if (!ring) this.#series.set(key, (ring = new SampleRing(this.#samplesPerSeries)));
    ring.push({ ...sample });
  }

  async query(query: StatusHistoryQuery = {}): Promise<StatusSample[]> {
    const rings =
      query.provider !== undefined && query.tenant !== undefined
        ? [this.#series.peek(seriesKey(query.provider, query.tenant))].filter((ring) => ring !== undefined)
        : [...this.#series.values()];
    const matches: StatusSample[] = [];
    for (const ring of rings) {
      for (const sample of ring.oldestFirst()) {
        if (query.provider !== undefined && sample.provider !== query.provider) continue;
        if (query.tenant !== undefined && sample.tenant !== query.tenant) continue;
        if (query.since !== undefined && sample.at < query.since) continue;
        if (query.until !== undefined && sample.at >= query.until) continue;
        matches.push({ ...sample });
      }
    }
    if (rings.length > 1) matches.sort((a, b) => a.at - b.at);
    // The most recent `limit`, still oldest first: a chart wants the latest points.
    return query.limit !== undefined && matches.length > query.limit
      ? matches.slice(matches.length - Math.max(0, query.limit))
      : matches;
  }
}
