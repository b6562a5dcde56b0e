import { type BreakerEvent, createPatchbay, type PatchbayError } from '@patchbay/core';
import { afterEach, describe, expect, it } from 'vitest';
import { mockFactories } from '../mocks/mock-factories.js';
import type { MockLanguageModel } from '../mocks/mock-language-model.js';
import { sendJson, VendorSimulator } from '../simulators/framework/index.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('createFakeClock', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });

  it('drives setTimeout, setInterval and Date, and restores the real globals', async () => {
    const realSetTimeout = globalThis.setTimeout;
    clock = createFakeClock({ now: 1_000_000 });
    expect(Date.now()).toBe(1_000_000);
    const fired: string[] = [];
    setTimeout(() => fired.push('timeout'), 5_000);
    const interval = setInterval(() => fired.push('tick'), 2_000);
    expect(clock.pendingTimers()).toBe(2);
    await clock.advance(4_999);
    expect(fired).toEqual(['tick', 'tick']);
    await clock.advance(1);
    expect(fired).toEqual(['tick', 'tick', 'timeout']);
    expect(clock.now()).toBe(1_005_000);
    clearInterval(interval);
    expect(clock.pendingTimers()).toBe(0);
    clock.uninstall();
    clock.uninstall();
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Math.abs(Date.now() - 1_000_000)).toBeGreaterThan(1_000_000);
  });

  it('leaves microtasks and nextTick real, so awaiting works while time stands still', async () => {
    clock = createFakeClock();
    const before = clock.now();
    await new Promise<void>((resolve) => process.nextTick(resolve));
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(clock.now()).toBe(before);
  });

  it('leaves the HTTP stack working while installed', async () => {
    clock = createFakeClock();
    const simulator = new VendorSimulator({
      name: 'clock-check',
      errorBody: (status, message) => ({ status, message }),
      routes: [
        { method: 'GET', path: '/time', handler: ({ response }) => sendJson(response, 200, { now: Date.now() }) },
      ],
    });
    await simulator.start();
    try {
      const first = (await (await fetch(`${simulator.url}/time`)).json()) as { now: number };
      await clock.advance(90_000);
      const second = (await (await fetch(`${simulator.url}/time`)).json()) as { now: number };
      expect(second.now - first.now).toBe(90_000);
    } finally {
      await simulator.close();
    }
  });

  it('is disposable', () => {
    const realDate = Date;
    {
      using disposable = createFakeClock({ now: 0 });
      expect(Date.now()).toBe(0);
      expect(disposable.now()).toBe(0);
    }
    expect(Date).toBe(realDate);
  });

  it('runs a retry backoff without waiting', async () => {
    clock = createFakeClock();
    const patchbay = createPatchbay({
      config: {
        providers: {
          slow: {
            kind: 'llm',
            vendor: 'mock',
            settings: { script: [{ error: 'unavailable' }, { text: 'after backoff' }] },
          },
        },
        defaults: { retry: { maxRetries: 1, initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: false } },
      },
      factories: mockFactories,
      env: {},
    });
    try {
      let settled = false;
      const pending = patchbay.llm.generate(request).finally(() => {
        settled = true;
      });
      await clock.advance(59_000);
      expect(settled).toBe(false);
      await clock.advance(1_000);
      expect((await pending).text).toBe('after backoff');
      const mock = patchbay.provider('slow') as MockLanguageModel;
      expect((mock.calls[1]?.startedAt ?? 0) - (mock.calls[0]?.startedAt ?? 0)).toBe(60_000);
    } finally {
      patchbay.close();
    }
  });

  it('moves an open breaker to half-open after its cool-down, then closes it on a good trial call', async () => {
    clock = createFakeClock();
    const patchbay = createPatchbay({
      config: {
        providers: {
          flaky: {
            kind: 'llm',
            vendor: 'mock',
            settings: { script: [{ error: 'unavailable' }, { error: 'unavailable' }, { text: 'recovered' }] },
          },
        },
        defaults: {
          retry: { maxRetries: 0 },
          breaker: { minimumCalls: 2, failureThresholdPercent: 50, windowMs: 60_000, cooldownMs: 30_000 },
        },
      },
      factories: mockFactories,
      env: {},
    });
    const states: BreakerEvent['state'][] = [];
    patchbay.on('breaker', (event) => states.push(event.state));
    const mock = patchbay.provider('flaky') as MockLanguageModel;
    try {
      await expect(patchbay.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
      await expect(patchbay.llm.generate(request)).rejects.toMatchObject({ code: 'unavailable' });
      expect(states).toEqual(['open']);

      // Open: the router skips the provider without calling it.
      const skipped = await patchbay.llm.generate(request).catch((error: PatchbayError) => error);
      expect(skipped).toMatchObject({ name: 'AllProvidersFailedError' });
      expect(mock.callCount).toBe(2);

      await clock.advance(29_999);
      expect(states).toEqual(['open']);
      await clock.advance(1);
      expect(states).toEqual(['open', 'half-open']);

      expect((await patchbay.llm.generate(request)).text).toBe('recovered');
      expect(states).toEqual(['open', 'half-open', 'closed']);
      expect(mock.callCount).toBe(3);
    } finally {
      patchbay.close();
    }
  });
});
