import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Runs against the build (`./run test` builds first), in a fresh process: what importing the root loads.
const probe = `
const before = new Set(process.moduleLoadList);
await import('@patchbay/testing');
const loaded = process.moduleLoadList.filter((name) => !before.has(name));
process.stdout.write(JSON.stringify(loaded));`;

describe('importing @patchbay/testing', () => {
  it('loads neither node:assert nor node:http: conformance suites and simulators load them when used', () => {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
    });
    const loaded = JSON.parse(output) as string[];
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.filter((name) => /^NativeModule (assert|http|_http_\w+)$/.test(name))).toEqual([]);
  });
});
