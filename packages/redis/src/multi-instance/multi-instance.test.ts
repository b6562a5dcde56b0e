// Three Patchbay instances in three processes share one real redis-server and one vendor
// simulator (the OpenAI SDK over HTTP on 127.0.0.1). Bounded: every wait has an attempt limit and
// every child exits on its own after 60 s or when this process goes away.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testRedisUrl } from '../redis-test-support.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const viteNode = createRequire(createRequire(`${root}package.json`).resolve('vitest/package.json')).resolve(
  'vite-node/package.json',
);
const viteNodeCli = viteNode.replace(/package\.json$/, 'vite-node.mjs');
const childScript = fileURLToPath(new URL('./instance-process.ts', import.meta.url));

interface Instance {
  child: ChildProcess;
  breakerStates: string[];
  call(command: Record<string, unknown>): Promise<unknown>;
}

const simulator = createOpenAISimulator();
const prefix = `test:${randomUUID()}:`;
const instances: Instance[] = [];
// Vendor side: how many requests are being served right now, and the most at once.
const vendor = { inFlight: 0, maxInFlight: 0, requests: 0 };

function startInstance(index: number): Promise<Instance> {
  const child = spawn(process.execPath, [viteNodeCli, '--config', `${root}vitest.config.ts`, childScript], {
    cwd: root,
    env: {
      ...process.env,
      INSTANCE_INDEX: String(index),
      REDIS_URL: testRedisUrl,
      REDIS_PREFIX: prefix,
      SIMULATOR_URL: simulator.url,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  const instance: Instance = {
    child,
    breakerStates: [],
    call(command) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ ...command, id });
      });
    },
  };
  return new Promise((resolve, reject) => {
    child.on('message', (message: { id?: number; result?: unknown; event?: string; state?: string }) => {
      if (message.event === 'ready') resolve(instance);
      else if (message.event === 'breaker') instance.breakerStates.push(message.state as string);
      else if (message.id !== undefined) pending.get(message.id)?.(message.result);
    });
    child.on('exit', (code) => reject(new Error(`instance ${index} exited with ${code}`)));
  });
}

describe.skipIf(!testRedisUrl)('three instances in three processes share one Redis', () => {
  beforeAll(async () => {
    await simulator.start();
    simulator.respondWith({ text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } });
    simulator.server.on('request', (_request, response) => {
      vendor.requests++;
      vendor.inFlight++;
      vendor.maxInFlight = Math.max(vendor.maxInFlight, vendor.inFlight);
      response.on('close', () => vendor.inFlight--);
    });
    instances.push(...(await Promise.all([0, 1, 2].map(startInstance))));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(instances.map((instance) => instance.call({ op: 'exit' })));
    for (const instance of instances) instance.child.kill();
    await simulator.close();
  });

  it('a failing vendor: every instance opens, one half-open trial at a time cluster-wide, all close on recovery', async () => {
    simulator.inject({ type: 'status', status: 503 }, { times: 1_000_000, path: '/v1/chat/completions' });
    for (const instance of instances) await instance.call({ op: 'hammer' });
    await eventually(() => instances.every((instance) => instance.breakerStates.includes('open')), 'all open', 1_000);
    // From here on every request the vendor sees is a half-open trial.
    await eventually(() => vendor.inFlight === 0, 'no request in flight', 1_000);
    vendor.maxInFlight = 0;
    const requestsBefore = vendor.requests;
    await eventually(() => vendor.requests - requestsBefore >= 4, 'four trials through the cool-downs', 1_000);
    expect(vendor.maxInFlight).toBe(1);

    simulator.clearFaults();
    await eventually(
      () => instances.every((instance) => instance.breakerStates.at(-1) === 'closed'),
      'every instance closes',
      1_000,
    );
    for (const instance of instances) await instance.call({ op: 'calm' });
  }, 60_000);

  it('a limit holds in total, not per instance', async () => {
    const now = Date.now();
    const granted = await Promise.all(
      instances.map((instance) => instance.call({ op: 'reserve', key: 'tenant:sms', count: 40, limit: 50, now })),
    );
    expect((granted as number[]).reduce((total, count) => total + count, 0)).toBe(50);
  }, 60_000);

  it('the WhatsApp failure webhook delivered to another instance than the sender yields exactly one SMS', async () => {
    const messageId = `wamid.${randomUUID()}`;
    expect(await instances[0]?.call({ op: 'send-whatsapp', messageId })).toBe('whatsapp');
    expect(await instances[2]?.call({ op: 'webhook', messageId })).toBe('sms-fallback');
    // Redelivered to every instance at once.
    const again = await Promise.all(instances.map((instance) => instance.call({ op: 'webhook', messageId })));
    expect(again).toEqual(['none', 'none', 'none']);
    const counts = await Promise.all(instances.map((instance) => instance.call({ op: 'sms-count' })));
    expect(counts).toEqual([0, 0, 1]);
  }, 60_000);
});
