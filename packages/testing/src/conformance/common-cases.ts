import type { BaseProvider, CallOptions } from '@patchbay/core';
import { PatchbayError } from '@patchbay/core/adapter';
import type { RecordedRequest, VendorSimulator } from '../simulators/framework/index.js';
import { assertNoSecret, expectFailure, requestCarriesKey, waitForRequests } from './conformance-assertions.js';
import type { ConformanceCase } from './conformance-case.js';
import { assert, inspect } from './lazy-node.js';

/** What a conformance suite passes to `create`: enough to point the adapter at the simulator. */
export interface ConformanceSettings {
  baseURL: string;
  /** `undefined` (with an empty `env`) means missing credentials. */
  apiKey?: string | undefined;
  env: Record<string, string | undefined>;
  id: string;
}

/** Options every kind's suite takes. */
export interface ConformanceOptions<P extends BaseProvider> {
  /** A started simulator (the adapter's test starts and closes it). */
  simulator: () => VendorSimulator;
  create: (settings: ConformanceSettings) => P;
  /** A key the simulator accepts. */
  validApiKey: string;
  /** A key the simulator rejects with 401; without it, a 401 is injected. */
  invalidApiKey?: string | undefined;
  /** Where faults are injected (default: the next request, whatever its path). */
  faultPath?: string | RegExp | undefined;
  /** The vendor name results must report (default: `provider.vendor`). */
  vendor?: string | undefined;
  /** The provider id the suite gives the adapter (default `conformance-<kind>`). */
  id?: string | undefined;
  /** A second key for the rotation case (default a fixed string); the simulator may reject it. */
  rotatedApiKey?: string | undefined;
  /** The settings patch that rotates the key (default `{ apiKey }`). */
  rotate?: ((apiKey: string) => Record<string, unknown>) | undefined;
  /** A patch the adapter must refuse and the field its error must name (default `{ baseURL: 12345 }`). */
  invalidPatch?: { patch: Record<string, unknown>; field: string } | undefined;
  /** Whether a recorded request carries the key (default: any header, Basic auth, query or body). */
  keyInRequest?: ((request: RecordedRequest, apiKey: string) => boolean) | undefined;
  /** Case ids to leave out, with a reason in your test file. */
  skip?: readonly string[] | undefined;
  /**
   * Also check the key when it comes from the environment (`env`) rather than
   * settings [`secrets-environment`]. On whenever `apiKeyEnv` is given.
   */
  environmentSecrets?: boolean | undefined;
  /** The environment variable the adapter reads its key from, for `secrets-environment`. */
  apiKeyEnv?: string | undefined;
}

/** How one kind is called and what its success looks like. */
export interface KindSpec<P extends BaseProvider, R> {
  kind: string;
  /** One call to the vendor. */
  call: (provider: P, options: CallOptions) => Promise<R>;
  checkSuccess: (result: R, provider: P, expected: { id: string; vendor: string }) => void;
  /** A 200 with an unreadable body must fail (JSON answers); binary answers may pass it through. */
  malformedMustFail: boolean;
  /** Calls have side effects (messaging): a timeout after sending must say its outcome is unknown. */
  sideEffects: boolean;
}

export interface SuiteContext<P extends BaseProvider> {
  simulator: VendorSimulator;
  id: string;
  make(apiKey: string | undefined, env?: Record<string, string | undefined>): P;
  carriesKey(request: RecordedRequest, apiKey: string): boolean;
}

const defaultRotatedKey = 'pb-conformance-rotated-7f3c9a51';

/** Wraps a case body: fresh simulator state before, no faults left after. */
export function caseFactory<P extends BaseProvider>(options: ConformanceOptions<P>, kind: string) {
  const id = options.id ?? `conformance-${kind}`;
  const skip = new Set(options.skip ?? []);
  const cases: ConformanceCase[] = [];
  const add = (caseId: string, name: string, body: (context: SuiteContext<P>) => Promise<void>) => {
    if (skip.has(caseId)) return;
    cases.push({
      id: caseId,
      name: `${kind} conformance: ${name}`,
      run: async () => {
        const simulator = options.simulator();
        simulator.reset();
        const context: SuiteContext<P> = {
          simulator,
          id,
          make: (apiKey, env = {}) => options.create({ baseURL: simulator.url, apiKey, env, id }),
          carriesKey: (request, apiKey) => (options.keyInRequest ?? requestCarriesKey)(request, apiKey),
        };
        try {
          await body(context);
        } finally {
          simulator.clearFaults();
        }
      },
    });
  };
  return { id, cases, add };
}

