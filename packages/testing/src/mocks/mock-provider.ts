import type { CallOptions, CredentialStore, HealthStatus, ProviderKind } from '@patchbay/core';
import {
  AbstractProvider,
  type ConnectionCheck,
  type CredentialsOf,
  defineCredentials,
  PatchbayError,
  type ResolvedCredentials,
  Secret,
  secretInput,
  sleep,
} from '@patchbay/core/adapter';
import { z } from 'zod';
import {
  isFailureStep,
  isHangStep,
  type MockCall,
  type MockFailureStep,
  type MockHangStep,
  type MockMethod,
  type MockScript,
  stepFor,
  validateScript,
} from './mock-script.js';

/** What a mock's `test()` reports; `undefined` means connected whenever its credentials resolve. */
export type MockHealth = HealthStatus;

const mockCredentialFields = { apiKey: z.string().min(1).optional() };

/** The mocks' one optional credential, read from the `apiKey` setting, the tenant store, or `MOCK_API_KEY`. */
export const mockCredentials = defineCredentials({
  fields: mockCredentialFields,
  env: { apiKey: ['MOCK_API_KEY'] },
  secret: ['apiKey'],
});

export type MockCredentials = CredentialsOf<typeof mockCredentialFields>;

/** Settings every mock validates; kinds add their own fields. A function: schemas are built on first use. */
export const mockSettingsShape = () => ({
  model: z.string().min(1).default('mock-model'),
  apiKey: secretInput.optional(),
  /** A missing key makes calls and `test()` fail with `not_configured`. */
  requireApiKey: z.boolean().default(false),
  /** When set, only these keys are accepted; any other key fails with `auth` (401). Implies a key is required. */
  acceptedApiKeys: z.array(z.string().min(1)).min(1).optional(),
});

export interface MockBaseSettings extends Record<string, unknown> {
  model: string;
  apiKey?: string | Secret | undefined;
  requireApiKey: boolean;
  acceptedApiKeys?: string[] | undefined;
}

/** Options every mock takes besides its kind's own. */
export interface MockProviderOptions<Step, Request> {
  id?: string | undefined;
  vendor?: string | undefined;
  model?: string | undefined;
  script?: MockScript<Step, Request> | undefined;
  health?: MockHealth | undefined;
  apiKey?: string | Secret | undefined;
  requireApiKey?: boolean | undefined;
  acceptedApiKeys?: string[] | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

/** Keys of the options that are not settings (handled by the mock itself). */
const nonSettingKeys = new Set([
  'id',
  'vendor',
  'script',
  'health',
  'capabilities',
  'credentialStore',
  'env',
  'channel',
]);

export function settingsOf(options: object): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!nonSettingKeys.has(key) && value !== undefined) settings[key] = value;
  }
  return settings;
}

const healthValues: readonly MockHealth[] = ['connected', 'not_configured', 'error'];

function invalidField(path: string, message: string): PatchbayError {
  return new PatchbayError({
    code: 'invalid_request',
    message: `Invalid mock settings — ${path}: ${message}`,
    details: { issues: [{ path, message }] },
  });
}

