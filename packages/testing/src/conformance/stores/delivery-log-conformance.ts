import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

// The shapes of @patchbay/messaging's DeliveryLogStore, restated so this package does not depend
// on messaging (which depends on it for tests). Any DeliveryLogStore fits.
interface LogRecord {
  id: string;
  event: string;
  status: string;
  messageId?: string | undefined;
  tenant?: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

type LogEntry = {
  event: 'send-attempt' | 'status-update' | 'inbound' | 'skipped';
  channel: 'sms' | 'whatsapp';
  direction: 'outbound' | 'inbound';
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'received' | 'skipped';
  attempt: number;
  tenant?: string | undefined;
  messageId?: string | undefined;
  to?: string | undefined;
  provider?: string | undefined;
  vendor?: string | undefined;
  correlationId?: string | undefined;
  cost?: { amount: number; currency: string } | undefined;
  segments?: number | undefined;
  errorCode?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
};

export interface DeliveryLogStoreLike {
  append(entry: LogEntry): Promise<LogRecord> | LogRecord;
  list(filter?: {
    tenant?: string;
    status?: LogEntry['status'];
    event?: LogEntry['event'];
    channel?: LogEntry['channel'];
    to?: string;
    since?: Date;
    until?: Date;
    limit?: number;
  }): Promise<LogRecord[]> | LogRecord[];
  findByMessageId(messageId: string): Promise<LogRecord[]> | LogRecord[];
}

export type DeliveryLogConformanceOptions = StoreConformanceOptions<DeliveryLogStoreLike>;

const base = Date.UTC(2026, 0, 1);
const at = (second: number) => new Date(base + second * 1000);

function send(index: number, overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    event: 'send-attempt',
    channel: 'sms',
    direction: 'outbound',
    status: 'sent',
    attempt: 1,
    tenant: 'tenant-a',
    messageId: `SM${index}`,
    to: '+14155550100',
    provider: 'twilio-sms',
    vendor: 'twilio',
    createdAt: at(index),
    ...overrides,
  };
}

/** What every delivery log (`DeliveryLogStore` of @patchbay/messaging) must do. */
export function defineDeliveryLogConformance(options: DeliveryLogConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'delivery-log', {
    'append-fills-in': {
      name: 'append assigns an id and timestamps and keeps every given field',
      check: async (log) => {
        const entry = send(1, { cost: { amount: 0.0079, currency: 'USD' }, segments: 2, correlationId: 'c-1' });
        const record = await log.append(entry);
        assert.ok(typeof record.id === 'string' && record.id.length > 0, 'id');
        assert.equal(record.createdAt.getTime(), at(1).getTime());
        assert.equal(record.updatedAt.getTime(), at(1).getTime(), 'updatedAt defaults to createdAt');
        const [stored] = await log.findByMessageId('SM1');
        assert.deepEqual(stored, record);
        const { createdAt: _created, updatedAt: _updated, ...given } = entry;
        assert.deepEqual(
          { ...stored, createdAt: undefined, updatedAt: undefined, id: undefined },
          {
            ...given,
            createdAt: undefined,
            updatedAt: undefined,
            id: undefined,
          },
        );
      },
    },
    'status-updates': {
      name: 'a message and its status updates are found together, oldest first',
      check: async (log) => {
        await log.append(send(1));
        await log.append(send(2));
        await log.append(send(1, { event: 'status-update', status: 'delivered', createdAt: at(5), updatedAt: at(4) }));
        const records = await log.findByMessageId('SM1');
        assert.deepEqual(
          records.map((record) => [record.event, record.status]),
          [
            ['send-attempt', 'sent'],
            ['status-update', 'delivered'],
          ],
        );
        assert.equal(records[1]?.updatedAt.getTime(), at(4).getTime(), 'the vendor timestamp is kept');
        assert.deepEqual(await log.findByMessageId('SM-unknown'), []);
      },
    },
    filters: {
      name: 'lists oldest first and filters by tenant, status, event, channel, recipient and time',
      check: async (log) => {
        await log.append(send(1, { tenant: 'tenant-b' }));
        await log.append(send(2, { status: 'failed', errorCode: 'invalid_request' }));
        await log.append(send(3, { channel: 'whatsapp', to: '+250788123456' }));
        await log.append(send(4, { event: 'skipped', status: 'skipped' }));
        const ids = async (filter: Parameters<DeliveryLogStoreLike['list']>[0]) =>
          (await log.list(filter)).map((record) => record.messageId);
        assert.deepEqual(await ids({}), ['SM1', 'SM2', 'SM3', 'SM4']);
        assert.deepEqual(await ids({ tenant: 'tenant-b' }), ['SM1']);
        assert.deepEqual(await ids({ status: 'failed' }), ['SM2']);
        assert.deepEqual(await ids({ event: 'skipped' }), ['SM4']);
        assert.deepEqual(await ids({ channel: 'whatsapp' }), ['SM3']);
        assert.deepEqual(await ids({ to: '+250788123456' }), ['SM3']);
        assert.deepEqual(await ids({ since: at(2), until: at(4) }), ['SM2', 'SM3']);
      },
    },
    limit: {
      name: 'limit keeps the most recent matches, oldest first',
      check: async (log) => {
        for (let index = 0; index < 20; index++) await log.append(send(index));
        assert.deepEqual(
          (await log.list({ limit: 3 })).map((record) => record.messageId),
          ['SM17', 'SM18', 'SM19'],
        );
      },
    },
  });
}
