import { knownSecrets } from '../secrets/known-secrets.js';
import { redactConfig } from '../secrets/redact.js';
import { scrubSecrets, scrubText } from '../secrets/scrub-text.js';
import { type ErrorCode, retryableByDefault } from './error-codes.js';

const brand = Symbol.for('patchbay.error');
const redactedCauseBrand = Symbol.for('patchbay.redacted-cause');
const maxCauseDepth = 4;
const maxStackLength = 4_000;

/**
 * What an error keeps of a cause: its name, scrubbed message and stack, a
 * socket-style `code` and an HTTP `status` — never the cause's other
 * properties, which for SDK and HTTP-client errors include the request's
 * headers and the vendor's raw body. The original is not kept anywhere, so no
 * logger, serialiser or `util.inspect` can reach it.
 */
function redactCause(cause: unknown, depth = 0): unknown {
  try {
    return summariseCause(cause, depth);
  } catch {
    // A cause whose getters throw (a hostile or broken object) is not worth failing the error for.
    return '[unreadable cause]';
  }
}

function summariseCause(cause: unknown, depth: number): unknown {
  if (cause === undefined || cause === null) return cause;
  if (typeof cause === 'number' || typeof cause === 'boolean') return cause;
  if (typeof cause === 'string') return scrubText(cause, knownSecrets());
  if (PatchbayError.isInstance(cause) && cause instanceof PatchbayError) return cause;
  if (typeof cause !== 'object') return `[${typeof cause}]`;
  if ((cause as Record<symbol, unknown>)[redactedCauseBrand] === true) return cause;
  if (depth >= maxCauseDepth) return '[cause chain truncated]';
  const original = cause as { name?: unknown; message?: unknown; code?: unknown; status?: unknown; stack?: unknown };
  const isErrorLike = cause instanceof Error || typeof original.message === 'string';
  if (!isErrorLike) return `[${(cause as object).constructor?.name ?? 'object'}]`;
  const summary = new Error(scrubText(String(original.message ?? ''), knownSecrets()));
  summary.name = typeof original.name === 'string' ? scrubText(original.name).slice(0, 100) : 'Error';
  summary.stack =
    typeof original.stack === 'string'
      ? scrubSecrets(original.stack.slice(0, maxStackLength), knownSecrets())
      : summary.stack;
  const extra = summary as unknown as Record<string | symbol, unknown>;
  if (typeof original.code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(original.code)) extra.code = original.code;
  if (typeof original.code === 'number') extra.code = original.code;
  if (typeof original.status === 'number') extra.status = original.status;
  const nested = (cause as { cause?: unknown }).cause;
  if (nested !== undefined) {
    Object.defineProperty(summary, 'cause', {
      value: redactCause(nested, depth + 1),
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  Object.defineProperty(summary, redactedCauseBrand, { value: true, enumerable: false });
  return summary;
}

export interface PatchbayErrorOptions {
  code: ErrorCode;
  message: string;
  /** Provider id (not vendor) that failed, when one did. */
  provider?: string | undefined;
  vendor?: string | undefined;
  /** HTTP status of the vendor response, when there was one. */
  status?: number | undefined;
  /** Overrides the code's default retryability; only with evidence from the vendor. */
  retryable?: boolean | undefined;
  /** How long the vendor asked us to wait, already converted to milliseconds. */
  retryAfterMs?: number | undefined;
  /** The vendor's request id, for support tickets. */
  requestId?: string | undefined;
  /** The vendor's own error code or type, verbatim (never a secret). */
  vendorCode?: string | undefined;
  /**
   * True when the request may have reached the vendor and its effect is unknown
   * (a timeout after the body was sent). Routing never repeats such a call for a
   * kind with side effects (messaging) unless the route opts in.
   */
  outcomeUnknown?: boolean | undefined;
  /** Extra structured facts: field paths, missing credential names, sources tried. Redacted like a config. */
  details?: Record<string, unknown> | undefined;
  /**
   * What went wrong underneath. Kept only as a redacted summary (name, scrubbed
   * message and stack, `code`, `status`, nested causes): SDK errors carry
   * request headers and raw vendor bodies, which must not reach a log.
   */
  cause?: unknown;
}

/**
 * The one error type of Patchbay. Branded with a global symbol so that
 * `PatchbayError.isInstance()` holds across two installed copies of the package,
 * where `instanceof` would not.
 */
export class PatchbayError extends Error {
  readonly [brand] = true;
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly provider: string | undefined;
  readonly vendor: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;
  readonly vendorCode: string | undefined;
  readonly outcomeUnknown: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: PatchbayErrorOptions) {
    // Messages and details are scrubbed here, once, so every way out (message, stack, JSON, inspect) is clean.
    super(
      scrubSecrets(String(options.message), knownSecrets()),
      options.cause === undefined ? undefined : { cause: redactCause(options.cause) },
    );
    this.name = 'PatchbayError';
    this.code = options.code;
    this.retryable = options.retryable ?? retryableByDefault[options.code];
    this.provider = options.provider;
    this.vendor = options.vendor;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.vendorCode = options.vendorCode;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.details = options.details === undefined ? undefined : redactConfig(options.details, undefined, knownSecrets());
  }

  static isInstance(value: unknown): value is PatchbayError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** A copy attributed to a provider, for errors raised before the adapter knew its id. */
  withProvider(provider: string, vendor?: string): PatchbayError {
    if (this.provider === provider) return this;
    return new PatchbayError({ ...this.toOptions(), provider, vendor: vendor ?? this.vendor });
  }

  toOptions(): PatchbayErrorOptions {
    return {
      code: this.code,
      message: this.message,
      provider: this.provider,
      vendor: this.vendor,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      vendorCode: this.vendorCode,
      outcomeUnknown: this.outcomeUnknown,
      details: this.details,
      cause: this.cause,
    };
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      provider: this.provider,
      vendor: this.vendor,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      vendorCode: this.vendorCode,
      outcomeUnknown: this.outcomeUnknown || undefined,
      details: this.details,
    };
  }
}

export interface AttemptRecord {
  provider: string;
  vendor: string;
  code: ErrorCode;
  message: string;
  durationMs: number;
  /** 1 for the first try against this provider, 2 for its first retry… */
  attempt: number;
}

/** Raised by a routed provider when no member could serve the call; carries every attempt. */
export class AllProvidersFailedError extends PatchbayError {
  readonly attempts: readonly AttemptRecord[];

  constructor(options: { route: string; attempts: AttemptRecord[]; last: PatchbayError | undefined; reason?: string }) {
    const last = options.last;
    const summary = options.attempts.map((a) => `${a.provider}: ${a.code}`).join(', ');
    super({
      code: last?.code ?? 'unavailable',
      message: `Route "${options.route}" failed${options.reason ? ` (${options.reason})` : ''}: ${summary || 'no provider was available'}`,
      retryable: last?.retryable ?? true,
      provider: last?.provider,
      vendor: last?.vendor,
      status: last?.status,
      retryAfterMs: last?.retryAfterMs,
      outcomeUnknown: last?.outcomeUnknown,
      details: { route: options.route },
      cause: last,
    });
    this.name = 'AllProvidersFailedError';
    this.attempts = Object.freeze(
      options.attempts.map((attempt) =>
        Object.freeze({ ...attempt, message: scrubText(attempt.message, knownSecrets()) }),
      ),
    );
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), attempts: this.attempts };
  }
}
