import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PatchbayError } from '../errors/patchbay-error.js';
import { EventHub } from '../events/event-hub.js';
import { ProviderBreaker } from './circuit-breaker.js';
import { breakerPolicySchema } from './routing-config.js';
import type { BreakerEvent, PatchbayEvents } from './routing-events.js';

let clock: FakeClock;
afterEach(() => clock.uninstall());

function breaker(policy: Record<string, unknown> = {}) {
  const events = new EventHub<PatchbayEvents>();
  const states: BreakerEvent['state'][] = [];
  events.on('breaker', (event) => states.push(event.state));
  return { breaker: new ProviderBreaker('p', breakerPolicySchema.parse(policy), events), states };
}

const unavailable = () => Promise.reject(new PatchbayError({ code: 'unavailable', message: 'down' }));
const ok = () => Promise.resolve('ok');

describe('ProviderBreaker', () => {
  it('holds no timer while closed, and exactly one (the cool-down) while open', async () => {
    clock = createFakeClock();
    const { breaker: subject, states } = breaker({ minimumCalls: 2, failureThresholdPercent: 50, cooldownMs: 1_000 });
    for (let index = 0; index < 2; index++) await subject.run(ok);
    expect(clock.pendingTimers()).toBe(0);
    await subject.run(unavailable).catch(() => {});
    await subject.run(unavailable).catch(() => {});
    // 2 of 4 failed: not more than 50 %.
    expect(states).toEqual([]);
    await subject.run(unavailable).catch(() => {});
    expect(states).toEqual(['open']);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(1_000);
    expect(states).toEqual(['open', 'half-open']);
    expect(subject.allowsCall).toBe(true);
    await subject.run(ok);
    expect(states).toEqual(['open', 'half-open', 'closed']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('forgets failures older than the window', async () => {
    clock = createFakeClock();
    const { breaker: subject, states } = breaker({ minimumCalls: 3, failureThresholdPercent: 50, windowMs: 1_000 });
    await subject.run(unavailable).catch(() => {});
    await subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    await subject.run(unavailable).catch(() => {});
    expect(states).toEqual([]);
    await subject.run(unavailable).catch(() => {});
    await subject.run(unavailable).catch(() => {});
    expect(states).toEqual(['open']);
  });

  it('lets one trial through half-open and refuses the rest without calling them', async () => {
    clock = createFakeClock();
    const { breaker: subject } = breaker({ minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 10 });
    await subject.run(unavailable).catch(() => {});
    await clock.advance(10);
    let called = 0;
    const trial = subject.run(async () => {
      called++;
      return 'trial';
    });
    const refused = await subject
      .run(async () => {
        called++;
      })
      .catch((error: unknown) => error);
    expect(ProviderBreaker.isOpenRejection(refused)).toBe(true);
    expect(await trial).toBe('trial');
    expect(called).toBe(1);
  });

  it('never counts our own TypeErrors or a caller’s bad request', async () => {
    clock = createFakeClock();
    const { breaker: subject, states } = breaker({ minimumCalls: 1, failureThresholdPercent: 1 });
    await subject.run(() => Promise.reject(new TypeError('x is not a function'))).catch(() => {});
    await subject
      .run(() =>
        Promise.reject(new PatchbayError({ code: 'unknown', message: 'bug', cause: new TypeError('undefined') })),
      )
      .catch(() => {});
    await subject
      .run(() => Promise.reject(new PatchbayError({ code: 'invalid_request', message: 'bad' })))
      .catch(() => {});
    expect(states).toEqual([]);
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
    });
    await subject.run(() => Promise.reject(fetchFailed)).catch(() => {});
    expect(states).toEqual(['open']);
  });
});
