// Three Patchbay instances in three processes share one real redis-server, one PostgreSQL server
// (usage records) and one vendor simulator (the OpenAI SDK over HTTP on 127.0.0.1). Bounded: every
// wait has an attempt limit and every child exits on its own after 60 s or when this process goes away.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createPgClient, migrate, type SqlClient } from '@patchbay/postgres';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, testRedisUrl } from '../redis-test-support.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const viteNode = createRequire(createRequire(`${root}package.json`).resolve('vitest/package.json')).resolve(
  'vite-node/package.json',
);
const viteNodeCli = viteNode.replace(/package\.json$/, 'vite-node.mjs');
const childScript = fileURLToPath(new URL('./instance-process.ts', import.meta.url));

/** Set by the test command's global setup; unset when servers are off (the PostgreSQL case then skips). */
const postgresUrl = process.env.PATCHBAY_TEST_POSTGRES_URL;
const schema = `multi_instance_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
let database: SqlClient | undefined;

interface Instance {
  child: ChildProcess;
  breakerStates: string[];
  /** Calls whose usage the instance reported committed to PostgreSQL. */
  acknowledgedCalls: number;
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
      ...(database && postgresUrl ? { POSTGRES_URL: postgresUrl, POSTGRES_SCHEMA: schema } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 0;
  const instance: Instance = {
    child,
    breakerStates: [],
    acknowledgedCalls: 0,
    call(command) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.send({ ...command, id });
      });
    },
  };
  return new Promise((resolve, reject) => {
    child.on(
      'message',
      (message: { id?: number; result?: unknown; event?: string; state?: string; calls?: number }) => {
        if (message.event === 'ready') resolve(instance);
        else if (message.event === 'usage-acknowledged') instance.acknowledgedCalls = message.calls as number;
        else if (message.event === 'breaker') instance.breakerStates.push(message.state as string);
        else if (message.id !== undefined) pending.get(message.id)?.(message.result);
      },
    );
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
    if (postgresUrl) {
      database = await createPgClient({ connectionString: postgresUrl, max: 2 });
      await migrate(database, { schema });
    }
    instances.push(...(await Promise.all([0, 1, 2].map(startInstance))));
  }, 60_000);

  afterAll(async () => {
    const running = instances.filter((instance) => instance.child.exitCode === null && !instance.child.signalCode);
    await Promise.allSettled(running.map((instance) => instance.call({ op: 'exit' })));
    for (const instance of instances) instance.child.kill();
    await simulator.close();
    await database?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await database?.close();
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

  // Last: it kills instance 1.
  it.skipIf(!postgresUrl)(
    'usage goes to PostgreSQL from every instance; one killed mid-flight loses no acknowledged record',
    async () => {
      const calls = 200;
      const [first, victim, third] = instances as [Instance, Instance, Instance];
      const survivors = Promise.all(
        [first, third].map((instance) => instance.call({ op: 'usage-run', calls, acknowledgeEvery: 5 })),
      );
      void victim.call({ op: 'usage-run', calls, acknowledgeEvery: 5 });
      await eventually(() => victim.acknowledgedCalls >= 20, 'instance 1 acknowledged some usage', 1_000);
      const exited = new Promise((resolve) => victim.child.once('exit', resolve));
      victim.child.kill('SIGKILL');
      await exited;
      // Every acknowledgement sent before the kill has arrived by now.
      const acknowledged = victim.acknowledgedCalls;
      expect(acknowledged).toBeLessThan(calls); // killed mid-flight, not after it finished
      expect(await survivors).toEqual([
        { calls, failed: 0 },
        { calls, failed: 0 },
      ]);

      const result = await (database as SqlClient).query<{ correlation_id: string; records: number; tokens: number }>(
        `SELECT correlation_id, count(*)::int AS records, sum(quantity)::float8 AS tokens
         FROM ${schema}.patchbay_usage_records WHERE tenant LIKE 'instance-%' GROUP BY correlation_id`,
      );
      const byCall = new Map(result.rows.map((row) => [row.correlation_id, row]));
      const callsOf = (index: number) => [...byCall.keys()].filter((id) => id.startsWith(`${index}:`)).length;
      // The survivors' totals are exact: every call once, each with the same records as the first one.
      const perCall = byCall.get('0:0');
      expect(perCall?.tokens).toBeGreaterThan(0);
      expect([callsOf(0), callsOf(2)]).toEqual([calls, calls]);
      for (const index of [0, 2]) {
        for (let call = 0; call < calls; call++)
          expect(byCall.get(`${index}:${call}`)).toEqual({ ...perCall, correlation_id: `${index}:${call}` });
      }
      // The killed instance: every acknowledged call is there (more may be, written after the last acknowledgement).
      for (let call = 0; call < acknowledged; call++)
        expect(byCall.get(`1:${call}`)).toEqual({ ...perCall, correlation_id: `1:${call}` });
      expect(callsOf(1)).toBeGreaterThanOrEqual(acknowledged);
    },
    60_000,
  );
});
