// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { mockFactories } from '@patchbay/testing';
import { afterEach } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { PatchbayConfigInput } from './routing-config.js';

export const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

/** A mock language model provider that plays `script`. */
export const llm = (script: unknown) => ({ kind: 'llm' as const, vendor: 'mock', settings: { script } });

/**
 * Returns a maker of patchbays on the mock factories (no env). After each test it closes every patchbay it made,
 * then runs `cleanUp`.
 */
export function closingPatchbays(cleanUp: () => void): (config: PatchbayConfigInput) => Patchbay {
  let open: Patchbay[] = [];
  afterEach(() => {
    for (const instance of open) instance.close();
    open = [];
    cleanUp();
  });
  return (config) => {
    const instance = createPatchbay({ config, factories: mockFactories, env: false });
    open.push(instance);
    return instance;
  };
}
