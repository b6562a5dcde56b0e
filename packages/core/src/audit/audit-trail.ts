import { randomBytes } from 'node:crypto';
import { countOption } from '../config/option-checks.js';
import type { ErrorChannel } from '../patchbay/error-channel.js';
import type { Secret } from '../secrets/secret.js';
import type { AuditAction, AuditRecord, AuditSink } from '../spec/state.js';
import { type AuditFingerprintKey, createFingerprinter } from './audit-fingerprint.js';

export interface AuditOptions {
  /** Where records go, e.g. `[new InMemoryAuditLog()]`. Each sink is isolated: it may throw, reject or hang. */
  sinks: readonly AuditSink[];
  /**
   * HMAC key for the before/after fingerprints (at least 16 bytes). Default: random per process, so
   * fingerprints compare only within one process; pass a stable key to compare them across instances.
   */
  fingerprintKey?: AuditFingerprintKey | Secret | undefined;
  /** Records an asynchronous sink may have in flight at once (default 1,000); past that they are dropped and reported. */
  maxPendingPerSink?: number | undefined;
}

/** What a caller passes with an audited operation. */
export interface AuditActor {
  /** Who did it (a user id, a service name); recorded as given. */
  actor?: string | null | undefined;
}

/** The parts of a record its author fills in; the trail adds id, time and fingerprints. */
export interface AuditEntry {
  action: AuditAction;
  actor?: string | null | undefined;
  tenant?: string | null | undefined;
  provider?: string | null | undefined;
  route?: string | null | undefined;
  outcome?: 'success' | 'failure' | undefined;
  fields?: readonly string[] | undefined;
  /** The values before and after: only their fingerprints are kept. `undefined`: absent. */
  before?: unknown;
  after?: unknown;
  detail?: string | undefined;
}

const defaultMaxPending = 1_000;
// Made on the first record, not at import.
let processTag: string | undefined;
let sequence = 0;

/** Unique and time-ordered within a process: zero-padded milliseconds, then a sequence number. */
function recordId(now: number): string {
  sequence = (sequence + 1) % 1e10;
  processTag ??= randomBytes(3).toString('hex');
  return `${String(now).padStart(15, '0')}-${String(sequence).padStart(10, '0')}-${processTag}`;
}

/**
 * Builds audit records and hands them to the sinks without waiting: a sink that throws or rejects is
 * reported on the error channel (`audit-sink`), one that hangs holds at most `maxPendingPerSink`
 * records in flight, after which new ones are dropped and reported (`audit-queue-overflow`). The
 * audited operation never fails or waits because of a sink.
 */
export class AuditTrail {
  readonly #sinks: readonly AuditSink[];
  readonly #pending: number[];
  readonly #maxPending: number;
  readonly #errors: ErrorChannel;
  readonly #fingerprint: (value: unknown) => string | null;

  constructor(options: AuditOptions, errors: ErrorChannel) {
    this.#sinks = [...options.sinks];
    this.#pending = this.#sinks.map(() => 0);
    this.#maxPending = countOption(options.maxPendingPerSink, defaultMaxPending, 'audit.maxPendingPerSink');
    this.#errors = errors;
    this.#fingerprint = createFingerprinter(options.fingerprintKey);
  }

  fingerprint(value: unknown): string | null {
    return this.#fingerprint(value);
  }

  record(entry: AuditEntry): AuditRecord {
    const now = Date.now();
    const record: AuditRecord = Object.freeze({
      id: recordId(now),
      at: new Date(now).toISOString(),
      actor: entry.actor ?? null,
      tenant: entry.tenant ?? null,
      provider: entry.provider ?? null,
      route: entry.route ?? null,
      action: entry.action,
      outcome: entry.outcome ?? 'success',
      fields: Object.freeze([...(entry.fields ?? [])]),
      before: this.#fingerprint(entry.before),
      after: this.#fingerprint(entry.after),
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    });
    for (let index = 0; index < this.#sinks.length; index++)
      this.#deliver(this.#sinks[index] as AuditSink, index, record);
    return record;
  }

  #deliver(sink: AuditSink, index: number, record: AuditRecord): void {
    if ((this.#pending[index] as number) >= this.#maxPending) {
      this.#errors.report({
        source: 'audit-queue-overflow',
        error: new Error(`Audit sink ${index} has ${this.#maxPending} records in flight; record ${record.id} dropped`),
        sink: index,
        dropped: 1,
      });
      return;
    }
    try {
      const pending = sink.record(record);
      if (pending && typeof (pending as Promise<void>).then === 'function') {
        this.#pending[index] = (this.#pending[index] as number) + 1;
        (pending as Promise<void>).then(
          () => {
            this.#pending[index] = (this.#pending[index] as number) - 1;
          },
          (error: unknown) => {
            this.#pending[index] = (this.#pending[index] as number) - 1;
            this.#errors.report({ source: 'audit-sink', error, sink: index });
          },
        );
      }
    } catch (error) {
      this.#errors.report({ source: 'audit-sink', error, sink: index });
    }
  }
}
