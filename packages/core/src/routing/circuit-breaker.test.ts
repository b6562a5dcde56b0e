import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { toPatchbayError } from '../errors/normalize-error.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { EventHub } from '../events/event-hub.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { SharedBreakerState, SharedBreakerTransition } from '../spec/state.js';
import { ProviderBreaker } from './circuit-breaker.js';
import { breakerPolicySchema } from './routing-config.js';
import type { BreakerEvent, PatchbayEvents } from './routing-events.js';

let clock: FakeClock;
let open: Patchbay[] = [];
afterEach(async () => {
  for (const instance of open) await instance.close();
  open = [];
  clock.uninstall();
});

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

describe('ProviderBreaker and TypeErrors that only look like network failures', () => {
  const propertyReads = [
    "Cannot read properties of undefined (reading 'socket')",
    "Cannot read properties of undefined (reading 'networkId')",
  ];
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  it('never counts a property read named after a socket or a network, raw or normalised', async () => {
    clock = createFakeClock();
    const { breaker: subject, states } = breaker({ minimumCalls: 1, failureThresholdPercent: 1 });
    const codes: string[] = [];
    for (const message of propertyReads) {
      await subject.run(() => Promise.reject(new TypeError(message))).catch(() => {});
      const normalised = toPatchbayError(new TypeError(message), { provider: 'p' });
      codes.push(normalised.code);
      await subject.run(() => Promise.reject(normalised)).catch(() => {});
      subject.enter();
      subject.failedWith(new TypeError(message));
    }
    expect(states).toEqual([]);
    expect(codes).toEqual(['unknown', 'unknown']);
  });

  it('still counts a failed request: fetch failed with a socket cause, bare, raw or normalised', async () => {
    clock = createFakeClock();
    const failures: (() => unknown)[] = [
      () => new TypeError('fetch failed', { cause: refused() }),
      () => new TypeError('fetch failed'),
      () => toPatchbayError(new TypeError('fetch failed', { cause: refused() })),
      () => toPatchbayError(new TypeError('fetch failed')),
      // An adapter that wrapped it as unknown: the redacted summary keeps the name and message.
      () => new PatchbayError({ code: 'unknown', message: 'wrapped', cause: new TypeError('fetch failed') }),
    ];
    for (const failure of failures) {
      const { breaker: subject, states } = breaker({ minimumCalls: 1, failureThresholdPercent: 1 });
      await subject.run(() => Promise.reject(failure())).catch(() => {});
      expect(states).toEqual(['open']);
      subject.shutdown();
    }
  });
});

/**
 * The documented defaults (README `defaults.breaker`: `{ failureThresholdPercent: 50, minimumCalls: 5, windowMs: 10000,
 * cooldownMs: 30000 }`), through a route whose configuration says nothing about breakers. Member `a` is scripted to
 * fail or succeed call by call; `b` keeps every call answered, so `a` is never retried (it has a healthy fallback).
 */
