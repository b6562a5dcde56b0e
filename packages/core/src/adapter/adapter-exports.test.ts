// `@patchbay/core/adapter` hands adapter authors the root's very classes and values (not copies), so an error an
// adapter throws is the application's `PatchbayError` and a `Secret` it takes is the application's `Secret`.
// Tests run against sources: these are the two entries' source modules (see vitest.config.ts).
import { describe, expect, it } from 'vitest';
import * as root from '../index.js';
import * as adapter from './index.js';

const rootExports = root as Record<string, unknown>;
const adapterExports = adapter as Record<string, unknown>;

describe('@patchbay/core/adapter', () => {
  it('re-exports the root’s very PatchbayError, Secret, errorCodes and scrubText', () => {
    for (const name of ['PatchbayError', 'Secret', 'errorCodes', 'scrubText']) {
      expect(adapterExports[name], name).toBeDefined();
      expect(adapterExports[name], name).toBe(rootExports[name]);
    }
  });

  it('shares every value both entries export, by identity', () => {
    const shared = Object.keys(adapterExports).filter((name) => name in rootExports);
    expect(shared).toEqual(expect.arrayContaining(['PatchbayError', 'Secret', 'errorCodes', 'scrubText']));
    for (const name of shared) expect(adapterExports[name], name).toBe(rootExports[name]);
  });

  it('so an error built with the adapter’s class is the root’s PatchbayError, and its Secret the root’s', () => {
    const error = new adapter.PatchbayError({ code: 'auth', message: 'refused' });
    expect(error).toBeInstanceOf(root.PatchbayError);
    expect(root.PatchbayError.isInstance(error)).toBe(true);
    expect(new adapter.Secret('value-1234')).toBeInstanceOf(root.Secret);
    expect(adapter.errorCodes).toContain('limit_exceeded');
  });
});

describe('@patchbay/core/errors', () => {
  it('shares every value it has in common with the root and with /adapter, by identity', async () => {
    const errors = (await import('../errors/index.js')) as Record<string, unknown>;
    for (const name of ['PatchbayError', 'AllProvidersFailedError', 'errorCodes', 'toPatchbayError']) {
      expect(errors[name], name).toBeDefined();
    }
    for (const name of Object.keys(errors)) {
      if (name in rootExports) expect(errors[name], name).toBe(rootExports[name]);
      if (name in adapterExports) expect(errors[name], name).toBe(adapterExports[name]);
    }
    expect(errors.durationOption).toBe(adapter.durationOption);
  });
});
