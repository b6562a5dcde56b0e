import { mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LimitGate } from '../limits/limit-gate.js';
import { createPatchbay } from '../patchbay.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

/** Counts every way the executor can consult the limit gate. */
function gateSpies() {
  const spies = [
    vi.spyOn(LimitGate.prototype, 'hasCallLimits', 'get'),
    vi.spyOn(LimitGate.prototype, 'hasProviderLimits'),
    vi.spyOn(LimitGate.prototype, 'admitCall'),
    vi.spyOn(LimitGate.prototype, 'admitAttempt'),
  ];
  return () => spies.reduce((total, spy) => total + spy.mock.calls.length, 0);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a route resolved from a configuration without limits (limited: false)', () => {
  it('never consults the limit gate: first call, failover loop and stream; routes re-resolve when limits come and go', async () => {
    const consulted = gateSpies();
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock', settings: { script: [{ error: 'unavailable' }, { text: 'ok' }] } },
          b: { kind: 'llm', vendor: 'mock' },
        },
        routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
      },
    });
    try {
      // a fails, b serves (the failover loop); then a serves at once (the first-call path); then a stream.
      expect(await pb.llm.generate(request)).toMatchObject({ provider: 'b' });
      expect(await pb.llm.generate(request)).toMatchObject({ provider: 'a' });
      await pb.tenant('acme').llm.generate(request);
      const streamed = await pb.llm.stream(request);
      for await (const _part of streamed.stream) {
        // drained
      }
      expect(consulted()).toBe(0);

      // With limits configured the same routes ask the gate (the spies see it)…
      await pb.updateConfig({ limits: { rpm: { metric: 'requests', max: 100, window: 'minute' } } });
      await pb.llm.generate(request);
      expect(consulted()).toBeGreaterThan(0);

      // …and once they are removed, not any more.
      await pb.updateConfig({ limits: { rpm: null } });
      const before = consulted();
      await pb.llm.generate(request);
      await pb.tenant('acme').llm.generate(request);
      expect(consulted()).toBe(before);
    } finally {
      await pb.close();
    }
  });
});
