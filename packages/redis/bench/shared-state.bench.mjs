// Per-call overhead of shared state against local state: a routed call (mock provider answering at
// once) with a local breaker vs a Redis-shared breaker (closed: no round trip expected), and a
// limit check on a local fixed-window counter vs RedisLimitStore (one Lua round trip) vs
// RedisLimitStore with local leases (a block taken ahead; most checks skip the round trip).
// Starts its own redis-server on 127.0.0.1 (ephemeral port, no persistence).
// Run after a build: `./run bench redis` (or `node packages/redis/bench/shared-state.bench.mjs`).
// Options (env): BENCH_ROUNDS (default 20), BENCH_BATCH (calls per variant per round, default 500).
import { createPatchbay } from '@patchbay/core';
import { createRedisSharedState } from '@patchbay/redis';
import { mockFactories } from '@patchbay/testing';
import { roundOrder } from '../../../scripts/round-order.mjs';
import { ensureDebianPackages } from '../../../scripts/test-servers/debian-packages.mjs';
import { startRedis } from '../../../scripts/test-servers/redis-server.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const batch = Number(process.env.BENCH_BATCH ?? 500);
const warmupRounds = 3;
const windowMs = 60_000;
const request = { messages: [{ role: 'user', content: 'hi' }] };

ensureDebianPackages(['redis-server']);
const server = await startRedis();
const shared = createRedisSharedState({ url: server.url, prefix: 'bench:' });
const leased = createRedisSharedState({
  url: server.url,
  prefix: 'bench-leased:',
  limits: { localLeases: { blockFraction: 0.01 } },
});
await Promise.all([shared.ready(), leased.ready()]);

const config = {
  providers: { mock: { kind: 'llm', vendor: 'mock' } },
  defaults: { retry: { maxRetries: 0 } },
};
const local = createPatchbay({ config, factories: mockFactories, env: false });
const sharedBreakers = createPatchbay({ config, factories: mockFactories, env: false, sharedState: shared });

/** The local baseline: the same fixed-window check in a Map. */
const counters = new Map();
function reserveLocally(key, amount, limit, now) {
  const windowStart = Math.floor(now / windowMs) * windowMs;
  let counter = counters.get(key);
  if (!counter || counter.windowStart !== windowStart) counters.set(key, (counter = { windowStart, used: 0 }));
  if (counter.used + amount > limit) return { granted: false, used: counter.used };
  counter.used += amount;
  return { granted: true, used: counter.used };
}

// Far from the limit (the case leases are for): every run stays below it; leases take blocks of 1,000.
const hugeLimit = 100_000;
const variants = {
  'routed call, local breaker': () => local.llm.generate(request),
  'routed call, shared breaker (closed)': () => sharedBreakers.llm.generate(request),
  'limit check, local counter': () => reserveLocally('tenant:sms', 1, hugeLimit, Date.now()),
  'limit check, RedisLimitStore': () => shared.limits.reserve('tenant:sms', 1, hugeLimit, windowMs, Date.now()),
  'limit check, RedisLimitStore + local leases': () =>
    leased.limits.reserve('tenant:sms', 1, hugeLimit, windowMs, Date.now()),
};
const names = Object.keys(variants);

async function runBatch(name) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < batch; index++) await variants[name]();
  return Number(process.hrtime.bigint() - started) / 1_000 / batch; // µs
}

const samples = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Interleaved, in a new order each round, so drift on a shared machine hits every variant alike.
    for (const name of roundOrder(names, round)) {
      const perCall = await runBatch(name);
      if (round >= warmupRounds) samples[name].push(perCall);
    }
  }
} finally {
  await local.close();
  await sharedBreakers.close();
  await shared.close();
  await leased.close();
  await server.stop();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
console.log(
  `Shared state on a local redis-server, Node ${process.version}: ${warmupRounds} warm-up rounds, then ${rounds} ` +
    `interleaved rounds (a new order each round) of ${batch} sequential calls per variant; medians of the per-round means.`,
);
console.table(names.map((name) => ({ variant: name, 'µs per call': median(samples[name]).toFixed(2) })));
const breakerCost = median(samples[names[1]]) - median(samples[names[0]]);
console.log(`Shared breaker (closed) adds ${breakerCost.toFixed(2)} µs per routed call over a local breaker.`);