/** The cases every kind shares: errors, aborts, secrets, configuration and health. */
export function commonCases<P extends BaseProvider, R>(
  options: ConformanceOptions<P>,
  spec: KindSpec<P, R>,
): ConformanceCase[] {
  const { cases, add } = caseFactory(options, spec.kind);
  const faultPath = options.faultPath;
  const inject = (simulator: VendorSimulator, fault: Parameters<VendorSimulator['inject']>[0]) =>
    simulator.inject(fault, faultPath === undefined ? {} : { path: faultPath });
  // The request the fault holds is the one on the fault path: a vendor that asks for a token first has
  // already received that one, and acting on it would race the call's own request.
  const waitForFaulted = async (simulator: VendorSimulator) => {
    if (faultPath === undefined) return waitForRequests(simulator, 1);
    const started = Date.now();
    while (simulator.requestsTo(faultPath).length === 0) {
      if (Date.now() - started > 2_000) assert.fail(`the simulator received no request on ${String(faultPath)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  add('success', 'a call succeeds, reports provider, vendor and usage, and sends the key', async (context) => {
    const provider = context.make(options.validApiKey);
    const result = await spec.call(provider, {});
    spec.checkSuccess(result, provider, { id: context.id, vendor: options.vendor ?? provider.vendor });
    assert.ok(context.simulator.requests.length > 0, 'the simulator received no request');
    assert.ok(
      context.simulator.requests.some((request) => context.carriesKey(request, options.validApiKey)),
      'no request carried the API key',
    );
  });

  add('auth', 'a rejected key fails with auth, not retryable, without printing the key', async (context) => {
    const key = options.invalidApiKey ?? options.validApiKey;
    const provider = context.make(key);
    if (options.invalidApiKey === undefined) inject(context.simulator, { type: 'status', status: 401 });
    const error = await expectFailure(spec.call(provider, {}), {
      provider: context.id,
      code: 'auth',
      retryable: false,
      what: '401',
    });
    assert.equal(error.status, 401, 'error.status');
    assertNoSecret(error, key, 'the auth error');
  });

  add(
    'rate-limited',
    '429 with Retry-After: 2 fails with rate_limited, retryable, retryAfterMs 2000',
    async (context) => {
      const provider = context.make(options.validApiKey);
      inject(context.simulator, { type: 'status', status: 429, retryAfterSeconds: 2 });
      const error = await expectFailure(spec.call(provider, {}), {
        provider: context.id,
        code: 'rate_limited',
        retryable: true,
        what: '429',
      });
      assert.equal(error.retryAfterMs, 2000, 'error.retryAfterMs');
      assert.equal(error.status, 429, 'error.status');
    },
  );

  for (const status of [500, 503]) {
    add(`status-${status}`, `${status} fails with unavailable, retryable`, async (context) => {
      const provider = context.make(options.validApiKey);
      inject(context.simulator, { type: 'status', status });
      const error = await expectFailure(spec.call(provider, {}), {
        provider: context.id,
        code: 'unavailable',
        retryable: true,
        what: String(status),
      });
      assert.equal(error.status, status, 'error.status');
    });
  }

  add('connection-reset', 'a dropped connection fails with connection, retryable', async (context) => {
    const provider = context.make(options.validApiKey);
    inject(context.simulator, { type: 'reset' });
    await expectFailure(spec.call(provider, {}), {
      provider: context.id,
      code: 'connection',
      retryable: true,
      what: 'connection reset',
    });
  });

  add('malformed', 'an unreadable 200 body becomes a PatchbayError, never a raw error', async (context) => {
    const provider = context.make(options.validApiKey);
    inject(context.simulator, { type: 'malformed' });
    if (spec.malformedMustFail) {
      await expectFailure(spec.call(provider, {}), { provider: context.id, what: 'malformed body' });
      return;
    }
    try {
      await spec.call(provider, {});
    } catch (error) {
      assert.ok(PatchbayError.isInstance(error), `malformed body: expected a PatchbayError, got ${inspect(error)}`);
      assert.equal(error.provider, context.id, 'error.provider');
    }
  });

  add('abort', 'a caller abort of a hung request fails with aborted within 2 s', async (context) => {
    const provider = context.make(options.validApiKey);
    inject(context.simulator, { type: 'hang' });
    const controller = new AbortController();
    const pending = spec.call(provider, { signal: controller.signal });
    await waitForFaulted(context.simulator);
    const aborted = Date.now();
    controller.abort();
    await expectFailure(pending, { provider: context.id, code: 'aborted', retryable: false, what: 'abort' });
    assert.ok(Date.now() - aborted < 2_000, `the call took ${Date.now() - aborted} ms to stop after the abort`);
  });

  add('timeout', 'a hung request whose signal times out fails with timeout', async (context) => {
    const provider = context.make(options.validApiKey);
    inject(context.simulator, { type: 'hang' });
    const controller = new AbortController();
    const pending = spec.call(provider, { signal: controller.signal });
    await waitForFaulted(context.simulator);
    controller.abort(new DOMException('The attempt timed out', 'TimeoutError'));
    const error = await expectFailure(pending, { provider: context.id, code: 'timeout', what: 'timeout' });
    if (spec.sideEffects) {
      assert.equal(error.outcomeUnknown, true, 'a timeout after the request was sent must set outcomeUnknown');
    }
  });

  add('secrets', 'the key never shows in JSON, inspect, getConfig or a failing call’s error', async (context) => {
    const provider = context.make(options.validApiKey);
    assertNoSecret(provider, options.validApiKey, 'the provider');
    assertNoSecret(provider.getConfig(), options.validApiKey, 'getConfig()');
    // After calls too: a cached SDK client or credential must not show either.
    await spec.call(provider, {});
    inject(context.simulator, { type: 'status', status: 500 });
    const error = await expectFailure(spec.call(provider, {}), { provider: context.id, what: '500' });
    assertNoSecret(error, options.validApiKey, 'the error of a failing call');
    const health = await provider.test();
    assertNoSecret(health, options.validApiKey, 'the test() result');
    assertNoSecret(provider, options.validApiKey, 'the provider after calls');
    assertNoSecret(provider.getConfig(), options.validApiKey, 'getConfig() after calls');
  });

  if (options.environmentSecrets ?? options.apiKeyEnv !== undefined) {
    add(
      'secrets-environment',
      'a key from the environment never shows in JSON, inspect or getConfig',
      async (context) => {
        assert.ok(options.apiKeyEnv, 'secrets-environment needs `apiKeyEnv`, the variable the adapter reads');
        const provider = context.make(undefined, { [options.apiKeyEnv]: options.validApiKey });
        await spec.call(provider, {});
        assertNoSecret(provider, options.validApiKey, 'the provider');
        assertNoSecret(provider.getConfig(), options.validApiKey, 'getConfig()');
        assertNoSecret(await provider.test(), options.validApiKey, 'the test() result');
      },
    );
  }

  add(
    'missing-credentials',
    'a call without credentials fails with not_configured before any request',
    async (context) => {
      const provider = context.make(undefined, {});
      await expectFailure(spec.call(provider, {}), {
        provider: context.id,
        code: 'not_configured',
        retryable: false,
        what: 'missing credentials',
      });
      assert.equal(context.simulator.requests.length, 0, 'a request was sent without credentials');
    },
  );

  add('update-config-invalid', 'an invalid updateConfig patch names the field and changes nothing', async (context) => {
    const provider = context.make(options.validApiKey);
    const invalid = options.invalidPatch ?? { patch: { baseURL: 12345 }, field: 'baseURL' };
    const before = provider.getConfig();
    // Not `expectFailure`: core raises settings errors before attaching the provider id.
    let error: unknown;
    try {
      await provider.updateConfig(invalid.patch);
    } catch (caught) {
      error = caught;
    }
    assert.ok(
      PatchbayError.isInstance(error),
      `updateConfig() must reject with a PatchbayError, got ${inspect(error)}`,
    );
    assert.equal(error.code, 'invalid_request', 'error.code');
    assert.ok(error.message.includes(invalid.field), `the error must name "${invalid.field}": ${error.message}`);
    assert.deepEqual(provider.getConfig(), before, 'getConfig() changed after a rejected patch');
    await spec.call(provider, {});
  });

  add(
    'update-config-rotation',
    'a rotated key applies to the next call while the in-flight call keeps the old one',
    async (context) => {
      const rotated = options.rotatedApiKey ?? defaultRotatedKey;
      const provider = context.make(options.validApiKey);
      inject(context.simulator, { type: 'delay', ms: 300 });
      const inFlight = spec.call(provider, {});
      await waitForFaulted(context.simulator);
      await provider.updateConfig((options.rotate ?? ((apiKey) => ({ apiKey })))(rotated));
      const next = spec.call(provider, {}).then(
        () => undefined,
        (error: unknown) => error,
      );
      await inFlight;
      const nextError = await next;
      if (nextError !== undefined) {
        assert.ok(PatchbayError.isInstance(nextError), `the next call failed with a raw error: ${inspect(nextError)}`);
        if (options.rotatedApiKey !== undefined)
          assert.fail(`the call with the rotated key failed: ${nextError.message}`);
      }
      const [first, ...later] = context.simulator.requests;
      assert.ok(first && context.carriesKey(first, options.validApiKey), 'the in-flight call did not use the old key');
      assert.ok(!context.carriesKey(first, rotated), 'the in-flight call used the new key');
      assert.ok(
        later.some((request) => context.carriesKey(request, rotated)),
        'the call after updateConfig did not use the new key',
      );
      assert.ok(
        !later.some((request) => context.carriesKey(request, options.validApiKey)),
        'a call after updateConfig still used the old key',
      );
    },
  );

  add('test-connected', 'test() reports connected with a valid key', async (context) => {
    const provider = context.make(options.validApiKey);
    const health = await provider.test();
    assert.equal(health.status, 'connected', `test(): ${health.message}`);
    assert.equal(health.healthy, true);
    assert.ok(context.simulator.requests.length > 0, 'test() made no request to the vendor');
  });

  add('test-auth', 'test() reports error with code auth for a rejected key', async (context) => {
    const provider = context.make(options.invalidApiKey ?? options.validApiKey);
    if (options.invalidApiKey === undefined) context.simulator.inject({ type: 'status', status: 401 });
    const health = await provider.test();
    assert.equal(health.status, 'error', `test(): ${health.message}`);
    assert.equal(health.healthy, false);
    assert.equal(health.code, 'auth');
  });

  add('test-not-configured', 'test() reports not_configured with no key and an empty environment', async (context) => {
    const provider = context.make(undefined, {});
    const health = await provider.test();
    assert.equal(health.status, 'not_configured', `test(): ${health.message}`);
    assert.equal(health.healthy, false);
    assert.equal(context.simulator.requests.length, 0, 'test() sent a request without credentials');
  });

  return cases;
}

/** How a streaming kind opens a stream. */
export interface StreamSpec<P extends BaseProvider, R extends { stream: AsyncIterable<T> }, T> {
  kind: string;
  open: (provider: P, options: CallOptions) => Promise<R>;
  checkStream: (result: R, parts: T[], provider: P, expected: { id: string; vendor: string }) => void;
  /** Chunks the simulator sends before the cut (enough for at least one part). */
  cutAfterChunks: number;
  faultPath?: string | RegExp | undefined;
}

export function streamCases<P extends BaseProvider, R extends { stream: AsyncIterable<T> }, T>(
  options: ConformanceOptions<P>,
  spec: StreamSpec<P, R, T>,
): ConformanceCase[] {
  const { cases, add } = caseFactory(options, spec.kind);
  const faultPath = spec.faultPath ?? options.faultPath;

  add('stream-success', 'a stream delivers its parts in order and ends cleanly', async (context) => {
    const provider = context.make(options.validApiKey);
    const result = await spec.open(provider, {});
    const parts: T[] = [];
    for await (const part of result.stream) parts.push(part);
    assert.ok(parts.length > 0, 'the stream delivered nothing');
    spec.checkStream(result, parts, provider, { id: context.id, vendor: options.vendor ?? provider.vendor });
  });

  add('stream-cut', 'a stream cut mid-way fails with stream_cut after at least one part', async (context) => {
    const provider = context.make(options.validApiKey);
    context.simulator.inject(
      { type: 'stream-cut', afterChunks: spec.cutAfterChunks },
      faultPath === undefined ? {} : { path: faultPath },
    );
    let result: R;
    try {
      result = await spec.open(provider, {});
    } catch (error) {
      assert.fail(
        `stream() failed before its first part (${inspect(error)}); make the simulator send more than ${spec.cutAfterChunks} chunks`,
      );
    }
    let parts = 0;
    const error = await expectFailure(
      (async () => {
        for await (const _part of result.stream) parts++;
      })(),
      { provider: context.id, code: 'stream_cut', what: 'stream cut' },
    );
    assert.ok(parts >= 1, `expected at least one part before the cut, got ${parts}`);
    assert.equal(error.retryable, true);
  });

  return cases;
}