function checkHealth(value: unknown): MockHealth | undefined {
  if (value === undefined || value === null) return undefined;
  if (!healthValues.includes(value as MockHealth)) throw invalidField('health', `must be one of ${healthValues}`);
  return value as MockHealth;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves when the signal aborts (rejecting with its reason); never settles without one. */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** What a successful step resolves to before the kind builds its result. */
export interface MockTurn<Step, Request, S> {
  call: MockCall<Request>;
  step: Exclude<Step, MockFailureStep | MockHangStep>;
  settings: S;
  signal: AbortSignal | undefined;
}

/**
 * The half all mocks share: a real provider (settings schema, redaction, atomic
 * updates, per-call credentials) whose calls follow a script and are recorded.
 */
export abstract class MockProvider<
  S extends MockBaseSettings,
  Step,
  Request,
  Capabilities extends object,
> extends AbstractProvider<S, MockCredentials> {
  /** Every call since construction or `reset()`, updated in place when it settles. */
  readonly calls: MockCall<Request>[] = [];
  #script: MockScript<Step, Request>;
  readonly #defaultScript: MockScript<Step, Request>;
  #position = 0;
  #health: MockHealth | undefined;
  #capabilities: Capabilities;
  readonly #defaultCapabilities: Capabilities;

  protected constructor(init: {
    id: string;
    vendor: string;
    kind: ProviderKind;
    schema: z.ZodType<S>;
    options: MockProviderOptions<Step, Request> & { capabilities?: Partial<Capabilities> | undefined };
    defaultStep: Step;
    defaultCapabilities: Capabilities;
  }) {
    const { options } = init;
    super({
      id: init.id,
      vendor: init.vendor,
      schema: init.schema,
      settings: settingsOf(options),
      credentials: mockCredentials,
      runtime: { credentialStore: options.credentialStore, env: options.env },
      secretSettings: ['acceptedApiKeys'],
    });
    this.#defaultScript = init.defaultStep;
    this.#script = options.script === undefined ? init.defaultStep : validateScript<Step, Request>(options.script);
    this.#health = checkHealth(options.health);
    this.#defaultCapabilities = init.defaultCapabilities;
    this.#capabilities = { ...init.defaultCapabilities, ...options.capabilities };
  }

  get capabilities(): Capabilities {
    return this.#capabilities;
  }

  get callCount(): number {
    return this.calls.length;
  }

  /** The most recent call, if any. */
  get lastCall(): MockCall<Request> | undefined {
    return this.calls.at(-1);
  }

  /** Replaces the script; a sequence starts again at its first step. */
  setScript(script: MockScript<Step, Request>): void {
    this.#script = validateScript<Step, Request>(script);
    this.#position = 0;
  }

  setHealth(health: MockHealth | undefined): void {
    this.#health = checkHealth(health);
  }

  /** Forgets recorded calls and restarts the script's sequence. */
  reset(): void {
    this.calls.length = 0;
    this.#position = 0;
  }

  /**
   * Settings swap atomically as in every provider; `script`, `health` and
   * `capabilities` may be patched too (configuration reloads send them), and an
   * invalid patch changes nothing.
   */
  override async updateConfig(patch: Record<string, unknown>): Promise<void> {
    const { script, health, capabilities, ...rest } = patch;
    const nextScript =
      script === undefined
        ? this.#script
        : script === null
          ? this.#defaultScript
          : validateScript<Step, Request>(script);
    const nextHealth = health === undefined ? this.#health : checkHealth(health);
    if (capabilities !== undefined && capabilities !== null && !isPlainObject(capabilities)) {
      throw invalidField('capabilities', 'must be an object');
    }
    await super.updateConfig(rest);
    if (nextScript !== this.#script) this.#position = 0;
    this.#script = nextScript;
    this.#health = nextHealth;
    if (capabilities === null) this.#capabilities = this.#defaultCapabilities;
    else if (capabilities !== undefined) {
      this.#capabilities = { ...this.#defaultCapabilities, ...(capabilities as Partial<Capabilities>) };
    }
  }

  /** What JSON sees: the redacted configuration, never a secret. */
  override toJSON(): Record<string, unknown> {
    return { ...this.getConfig(), callCount: this.callCount };
  }

  protected async checkConnection(context: {
    settings: S;
    credentials: ResolvedCredentials<MockCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    this.#checkCredentials(context.settings, context.credentials, undefined);
    if (context.signal?.aborted) throw this.toError(context.signal.reason, context.signal);
    if (this.#health === 'error') {
      throw new PatchbayError({
        code: 'unavailable',
        message: `Mock provider "${this.id}" is scripted to be unhealthy`,
        provider: this.id,
        vendor: this.vendor,
        status: 503,
      });
    }
    if (this.#health === 'not_configured') {
      throw new PatchbayError({
        code: 'not_configured',
        message: `Mock provider "${this.id}" is scripted to be not configured`,
        provider: this.id,
        vendor: this.vendor,
      });
    }
    return { message: `Mock provider "${this.id}" connected`, details: { model: context.settings.model } };
  }

  #checkCredentials(settings: S, credentials: ResolvedCredentials<MockCredentials>, tenant: string | undefined): void {
    const key = credentials.values.apiKey;
    if (key === undefined && (settings.requireApiKey || settings.acceptedApiKeys !== undefined)) {
      const sourcesTried = this.credentialResolver.describeSources(tenant);
      throw new PatchbayError({
        code: 'not_configured',
        provider: this.id,
        vendor: this.vendor,
        message: `Credentials for provider "${this.id}" are not configured; missing: apiKey (tried ${sourcesTried.join(', ')})`,
        details: { missing: ['apiKey'], invalid: [], sourcesTried },
      });
    }
    if (key !== undefined && settings.acceptedApiKeys !== undefined && !settings.acceptedApiKeys.includes(key)) {
      throw new PatchbayError({
        code: 'auth',
        provider: this.id,
        vendor: this.vendor,
        status: 401,
        message: `Mock provider "${this.id}" rejected the API key`,
      });
    }
  }

  /** A PatchbayError for a scripted failure, attributed to this mock. */
  protected failure(step: MockFailureStep): PatchbayError {
    return new PatchbayError({
      code: step.error,
      message: step.message ?? `Mock provider "${this.id}" failed with ${step.error}`,
      provider: this.id,
      vendor: this.vendor,
      status: step.status,
      retryable: step.retryable,
      retryAfterMs: step.retryAfterMs,
      outcomeUnknown: step.outcomeUnknown,
      vendorCode: step.vendorCode,
    });
  }

  /** Records the call as settled. */
  protected settle(call: MockCall<Request>, error?: PatchbayError): void {
    if (call.outcome !== 'pending') return;
    call.outcome = error ? 'error' : 'success';
    call.error = error;
    call.settledAt = Date.now();
  }

  /**
   * Records a call, resolves its credentials, takes its script step, waits its
   * latency, and either throws the scripted failure or hands the step on.
   */
  protected async begin(
    method: MockMethod,
    request: Request,
    options: CallOptions = {},
  ): Promise<MockTurn<Step, Request, S>> {
    const signal = options.signal;
    const call: MockCall<Request> = {
      index: this.calls.length,
      method,
      request,
      tenant: options.tenant,
      correlationId: options.correlationId,
      signal,
      startedAt: Date.now(),
      outcome: 'pending',
    };
    this.calls.push(call);
    try {
      if (signal?.aborted) throw signal.reason;
      const settings = this.settings;
      const credentials = await this.resolveCredentials(settings, options);
      call.apiKey = credentials.values.apiKey === undefined ? undefined : new Secret(credentials.values.apiKey);
      call.credentialSources = credentials.sources;
      this.#checkCredentials(settings, credentials, options.tenant);
      const step = await stepFor(this.#script, this.#position++, call);
      const delayMs = (step as { delayMs?: unknown } | undefined)?.delayMs;
      if (typeof delayMs === 'number' && delayMs > 0) await sleep(delayMs, signal);
      if (signal?.aborted) throw signal.reason;
      if (isHangStep(step)) await untilAborted(signal);
      if (isFailureStep(step)) throw this.failure(step);
      return { call, step: (step ?? {}) as MockTurn<Step, Request, S>['step'], settings, signal };
    } catch (caught) {
      const error = this.toError(caught, signal);
      this.settle(call, error);
      throw error;
    }
  }

  /** Runs a call that settles when its result is built. */
  protected async run<R>(
    method: MockMethod,
    request: Request,
    options: CallOptions | undefined,
    build: (turn: MockTurn<Step, Request, S>) => R | Promise<R>,
  ): Promise<R> {
    const turn = await this.begin(method, request, options);
    try {
      const result = await build(turn);
      this.settle(turn.call);
      return result;
    } catch (caught) {
      const error = this.toError(caught, turn.signal);
      this.settle(turn.call, error);
      throw error;
    }
  }

  /** A `stream_cut` error for a scripted stream break. */
  protected streamCut(parts: number): PatchbayError {
    return new PatchbayError({
      code: 'stream_cut',
      message: `Mock provider "${this.id}" cut its stream after ${parts} parts`,
      provider: this.id,
      vendor: this.vendor,
    });
  }

  /**
   * Yields `parts` in order, honouring the signal, an optional delay between
   * parts and a scripted cut; settles the call when the stream ends.
   */
  protected async *relay<T>(
    call: MockCall<Request>,
    parts: readonly T[],
    options: { cutAfter?: number | undefined; chunkDelayMs?: number | undefined; signal: AbortSignal | undefined },
  ): AsyncGenerator<T> {
    const { cutAfter, chunkDelayMs, signal } = options;
    try {
      for (let index = 0; index < parts.length; index++) {
        if (cutAfter !== undefined && index >= cutAfter) throw this.streamCut(index);
        if (index > 0 && chunkDelayMs) await sleep(chunkDelayMs, signal);
        if (signal?.aborted) throw signal.reason;
        yield parts[index] as T;
      }
      this.settle(call);
    } catch (caught) {
      const error = this.toError(caught, signal);
      this.settle(call, error);
      throw error;
    } finally {
      // The consumer stopped early: the call itself did not fail.
      this.settle(call);
    }
  }
}

/** Splits into `count` nearly equal non-empty pieces. */
export function splitInto<T extends string | Uint8Array>(value: T, count: number): T[] {
  if (value.length === 0) return [];
  const size = Math.ceil(value.length / count);
  const pieces: T[] = [];
  for (let start = 0; start < value.length; start += size) pieces.push(value.slice(start, start + size) as T);
  return pieces;
}
