// One Patchbay instance in its own process, driven by the multi-instance test over IPC. Run with
// vite-node (sources, like the tests). Exits on `exit`, when the parent goes away, or after 60 s.
import { createPatchbay } from '@patchbay/core';
import { openaiLanguageModelFactory } from '@patchbay/llm/openai';
import {
  createDualChannelMessenger,
  type DeliveryStatusEvent,
  InMemoryRecipientPreferences,
} from '@patchbay/messaging';
import { createPgClient, PostgresUsageStore } from '@patchbay/postgres';
import { MockMessagingProvider } from '@patchbay/testing';
import { RedisDualChannelState } from '../messaging/redis-dual-channel-state.js';
import { createRedisSharedState } from '../redis-shared-state.js';

const recipient = '+250788123456';
const now = new Date('2026-01-10T12:00:00Z');
const index = Number(process.env.INSTANCE_INDEX);
const send = (message: unknown) => process.send?.(message);

const shared = createRedisSharedState({
  url: process.env.REDIS_URL,
  prefix: process.env.REDIS_PREFIX,
  instanceId: `process-${index}`,
  // Generous on a loaded test machine: a timed-out lease request would make the breaker decide locally.
  commandTimeoutMs: 2_000,
});
await shared.ready();

// Usage goes to the run's PostgreSQL server when the parent gives one (schema migrated by the parent).
const database = process.env.POSTGRES_URL
  ? await createPgClient({ connectionString: process.env.POSTGRES_URL, max: 2 })
  : undefined;
const usage = database && new PostgresUsageStore(database, { schema: process.env.POSTGRES_SCHEMA });

const patchbay = createPatchbay({
  config: {
    providers: {
      vendor: {
        kind: 'llm',
        vendor: 'openai',
        settings: { baseURL: `${process.env.SIMULATOR_URL}/v1`, apiKey: 'test-key', model: 'gpt-4o-mini' },
      },
    },
    defaults: {
      retry: { maxRetries: 0 },
      breaker: { minimumCalls: 1, failureThresholdPercent: 1, windowMs: 60_000, cooldownMs: 500 },
    },
  },
  factories: [openaiLanguageModelFactory],
  env: {},
  sharedState: shared,
  usageSinks: usage ? [usage] : [],
});
patchbay.on('breaker', (event) => send({ event: 'breaker', index, state: event.state }));

const whatsappIds: string[] = [];
const sms = new MockMessagingProvider({ channel: 'sms', script: { messageId: `SM.${index}` } });
const messenger = createDualChannelMessenger({
  whatsapp: new MockMessagingProvider({
    channel: 'whatsapp',
    script: () => ({ messageId: whatsappIds.shift() ?? 'wamid.unexpected' }),
  }),
  sms,
  preferences: new InMemoryRecipientPreferences({
    [recipient]: { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(now.getTime() + 3_600_000) },
  }),
  state: new RedisDualChannelState(shared.connection),
  now: () => now,
});

let hammering = false;
async function hammer(): Promise<void> {
  while (hammering) {
    await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] }).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function stop(): Promise<never> {
  hammering = false;
  await patchbay.close();
  await usage?.close();
  await database?.close();
  await shared.close();
  process.exit(0);
}

const lifetime = setTimeout(() => void stop(), 60_000);
lifetime.unref();
process.on('disconnect', () => void stop());

type Command =
  | { id: number; op: 'hammer' | 'calm' | 'sms-count' | 'exit' }
  | { id: number; op: 'reserve'; key: string; count: number; limit: number; now: number }
  | { id: number; op: 'send-whatsapp' | 'webhook'; messageId: string }
  | { id: number; op: 'usage-run'; calls: number; acknowledgeEvery: number };

/**
 * Makes `calls` calls (tenant `instance-<index>`, correlation id `<index>:<call>`) and, every
 * `acknowledgeEvery` calls, waits until their usage is committed and tells the parent so.
 */
async function usageRun(calls: number, acknowledgeEvery: number): Promise<{ calls: number; failed: number }> {
  let failed = 0;
  for (let call = 0; call < calls; call++) {
    await patchbay.llm
      .generate(
        { messages: [{ role: 'user', content: 'hi' }] },
        { tenant: `instance-${index}`, correlationId: `${index}:${call}` },
      )
      .catch(() => failed++);
    if ((call + 1) % acknowledgeEvery === 0 || call + 1 === calls) {
      await patchbay.flush();
      await usage?.flush();
      send({ event: 'usage-acknowledged', index, calls: call + 1 });
    }
  }
  return { calls, failed };
}

process.on('message', async (command: Command) => {
  let result: unknown;
  switch (command.op) {
    case 'hammer':
      hammering = true;
      void hammer();
      break;
    case 'calm':
      hammering = false;
      break;
    case 'reserve': {
      let granted = 0;
      for (let call = 0; call < command.count; call++) {
        const answer = await shared.limits.reserve(command.key, 1, command.limit, 60_000, command.now);
        if (answer.granted) granted++;
      }
      result = granted;
      break;
    }
    case 'send-whatsapp':
      whatsappIds.push(command.messageId);
      {
        const sent = await messenger.send({ to: recipient, body: 'Your summary' });
        result = sent.status === 'sent' ? sent.channel : sent.status;
      }
      break;
    case 'webhook': {
      const event: DeliveryStatusEvent = {
        type: 'delivery-status',
        channel: 'whatsapp',
        vendor: 'meta',
        messageId: command.messageId,
        status: 'failed',
        timestamp: now,
      };
      result = (await messenger.handleDeliveryStatus(event)).action;
      break;
    }
    case 'usage-run':
      result = await usageRun(command.calls, command.acknowledgeEvery);
      break;
    case 'sms-count':
      result = sms.calls.length;
      break;
    case 'exit':
      send({ id: command.id, result: 'bye' });
      await stop();
  }
  send({ id: command.id, result });
});
send({ event: 'ready', index });
