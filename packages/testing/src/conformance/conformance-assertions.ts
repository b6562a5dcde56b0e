import type { ErrorCode } from '@patchbay/core';
import { PatchbayError } from '@patchbay/core/adapter';
import type { RecordedRequest, VendorSimulator } from '../simulators/framework/index.js';
import { assert, inspect } from './lazy-node.js';

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return inspect(value, { depth: 2 });
}

/** Awaits a call that must fail and returns its error, asserting it is a PatchbayError of this provider. */
export async function expectFailure(
  promise: Promise<unknown>,
  expected: { provider: string; code?: ErrorCode | undefined; retryable?: boolean | undefined; what: string },
): Promise<PatchbayError> {
  let failed = false;
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    failed = true;
    caught = error;
  }
  assert.ok(failed, `${expected.what}: expected the call to fail, but it succeeded`);
  assert.ok(
    PatchbayError.isInstance(caught),
    `${expected.what}: expected a PatchbayError, got ${describeValue(caught)}`,
  );
  const error = caught as PatchbayError;
  if (expected.code !== undefined) {
    assert.equal(
      error.code,
      expected.code,
      `${expected.what}: expected code "${expected.code}", got "${error.code}" (${error.message})`,
    );
  }
  if (expected.retryable !== undefined) {
    assert.equal(error.retryable, expected.retryable, `${expected.what}: retryable`);
  }
  assert.equal(error.provider, expected.provider, `${expected.what}: error.provider must be the provider id`);
  return error;
}

/** Every way a value gets printed or logged by accident. */
export function printedForms(value: unknown): string[] {
  const forms = [inspect(value, { depth: 5 }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) forms.push(String(value), value.stack ?? '');
  return forms;
}

export function assertNoSecret(value: unknown, secret: string, what: string): void {
  for (const form of printedForms(value)) {
    assert.ok(!form.includes(secret), `${what} reveals the API key: ${form.slice(0, 400)}`);
  }
}

/**
 * Whether a recorded request carries the key: in any header (also inside a
 * Basic authorization), the query string, or the body.
 */
export function requestCarriesKey(request: RecordedRequest, key: string): boolean {
  const texts: string[] = [request.query.toString(), request.body.toString('utf8')];
  for (const value of Object.values(request.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined) continue;
      texts.push(item);
      const basic = /^Basic\s+(.+)$/i.exec(item);
      if (basic?.[1]) texts.push(Buffer.from(basic[1], 'base64').toString('utf8'));
    }
  }
  return texts.some((text) => text.includes(key) || text.includes(encodeURIComponent(key)));
}

/** Polls until the simulator has recorded `count` requests (real time, bounded). */
export async function waitForRequests(simulator: VendorSimulator, count: number, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (simulator.requests.length < count) {
    if (Date.now() - started > timeoutMs) {
      assert.fail(`the simulator received ${simulator.requests.length} requests, expected ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The PatchbayError a promise rejects with: the one `failure()` helper every package's tests use.
 * The test fails when the promise resolves or rejects with anything that is not a PatchbayError.
 */
export async function failureOf(promise: Promise<unknown>): Promise<PatchbayError> {
  try {
    await promise;
  } catch (error) {
    if (PatchbayError.isInstance(error)) return error;
    throw new Error(`expected a PatchbayError, got ${describeValue(error)}`, { cause: error });
  }
  throw new Error('expected the call to fail');
}
