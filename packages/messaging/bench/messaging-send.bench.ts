/**
 * Cost of one SMS send through the Twilio adapter against the local Twilio
 * simulator: over the shared keep-alive pool, over a fresh connection per send
 * (keep-alive off), through the router, and 50 sends in parallel on the pool.
 * The simulator answers at once, so the figures are the adapter's own overhead
 * (validation, E.164 normalisation, form encoding, HTTP on loopback, parsing).
 * Run: pnpm exec vitest bench --run packages/messaging/bench
 */
import { createPatchbay, type Patchbay } from '@patchbay/core';
import { createTwilioSmsProvider, twilioSmsProviderFactory } from '@patchbay/messaging/twilio';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { Agent } from 'undici';
import { afterAll, beforeAll, bench, describe } from 'vitest';

const message = { to: '+447911123456', body: 'Your verification code is 482913' };
const options = { time: Number(process.env.BENCH_TIME_MS ?? 1500), warmupTime: 300 };

let simulator: TwilioSimulator;
let patchbay: Patchbay;
let pooled: ReturnType<typeof createTwilioSmsProvider>;
let unpooled: ReturnType<typeof createTwilioSmsProvider>;
// pipelining 0 turns keep-alive off: every request opens and closes its own connection.
const noKeepAlive = new Agent({ pipelining: 0 });

beforeAll(async () => {
  simulator = await createTwilioSimulator().start();
  const settings = {
    accountSid: simulator.accountSid,
    authToken: simulator.authToken,
    from: '+15005550006',
    baseURL: simulator.url,
    env: false as const,
  };
  pooled = createTwilioSmsProvider({ id: 'pooled', ...settings });
  unpooled = createTwilioSmsProvider({ id: 'unpooled', ...settings, dispatcher: noKeepAlive });
  patchbay = createPatchbay({
    env: false,
    factories: [twilioSmsProviderFactory],
    config: {
      providers: {
        twilio: {
          kind: 'sms',
          vendor: 'twilio',
          settings: { ...settings, env: undefined },
        },
      },
    },
  });
});

afterAll(async () => {
  patchbay.close();
  await noKeepAlive.close();
  await simulator.close();
});

describe('Twilio SMS send on loopback', () => {
  bench(
    'adapter send, shared keep-alive pool',
    async () => {
      await pooled.send(message);
      simulator.reset();
    },
    options,
  );

  bench(
    'adapter send, new connection per send',
    async () => {
      await unpooled.send(message);
      simulator.reset();
    },
    options,
  );

  bench(
    'routed patchbay.sms.send (breaker, retries, metering)',
    async () => {
      await patchbay.sms.send(message);
      simulator.reset();
    },
    options,
  );

  bench(
    '50 concurrent sends, shared keep-alive pool',
    async () => {
      await Promise.all(Array.from({ length: 50 }, () => pooled.send(message)));
      simulator.reset();
    },
    { ...options, time: Math.min(options.time, 1000) },
  );
});
