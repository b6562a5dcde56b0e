import type { ErrorCode, Secret } from '@patchbay/core';
import { errorCodes, PatchbayError } from '@patchbay/core/adapter';

/** The provider methods a mock records. */
export type MockMethod = 'generate' | 'stream' | 'synthesize' | 'streamText' | 'transcribe' | 'transcribeLive' | 'send';

/** One call a mock received, updated in place when it settles. */
export interface MockCall<Request = unknown> {
  /** 0-based position among the calls since construction or `reset()`. */
  index: number;
  method: MockMethod;
  request: Request;
  tenant: string | undefined;
  correlationId: string | undefined;
  signal: AbortSignal | undefined;
  /** `Date.now()` when the call started (fake clocks apply). */
  startedAt: number;
  outcome: 'pending' | 'success' | 'error';
  error?: PatchbayError | undefined;
  /** `Date.now()` when the call settled. */
  settledAt?: number | undefined;
  /** The API key the call resolved, kept as a Secret so it never prints; `reveal()` it in assertions. */
  apiKey?: Secret | undefined;
  /** Where each credential came from (`explicit`, `tenant-store`, `environment`). */
  credentialSources?: Readonly<Record<string, string | undefined>> | undefined;
}

/** A scripted failure: the call throws a PatchbayError with this code, attributed to the mock. */
export interface MockFailureStep {
  error: ErrorCode;
  message?: string | undefined;
  status?: number | undefined;
  retryAfterMs?: number | undefined;
  outcomeUnknown?: boolean | undefined;
  /** Overrides the code's default retryability. */
  retryable?: boolean | undefined;
  vendorCode?: string | undefined;
  /** Latency before failing; honours the call's abort signal. */
  delayMs?: number | undefined;
}

/** A call that never settles until its AbortSignal aborts. */
export interface MockHangStep {
  hang: true;
}

/**
 * What each call does: one step for every call, a sequence (call n uses item n,
 * the last item repeats after the end), or a function of the call.
 */
export type MockScript<Step, Request = unknown> =
  | Step
  | readonly Step[]
  | ((call: MockCall<Request>) => Step | Promise<Step>);

export function isFailureStep(step: unknown): step is MockFailureStep {
  return typeof step === 'object' && step !== null && 'error' in step;
}

export function isHangStep(step: unknown): step is MockHangStep {
  return typeof step === 'object' && step !== null && (step as { hang?: unknown }).hang === true;
}

/** Picks the step for the `position`-th call since the script was set. */
export async function stepFor<Step, Request>(
  script: MockScript<Step, Request>,
  position: number,
  call: MockCall<Request>,
): Promise<Step> {
  if (typeof script === 'function') return await (script as (call: MockCall<Request>) => Step | Promise<Step>)(call);
  if (Array.isArray(script)) {
    const steps = script as readonly Step[];
    return steps[Math.min(position, steps.length - 1)] as Step;
  }
  return script as Step;
}

function invalidScript(path: string, message: string): PatchbayError {
  return new PatchbayError({
    code: 'invalid_request',
    message: `Invalid mock script — ${path}: ${message}`,
    details: { issues: [{ path, message }] },
  });
}

function checkStep(step: unknown, path: string): void {
  if (typeof step !== 'object' || step === null || Array.isArray(step)) {
    throw invalidScript(path, 'a step must be an object');
  }
  const record = step as Record<string, unknown>;
  if ('error' in record && !errorCodes.includes(record.error as ErrorCode)) {
    throw invalidScript(`${path}.error`, `must be one of ${errorCodes.join(', ')}`);
  }
  if ('hang' in record && record.hang !== true) throw invalidScript(`${path}.hang`, 'must be true');
  if ('delayMs' in record && (typeof record.delayMs !== 'number' || record.delayMs < 0)) {
    throw invalidScript(`${path}.delayMs`, 'must be a number ≥ 0');
  }
}

/**
 * Checks a script's shape (so a config typo fails at load, naming the field),
 * not its kind-specific content.
 */
export function validateScript<Step, Request>(script: unknown, path = 'script'): MockScript<Step, Request> {
  if (typeof script === 'function') return script as MockScript<Step, Request>;
  if (Array.isArray(script)) {
    if (script.length === 0) throw invalidScript(path, 'a sequence needs at least one step');
    script.forEach((step, index) => {
      checkStep(step, `${path}.${index}`);
    });
    return script as MockScript<Step, Request>;
  }
  checkStep(script, path);
  return script as MockScript<Step, Request>;
}