describe('ProviderBreaker defaults, through a route with no breaker configuration', () => {
  const request = { messages: [{ role: 'user' as const, content: 'hello' }] };

  function route() {
    // A round start time, so every bucket boundary is the same on every run.
    clock = createFakeClock({ now: 1_700_000_000_000 });
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      config: {
        providers: { a: { kind: 'llm', vendor: 'mock' }, b: { kind: 'llm', vendor: 'mock' } },
        routes: { llm: { providers: ['a', 'b'] } },
      },
    });
    open.push(pb);
    const states: BreakerEvent['state'][] = [];
    pb.on('breaker', (event) => {
      if (event.provider === 'a') states.push(event.state);
    });
    const a = pb.provider('a') as MockLanguageModel;
    const call = async (outcome: 'fail' | 'ok') => {
      a.setScript(outcome === 'fail' ? { error: 'unavailable' } : { text: 'a' });
      return (await pb.llm.generate(request)).provider;
    };
    return { a, states, call };
  }

  it('opens at the fifth failed call in the window, not at the fourth', async () => {
    const { a, states, call } = route();
    for (let index = 0; index < 4; index++) expect(await call('fail')).toBe('b');
    expect(states).toEqual([]);
    expect(await call('fail')).toBe('b');
    expect(states).toEqual(['open']);
    expect(a.calls).toHaveLength(5);
    // Open: skipped without a call.
    expect(await call('ok')).toBe('b');
    expect(a.calls).toHaveLength(5);
  });

  it('opens only when more than 50 % failed: 5 of 10 keeps it closed, 6 of 11 opens it', async () => {
    const { states, call } = route();
    for (let index = 0; index < 5; index++) expect(await call('ok')).toBe('a');
    for (let index = 0; index < 5; index++) await call('fail');
    expect(states).toEqual([]);
    await call('fail');
    expect(states).toEqual(['open']);
  });

  it('counts failures within the 10 s window and forgets those 10 s old', async () => {
    const within = route();
    for (let index = 0; index < 4; index++) await within.call('fail');
    await clock.advance(9_000);
    await within.call('fail');
    expect(within.states).toEqual(['open']);
    await open.pop()?.close();
    clock.uninstall();

    const outside = route();
    for (let index = 0; index < 4; index++) await outside.call('fail');
    await clock.advance(10_000);
    // The four earlier failures are out of the window: one failure is below the minimum of 5 calls.
    await outside.call('fail');
    expect(outside.states).toEqual([]);
    for (let index = 0; index < 3; index++) await outside.call('fail');
    expect(outside.states).toEqual([]);
    await outside.call('fail');
    expect(outside.states).toEqual(['open']);
  });

  it('goes half-open exactly 30 s after opening, and lets the trial through', async () => {
    const { a, states, call } = route();
    for (let index = 0; index < 5; index++) await call('fail');
    expect(states).toEqual(['open']);
    await clock.advance(29_999);
    expect(states).toEqual(['open']);
    expect(await call('ok')).toBe('b');
    expect(a.calls).toHaveLength(5);
    await clock.advance(1);
    expect(states).toEqual(['open', 'half-open']);
    expect(await call('ok')).toBe('a');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });
});

/** A cluster's shared breaker state in one process: leases expire on the (fake) clock; `down` makes it unreachable. */
class SharedHub {
  readonly leases = new Map<string, { owner: string; until: number }>();
  readonly listeners = new Set<{
    owner: string;
    key: string;
    listener: (transition: SharedBreakerTransition) => void;
  }>();
  calls = 0;
  down = false;
  hang = false;

  member(owner: string): SharedBreakerState {
    return {
      publish: (key, transition) => {
        this.calls++;
        for (const entry of this.listeners) if (entry.key === key && entry.owner !== owner) entry.listener(transition);
      },
      subscribe: (key, listener) => {
        const entry = { owner, key, listener };
        this.listeners.add(entry);
        return () => this.listeners.delete(entry);
      },
      acquireTrial: async (key, ttlMs) => {
        this.calls++;
        if (this.hang) return new Promise<boolean>(() => {});
        if (this.down) throw new Error('unreachable');
        const lease = this.leases.get(key);
        if (lease && lease.until > Date.now() && lease.owner !== owner) return false;
        this.leases.set(key, { owner, until: Date.now() + ttlMs });
        return true;
      },
      releaseTrial: (key) => {
        this.calls++;
        if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
      },
    };
  }
}

function sharedBreakers(hub: SharedHub, count: number) {
  const policy = breakerPolicySchema.parse({ minimumCalls: 1, failureThresholdPercent: 1, cooldownMs: 1_000 });
  return Array.from({ length: count }, (_, index) => {
    const events = new EventHub<PatchbayEvents>();
    const states: BreakerEvent['state'][] = [];
    events.on('breaker', (event) => states.push(event.state));
    const subject = new ProviderBreaker('p', policy, events, { state: hub.member(`i${index}`), key: '\u0000p' });
    return { subject, states };
  });
}

