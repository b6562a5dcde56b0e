import { type BreakerEvent, createPatchbay, type Patchbay } from '@patchbay/core';
import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { cluster, eventually, testRedisUrl } from './redis-test-support.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** One vendor seen by every instance: up or down, with in-flight calls counted across instances. */
function vendor() {
  const state = { up: false, inFlight: 0, maxInFlight: 0, calls: 0 };
  const script: Parameters<MockLanguageModel['setScript']>[0] = async () => {
    state.calls++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    state.inFlight--;
    return state.up ? { text: 'ok' } : { error: 'unavailable' as const };
  };
  return { state, script };
}

function instance(
  sharedState: Parameters<typeof createPatchbay>[0]['sharedState'],
  script: Parameters<MockLanguageModel['setScript']>[0],
) {
  const patchbay = createPatchbay({
    config: {
      providers: { flaky: { kind: 'llm', vendor: 'mock' } },
      defaults: {
        retry: { maxRetries: 0 },
        breaker: { minimumCalls: 1, failureThresholdPercent: 1, windowMs: 60_000, cooldownMs: 200 },
      },
    },
    factories: mockFactories,
    env: {},
    sharedState,
  });
  (patchbay.provider('flaky') as MockLanguageModel).setScript(script);
  const states: BreakerEvent['state'][] = [];
  patchbay.on('breaker', (event) => states.push(event.state));
  return { patchbay, states };
}

describe.skipIf(!testRedisUrl)('Shared breakers on a real redis-server', () => {
  it('one instance seeing the vendor down opens it everywhere; one half-open trial at a time cluster-wide', async () => {
    const shared = await cluster(3);
    const { state, script } = vendor();
    const instances = shared.members.map((member) => instance(member, script));
    const patchbays: Patchbay[] = instances.map((entry) => entry.patchbay);
    try {
      await expect(patchbays[0]?.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
      await eventually(() => instances.every((entry) => entry.states[0] === 'open'), 'every instance opens');
      // Open everywhere: the other instances skip the vendor without calling it.
      await expect(patchbays[1]?.llm.generate(request)).rejects.toMatchObject({ name: 'AllProvidersFailedError' });
      expect(state.calls).toBe(1);

      // Through several cool-downs, every instance keeps calling; the vendor never sees two trials at once.
      let trials = 0;
      for (let round = 0; round < 200 && trials < 3; round++) {
        const before = state.calls;
        await Promise.allSettled(patchbays.map((patchbay) => patchbay.llm.generate(request)));
        trials += state.calls - before;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(trials).toBeGreaterThanOrEqual(3);
      expect(state.maxInFlight).toBe(1);

      // The vendor recovers: the next trial closes every instance's breaker.
      state.up = true;
      await eventually(() => {
        for (const patchbay of patchbays) void patchbay.llm.generate(request).catch(() => {});
        return instances.every((entry) => entry.states.at(-1) === 'closed');
      }, 'every instance closes');
      expect(state.maxInFlight).toBe(1);
    } finally {
      await Promise.all(patchbays.map((patchbay) => patchbay.close()));
      await shared.closeAll();
    }
  });

  it('a new instance joining while the breaker is open starts open', async () => {
    const shared = await cluster(2);
    const { script } = vendor();
    const first = instance(shared.members[0], script);
    let second: ReturnType<typeof instance> | undefined;
    try {
      await expect(first.patchbay.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      second = instance(shared.members[1], script);
      // The breaker is built on first use; it reads the stored opening then.
      await second.patchbay.llm.generate(request).catch(() => {});
      await eventually(() => second?.states.includes('open') === true, 'the late instance opens');
    } finally {
      await first.patchbay.close();
      await second?.patchbay.close();
      await shared.closeAll();
    }
  });
});
