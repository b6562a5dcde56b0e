// Cost of one SMS send through the Twilio adapter against the local Twilio simulator: over the shared
// keep-alive pool, over a fresh connection per send (keep-alive off), through the router (realistic
// route: attempt timeout, deadline, retries, breaker, prices, usage), and 50 sends in parallel.
// The simulator answers at once, so the figures are our own overhead (validation, E.164
// normalisation, form encoding, HTTP on loopback, parsing) plus the loopback round trip.
// Run after a build: `./run bench messaging` (or `node packages/messaging/bench/messaging-send.bench.mjs`).
// Options (env): BENCH_ROUNDS (default 30), BENCH_BATCH (sends per variant per round, default 100).
import { createPatchbay } from '@patchbay/core';
import * as twilio from '@patchbay/messaging/twilio';
import { createTwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { Agent } from 'undici';
import { roundOrder } from '../../../scripts/round-order.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const batch = Number(process.env.BENCH_BATCH ?? 100);
const warmupRounds = 3;
const message = { to: '+447911123456', body: 'Your verification code is 482913' };

const simulator = await createTwilioSimulator().start();
// pipelining 0 turns keep-alive off: every request opens and closes its own connection.
const noKeepAlive = new Agent({ pipelining: 0 });
const settings = {
  accountSid: simulator.accountSid,
  authToken: simulator.authToken,
  from: '+15005550006',
  baseURL: simulator.url,
};
const pooled = twilio.createTwilioSmsProvider({ id: 'pooled', ...settings, env: false });
const unpooled = twilio.createTwilioSmsProvider({ id: 'unpooled', ...settings, env: false, dispatcher: noKeepAlive });
const patchbay = createPatchbay({
  env: false,
  // The factory is being renamed (issue 11); accept either name.
  factories: [twilio.twilioSmsProviderFactory ?? twilio.twilioSmsFactory],
  config: {
    providers: { twilio: { kind: 'sms', vendor: 'twilio', settings } },
    routes: { sms: { providers: ['twilio'], attemptTimeoutMs: 10_000, deadlineMs: 25_000 } },
    pricing: [{ vendor: 'twilio', unit: 'segments', price: 0.0079 }],
  },
});

const concurrent = '50 concurrent sends, shared pool (time per send)';
const variants = {
  'adapter send, shared keep-alive pool': () => pooled.send(message),
  'routed patchbay.sms.send (realistic route)': () => patchbay.sms.send(message),
  'adapter send, new connection per send': () => unpooled.send(message),
  [concurrent]: () => Promise.all(Array.from({ length: 50 }, () => pooled.send(message))),
};
const names = Object.keys(variants);

async function runBatch(name) {
  const sendsPerCall = name === concurrent ? 50 : 1;
  const calls = Math.max(1, Math.round(batch / sendsPerCall));
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) await variants[name]();
  const perSend = Number(process.hrtime.bigint() - started) / 1_000 / (calls * sendsPerCall); // µs
  simulator.reset(); // the simulator records every request; keep its memory flat
  return perSend;
}

const samples = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Interleaved, in a new order each round, so drift on a shared machine hits every variant alike.
    for (const name of roundOrder(names, round)) {
      const perSend = await runBatch(name);
      if (round >= warmupRounds) samples[name].push(perSend);
    }
  }
} finally {
  patchbay.close();
  await noKeepAlive.close();
  await simulator.close();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const adapter = median(samples[names[0]]);
console.log(
  `Twilio SMS send on loopback, Node ${process.version}: ${warmupRounds} warm-up rounds, then ${rounds} interleaved ` +
    `rounds (a new order each round) of ${batch} sends per variant; medians of the per-round means.`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'µs per send': median(samples[name]).toFixed(1),
    '× adapter (pool)': (median(samples[name]) / adapter).toFixed(2),
  })),
);
console.log(`Routing adds ${(median(samples[names[1]]) - adapter).toFixed(1)} µs per send over the bare adapter.`);