describe('ProviderBreaker with a shared state', () => {
  it('makes no shared-state call while closed', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const [first] = sharedBreakers(hub, 1);
    for (let index = 0; index < 100; index++) await first?.subject.run(ok);
    expect(hub.calls).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('opens every instance when one sees the provider down, and lets exactly one trial through cluster-wide', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const [a, b, c] = sharedBreakers(hub, 3) as [
      ReturnType<typeof sharedBreakers>[number],
      ReturnType<typeof sharedBreakers>[number],
      ReturnType<typeof sharedBreakers>[number],
    ];
    await a.subject.run(unavailable).catch(() => {});
    expect([a.subject.state, b.subject.state, c.subject.state]).toEqual(['open', 'open', 'open']);
    await clock.advance(1_000);
    expect([a.states.at(-1), b.states.at(-1), c.states.at(-1)]).toEqual(['half-open', 'half-open', 'half-open']);
    const allowing = [a, b, c].filter((member) => member.subject.allowsCall);
    expect(allowing).toHaveLength(1);
    // The holder's trial succeeds: every instance closes.
    await allowing[0]?.subject.run(ok);
    expect([a.subject.state, b.subject.state, c.subject.state]).toEqual(['closed', 'closed', 'closed']);
    expect(hub.leases.size).toBe(0);
  });

  it('a failed trial opens every instance again for another cool-down', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const members = sharedBreakers(hub, 2);
    await members[1]?.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    const holder = members.find((member) => member.subject.allowsCall);
    const other = members.find((member) => member !== holder);
    await holder?.subject.run(unavailable).catch(() => {});
    expect(holder?.subject.state).toBe('open');
    expect(other?.subject.state).toBe('open');
    await clock.advance(999);
    expect(other?.subject.state).toBe('open');
    await clock.advance(1);
    expect(members.filter((member) => member.subject.allowsCall)).toHaveLength(1);
  });

  it('hands an unused trial to another instance after half a lease', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const [a, b] = sharedBreakers(hub, 2) as [
      ReturnType<typeof sharedBreakers>[number],
      ReturnType<typeof sharedBreakers>[number],
    ];
    await a.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    const holder = a.subject.allowsCall ? a : b;
    const other = holder === a ? b : a;
    expect(other.subject.allowsCall).toBe(false);
    // The holder makes no call; at half a lease it gives the trial back and the next asker gets it.
    await clock.advance(500);
    expect([a.subject.allowsCall, b.subject.allowsCall].filter(Boolean)).toHaveLength(1);
    // Never two at once, at any point of the lease cycle.
    for (let step = 0; step < 10; step++) {
      await clock.advance(100);
      expect([a.subject.allowsCall, b.subject.allowsCall].filter(Boolean).length).toBeLessThanOrEqual(1);
    }
  });

  it('extends the lease while the trial runs, so no second trial starts', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const [a, b] = sharedBreakers(hub, 2) as [
      ReturnType<typeof sharedBreakers>[number],
      ReturnType<typeof sharedBreakers>[number],
    ];
    await a.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    const holder = a.subject.allowsCall ? a : b;
    const other = holder === a ? b : a;
    let finish: (value: string) => void = () => {};
    const trial = holder.subject.run(() => new Promise<string>((resolve) => (finish = resolve)));
    await clock.advance(5_000);
    expect(other.subject.allowsCall).toBe(false);
    finish('late');
    expect(await trial).toBe('late');
    expect(other.subject.state).toBe('closed');
  });

  it('decides locally when the shared state is unreachable', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    hub.down = true;
    const [a, b] = sharedBreakers(hub, 2) as [
      ReturnType<typeof sharedBreakers>[number],
      ReturnType<typeof sharedBreakers>[number],
    ];
    await a.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    // Both could not reach the lease: each lets its own trial through, like a local breaker.
    expect(a.subject.allowsCall).toBe(true);
    expect(b.subject.allowsCall).toBe(true);
    await a.subject.run(ok);
    expect(a.subject.state).toBe('closed');
  });

  it('decides locally when the shared state never answers (a hung store cannot keep the provider out for good)', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    hub.hang = true;
    const [a] = sharedBreakers(hub, 1);
    await a?.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    expect(a?.subject.allowsCall).toBe(false);
    await clock.advance(500);
    expect(a?.subject.allowsCall).toBe(false);
    // A whole lease without an answer: treated as unreachable.
    await clock.advance(500);
    expect(a?.subject.allowsCall).toBe(true);
    await a?.subject.run(ok);
    expect(a?.subject.state).toBe('closed');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a shut-down breaker leaves no subscription and no lease behind', async () => {
    clock = createFakeClock();
    const hub = new SharedHub();
    const [a] = sharedBreakers(hub, 1);
    await a?.subject.run(unavailable).catch(() => {});
    await clock.advance(1_000);
    expect(hub.leases.size).toBe(1);
    a?.subject.shutdown();
    expect(hub.listeners.size).toBe(0);
    expect(hub.leases.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
