import type NodeAssert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { InspectOptions } from 'node:util';

// `node:assert` and `node:util` are loaded when a suite first asserts, not when the package root is imported:
// together they are a tenth of the root's cold import, and most importers only want mocks or the fake clock.
const load = createRequire(import.meta.url);
let nodeAssert: typeof NodeAssert | undefined;
const real = (): typeof NodeAssert => {
  nodeAssert ??= load('node:assert/strict') as typeof NodeAssert;
  return nodeAssert;
};

/** `node:assert/strict`, loaded on first use. */
export const assert: typeof NodeAssert = new Proxy((() => {}) as unknown as typeof NodeAssert, {
  apply: (_target, _this, args: Parameters<typeof NodeAssert>) => real()(...args),
  get: (_target, key) => Reflect.get(real(), key),
});

/** `util.inspect`, loaded on first use. */
export function inspect(value: unknown, options?: InspectOptions): string {
  return (load('node:util') as typeof import('node:util')).inspect(value, options);
}
