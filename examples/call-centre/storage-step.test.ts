import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageRecord } from '@patchbay/core';
import { afterEach, expect, it } from 'vitest';
import { openDemoStorage } from './storage-step.ts';

let directory: string | undefined;
afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
});

const record: UsageRecord = {
  tenant: 'acme-bank',
  kind: 'sms',
  provider: 'twilio-sms',
  vendor: 'twilio',
  model: undefined,
  unit: 'segments',
  quantity: 1,
  cost: 0.0079,
  currency: 'USD',
  latencyMs: 12,
  outcome: 'success',
  errorCode: undefined,
  correlationId: undefined,
  route: 'sms',
  attempt: 1,
  timestamp: new Date().toISOString(),
};

/** One demo run: a usage event and a delivery, then the report. */
async function run(dataDir: string): Promise<string> {
  const lines: string[] = [];
  let listener: ((record: UsageRecord) => void) | undefined;
  const patchbay = {
    on: ((_type: 'usage', handler: (record: UsageRecord) => void) => {
      listener = handler;
      return () => {
        listener = undefined;
      };
    }) as never,
  };
  const storage = await openDemoStorage(patchbay, { dataDir, print: (line) => lines.push(line) });
  listener?.(record);
  await storage.deliveryLog.append({
    event: 'send-attempt',
    channel: 'sms',
    direction: 'outbound',
    status: 'sent',
    messageId: `SM${Math.random()}`,
    attempt: 1,
  });
  await storage.report();
  return lines.join('\n');
}

it('a second demo run finds the first run’s deliveries and usage on record', async () => {
  directory = mkdtempSync(join(tmpdir(), 'patchbay-demo-'));
  expect(await run(directory)).toContain('0 earlier run(s); 1 deliveries (1 this run) and 1 usage records on record');
  expect(await run(directory)).toContain('1 earlier run(s); 2 deliveries (1 this run) and 2 usage records on record');
}, 60_000);
