import { countOption } from '../config/option-checks.js';
import { toUsageListener, type UsageSink } from '../metering/usage-sink.js';
import type { UsageRecord } from '../spec/usage.js';
import type { ErrorChannel } from './error-channel.js';

export interface UsageQueueOptions {
  /** Records waiting per sink while it is busy with an earlier one; beyond it records are dropped and counted. Default 10,000. */
  capacity?: number | undefined;
}

export const defaultUsageQueueCapacity = 10_000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * One sink's lane. A sink is called with one record at a time: a synchronous
 * sink at once, inside the call that produced the record (cheap, and its
 * effect is visible when the call returns); an asynchronous one off the call
 * path — records that arrive while its promise is pending wait in a bounded
 * queue, drained in order. Nothing the sink does reaches the call.
 */
class SinkLane {
  readonly #sink: (record: UsageRecord) => unknown;
  readonly #index: number;
  readonly #capacity: number;
  readonly #errors: ErrorChannel;
  readonly #waiters: (() => void)[] = [];
  #queue: UsageRecord[] = [];
  #head = 0;
  #busy = false;
  dropped = 0;

  constructor(sink: UsageSink, index: number, capacity: number, errors: ErrorChannel) {
    this.#sink = toUsageListener(sink) as (record: UsageRecord) => unknown;
    this.#index = index;
    this.#capacity = capacity;
    this.#errors = errors;
  }

  get pending(): number {
    return this.#queue.length - this.#head + (this.#busy ? 1 : 0);
  }

  get idle(): boolean {
    return !this.#busy && this.#queue.length === this.#head;
  }

  offer(record: UsageRecord): void {
    if (!this.#busy) {
      this.#deliver(record);
      return;
    }
    if (this.#queue.length - this.#head >= this.#capacity) {
      this.dropped++;
      // Reported at the first drop and then at powers of two, so a stuck sink cannot flood the channel.
      if ((this.dropped & (this.dropped - 1)) === 0) {
        this.#errors.report({
          source: 'usage-queue-overflow',
          error: new Error(`Usage sink ${this.#index} is behind: its queue of ${this.#capacity} records is full`),
          sink: this.#index,
          dropped: this.dropped,
        });
      }
      return;
    }
    this.#queue.push(record);
  }

  /** Resolves when everything queued so far has been delivered (or the lane is dropped). */
  drained(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #deliver(record: UsageRecord): void {
    let result: unknown;
    try {
      result = this.#sink(record);
    } catch (error) {
      this.#report(error);
      this.#next();
      return;
    }
    if (!isThenable(result)) {
      this.#next();
      return;
    }
    this.#busy = true;
    result.then(
      () => this.#settled(),
      (error: unknown) => {
        this.#report(error);
        this.#settled();
      },
    );
  }

  #settled(): void {
    this.#busy = false;
    this.#next();
  }

  #next(): void {
    if (this.#busy) return;
    while (this.#head < this.#queue.length) {
      const record = this.#queue[this.#head] as UsageRecord;
      this.#queue[this.#head++] = undefined as unknown as UsageRecord;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#deliver(record);
      if (this.#busy) return;
    }
    this.#queue = [];
    this.#head = 0;
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  #report(error: unknown): void {
    this.#errors.report({ source: 'usage-sink', error, sink: this.#index });
  }
}

/** Fans usage records out to the configured sinks, each isolated in its own bounded lane. */
export class UsageDispatcher {
  readonly #lanes: SinkLane[];

  constructor(sinks: readonly UsageSink[], errors: ErrorChannel, options: UsageQueueOptions = {}) {
    const capacity = countOption(options?.capacity, defaultUsageQueueCapacity, 'usageQueue.capacity', 0);
    this.#lanes = sinks.map((sink, index) => new SinkLane(sink, index, capacity, errors));
  }

  get hasSinks(): boolean {
    return this.#lanes.length > 0;
  }

  readonly record = (record: UsageRecord): void => {
    for (const lane of this.#lanes) lane.offer(record);
  };

  /** Records queued or in delivery, over every sink. */
  get pending(): number {
    let total = 0;
    for (const lane of this.#lanes) total += lane.pending;
    return total;
  }

  /** Records dropped because a sink's queue was full, over every sink. */
  get dropped(): number {
    let total = 0;
    for (const lane of this.#lanes) total += lane.dropped;
    return total;
  }

  /** Resolves when every sink has taken every record offered so far. */
  async drained(): Promise<void> {
    await Promise.all(this.#lanes.map((lane) => lane.drained()));
  }
}
