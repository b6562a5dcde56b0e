import { createRequire } from 'node:module';
import type FakeTimersModule from '@sinonjs/fake-timers';

let fakeTimers: typeof FakeTimersModule | undefined;

/**
 * @sinonjs/fake-timers (and the ~20 modules it pulls in) is loaded when the first clock is created,
 * not when `@patchbay/testing` is imported. It is CommonJS, so it loads synchronously.
 */
function loadFakeTimers(): typeof FakeTimersModule {
  fakeTimers ??= createRequire(import.meta.url)('@sinonjs/fake-timers') as typeof FakeTimersModule;
  return fakeTimers;
}

/**
 * Globals the fake clock replaces by default: the timers routing, breakers and
 * backoff use, and `Date`. Left real on purpose: `nextTick`, `queueMicrotask`
 * and `setImmediate` (promises, streams and sockets run on them) and `hrtime`.
 */
export const defaultFakedGlobals = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

export type FakedGlobal = (typeof defaultFakedGlobals)[number] | 'performance';

export interface FakeClockOptions {
  /** Start time (epoch ms or Date); default: the real current time, so timestamps stay plausible. */
  now?: number | Date | undefined;
  /** Also fake `performance.now()` (latency figures become exact). Default false. */
  fakePerformance?: boolean | undefined;
  /** Replace the set of faked globals entirely. */
  toFake?: readonly FakedGlobal[] | undefined;
  /** Most timers `runAll()` fires before giving up (an interval never ends). Default 1000. */
  loopLimit?: number | undefined;
}

export interface FakeClock extends Disposable {
  /** Current fake time in epoch ms (what `Date.now()` returns). */
  now(): number;
  /** Moves time forward, firing due timers and letting promises settle between them. */
  advance(ms: number): Promise<void>;
  /** Fires timers until none is left (intervals count against `loopLimit`). */
  runAll(): Promise<void>;
  /** Fires only the timers due now, without moving time. */
  runDue(): Promise<void>;
  /** Timers currently scheduled on the fake clock. */
  pendingTimers(): number;
  /** Sets the wall clock without firing timers (for `Date` checks). */
  setSystemTime(now: number | Date): void;
  /** Restores the real globals. Safe to call twice. */
  uninstall(): void;
  [Symbol.dispose](): void;
}

/**
 * Installs a fake clock over the global timers and `Date`. Core's retry waits,
 * attempt timeouts and breaker cool-downs all use these globals, so
 * a test drives them with `advance()` instead of waiting. Install it before
 * `createPatchbay()`, since breakers create their timers when built.
 * Uninstall it (or `using clock = createFakeClock()`) in every test.
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const toFake: FakedGlobal[] = [...(options.toFake ?? defaultFakedGlobals)];
  if (options.fakePerformance && !toFake.includes('performance')) toFake.push('performance');
  const clock = loadFakeTimers().install({
    now: options.now ?? Date.now(),
    toFake,
    loopLimit: options.loopLimit ?? 1000,
  });
  let installed = true;
  const uninstall = () => {
    if (!installed) return;
    installed = false;
    clock.uninstall();
  };
  return {
    now: () => clock.now,
    advance: async (ms) => {
      await clock.tickAsync(ms);
    },
    runAll: async () => {
      await clock.runAllAsync();
    },
    runDue: async () => {
      await clock.tickAsync(0);
    },
    pendingTimers: () => clock.countTimers(),
    setSystemTime: (now) => clock.setSystemTime(now),
    uninstall,
    [Symbol.dispose]: uninstall,
  };
}
