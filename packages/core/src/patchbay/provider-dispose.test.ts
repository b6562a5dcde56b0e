import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import type { CredentialStore } from '../credentials/credential-store.js';
import { createPatchbay } from '../patchbay.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** A store that counts who listens to its changes. */
function countingStore() {
  const listeners = new Set<() => void>();
  const store: CredentialStore = {
    get: (tenant) => ({ apiKey: `key-of-${tenant}` }),
    subscribe(listener) {
      const entry = () => listener({ tenant: '', provider: '' });
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
  return { store, listeners };
}

describe('instances dropped by Patchbay release their credential-store subscription', () => {
  it('evicted tenant scopes do not leave store listeners behind', async () => {
    const { store, listeners } = countingStore();
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      credentialStore: store,
      tenantLimits: { maxScopes: 2 },
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } },
        tenants: Object.fromEntries(
          Array.from({ length: 40 }, (_, index) => [
            `t${index}`,
            { providers: { main: { settings: { model: `m${index}` } } } },
          ]),
        ),
      },
    });
    for (let index = 0; index < 40; index++) await pb.tenant(`t${index}`).llm.generate(request);
    // The shared instance never called; at most the two live tenant scopes' instances listen.
    expect(listeners.size).toBeLessThanOrEqual(2);
    await pb.close();
    expect(listeners.size).toBe(0);
  });

  it('replaced instances (a new vendor under the same id) unsubscribe', async () => {
    const { store, listeners } = countingStore();
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      credentialStore: store,
      config: { providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } } },
    });
    await pb.llm.generate(request, { tenant: 'acme' });
    expect(listeners.size).toBe(1);
    for (let round = 0; round < 10; round++) {
      await pb.updateConfig({ providers: { main: null } });
      await pb.updateConfig({
        providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } },
      });
      await pb.llm.generate(request, { tenant: 'acme' });
    }
    expect(listeners.size).toBe(1);
    await pb.close();
  });
});
