import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { InMemoryCredentialStore } from '../credentials/credential-store.js';
import { createPatchbay, type PatchbayErrorEvent } from '../patchbay.js';
import { Secret } from '../secrets/secret.js';
import type { AuditRecord } from '../spec/state.js';
import { createFingerprinter } from './audit-fingerprint.js';
import { InMemoryAuditLog } from './in-memory-audit-log.js';

const key = 'k'.repeat(32);

function record(index: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: String(index).padStart(10, '0'),
    at: new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString(),
    actor: null,
    tenant: `tenant-${index % 7}`,
    provider: index % 2 ? 'openai' : 'twilio',
    route: null,
    action: index % 3 ? 'credentials.set' : 'provider.change',
    outcome: 'success',
    fields: ['apiKey'],
    before: null,
    after: null,
    ...overrides,
  };
}

describe('fingerprints', () => {
  it('are keyed HMACs of a canonical form: equal values match, key order does not matter, values never show', () => {
    const fingerprint = createFingerprinter(key);
    const value = { apiKey: new Secret('sk-live-abcdef123456'), region: 'eu' };
    const same = fingerprint({ region: 'eu', apiKey: 'sk-live-abcdef123456' });
    expect(fingerprint(value)).toBe(same);
    expect(fingerprint(value)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ ...value, apiKey: 'sk-live-abcdef123457' })).not.toBe(same);
    expect(createFingerprinter('another key of 32 bytes, really')(value)).not.toBe(same);
    expect(fingerprint(undefined)).toBeNull();
    // The default key is random per process (per fingerprinter): no stable guessable mapping.
    expect(createFingerprinter()(value)).not.toBe(createFingerprinter()(value));
  });

  it('refuses a short key naming the option', () => {
    expect(() => createFingerprinter('short')).toThrow(/audit\.fingerprintKey/);
  });
});

describe('InMemoryAuditLog', () => {
  it('answers queries newest first, filtered by tenant, provider, action and time', async () => {
    const log = new InMemoryAuditLog();
    for (let index = 0; index < 50; index++) log.record(record(index));
    const newest = await log.query({ limit: 3 });
    expect(newest.map((entry) => entry.id)).toEqual(['0000000049', '0000000048', '0000000047']);
    const filtered = await log.query({ tenant: 'tenant-3', provider: 'openai', action: 'credentials.set' });
    expect(filtered.length).toBeGreaterThan(0);
    for (const entry of filtered)
      expect(entry).toMatchObject({ tenant: 'tenant-3', provider: 'openai', action: 'credentials.set' });
    const windowed = await log.query({ since: record(10).at, until: record(13).at });
    expect(windowed.map((entry) => entry.id)).toEqual(['0000000012', '0000000011', '0000000010']);
    expect(await log.query()).toHaveLength(50);
  });

  it('keeps only the newest records under 200,000 of them across 100,000 tenants', async () => {
    const log = new InMemoryAuditLog({ capacity: 5_000 });
    for (let index = 0; index < 200_000; index++) log.record(record(index, { tenant: `t${index % 100_000}` }));
    expect(log.size).toBe(5_000);
    expect(log.dropped).toBe(195_000);
    const all = await log.query({ limit: 10_000 });
    expect(all).toHaveLength(5_000);
    expect(all[0]?.id).toBe('0000199999');
    expect(await log.query({ tenant: 't5' })).toEqual([]);
    expect((await log.query({ tenant: 't99999' }))[0]?.id).toBe('0000199999');
  });
});

function llm(settings: Record<string, unknown> = {}) {
  return { kind: 'llm' as const, vendor: 'mock', settings };
}

describe('configuration audit', () => {
  it('records each provider, route and limit change with the actor and changed field names, never values', async () => {
    const log = new InMemoryAuditLog();
    const pb = createPatchbay({
      config: { providers: { a: llm({ apiKey: 'sk-first-key-000000' }) }, routes: { llm: { providers: ['a'] } } },
      factories: mockFactories,
      env: false,
      audit: { sinks: [log], fingerprintKey: key },
    });
    await pb.updateConfig(
      {
        providers: { a: { settings: { apiKey: new Secret('sk-second-key-11111'), model: 'm2' } }, b: llm() },
        routes: { llm: { providers: ['b', 'a'], attemptTimeoutMs: 1_000 } },
        limits: { rpm: { tenant: 'acme', metric: 'requests', max: 10, window: 'minute' } },
      },
      { actor: 'ops@example.com' },
    );
    await pb.updateConfig(
      { providers: { b: null }, routes: { llm: { providers: ['a'] } } },
      { actor: 'ops@example.com' },
    );
    await pb.updateConfig(
      { tenants: { acme: { providers: { a: { settings: { model: 'acme-model' } } } } } },
      { actor: 'ops@example.com' },
    );
    const records = (await log.query()).reverse();
    expect(records.map((entry) => [entry.action, entry.provider ?? entry.route ?? entry.tenant, entry.fields])).toEqual(
      [
        ['provider.change', 'a', ['settings.apiKey', 'settings.model']],
        ['provider.add', 'b', ['kind', 'settings', 'vendor']],
        ['route.change', 'llm', ['attemptTimeoutMs', 'providers']],
        ['limits.change', 'acme', ['limits.rpm.max', 'limits.rpm.metric', 'limits.rpm.tenant', 'limits.rpm.window']],
        ['provider.remove', 'b', ['kind', 'settings', 'vendor']],
        ['route.change', 'llm', ['providers']],
        ['config.update', 'acme', ['tenants.acme.providers']],
      ],
    );
    expect(records.every((entry) => entry.actor === 'ops@example.com' && entry.outcome === 'success')).toBe(true);
    const change = records[0] as AuditRecord;
    expect(change.before).not.toBe(change.after);
    expect(JSON.stringify(records)).not.toMatch(/sk-first|sk-second/);
    await pb.close();
  });

  it('records a rejected change as a failure naming the invalid paths; the routed provider’s own updates too', async () => {
    const log = new InMemoryAuditLog();
    const pb = createPatchbay({
      config: { providers: { a: llm() }, routes: { llm: { providers: ['a'] } } },
      factories: mockFactories,
      env: false,
      audit: { sinks: [log] },
    });
    await expect(pb.updateConfig({ routes: { llm: { providers: ['zzz'] } } }, { actor: 'eve' })).rejects.toThrow();
    await pb.llm.updateConfig({ attemptTimeoutMs: 500 });
    const [routeUpdate, rejected] = await log.query();
    expect(rejected).toMatchObject({
      action: 'config.update',
      actor: 'eve',
      outcome: 'failure',
      fields: ['routes.llm.providers.0'],
    });
    expect(routeUpdate).toMatchObject({
      action: 'route.change',
      route: 'llm',
      actor: null,
      fields: ['attemptTimeoutMs'],
    });
    await pb.close();
  });

  it('isolates sinks that throw, reject or hang: the change goes through and each failure is reported', async () => {
    const reports: PatchbayErrorEvent[] = [];
    const log = new InMemoryAuditLog();
    const pb = createPatchbay({
      config: { providers: { a: llm() } },
      factories: mockFactories,
      env: false,
      audit: {
        maxPendingPerSink: 2,
        sinks: [
          {
            record: () => {
              throw new Error('sink threw');
            },
          },
          { record: () => Promise.reject(new Error('sink rejected')) },
          { record: () => new Promise<void>(() => {}) },
          log,
        ],
      },
      onError: (event) => reports.push(event),
    });
    for (let index = 1; index <= 3; index++)
      await pb.updateConfig({ providers: { a: { settings: { model: `m${index}` } } } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(await log.query()).toHaveLength(3);
    const bySource = (source: string, sink: number) =>
      reports.filter((report) => report.source === source && report.sink === sink).length;
    expect(bySource('audit-sink', 0)).toBe(3);
    expect(bySource('audit-sink', 1)).toBe(3);
    // The hanging sink holds two records in flight; the third is dropped and reported.
    expect(bySource('audit-queue-overflow', 2)).toBe(1);
    await pb.close();
  });

  it('holds 1,000 records in flight per hanging sink by default (maxPendingPerSink); the 1,001st is dropped', async () => {
    const reports: PatchbayErrorEvent[] = [];
    const log = new InMemoryAuditLog({ capacity: 2_000 });
    const pb = createPatchbay({
      config: { providers: { a: llm() } },
      factories: mockFactories,
      env: false,
      credentialStore: new InMemoryCredentialStore(),
      audit: { sinks: [{ record: () => new Promise<void>(() => {}) }, log] },
      onError: (event) => reports.push(event),
    });
    const overflows = () => reports.filter((report) => report.source === 'audit-queue-overflow').length;
    for (let tenant = 0; tenant < 1_000; tenant++)
      await pb.credentials.set(`t${tenant}`, 'a', { apiKey: `sk-tenant-${tenant}` });
    expect((await log.query({ limit: 2_000 })).length).toBe(1_000);
    expect(overflows()).toBe(0);
    await pb.credentials.set('t1000', 'a', { apiKey: 'sk-tenant-1000' });
    expect(overflows()).toBe(1);
    expect(reports.find((report) => report.source === 'audit-queue-overflow')).toMatchObject({ sink: 0, dropped: 1 });
    // The other sink still has every record.
    expect((await log.query({ limit: 2_000 })).length).toBe(1_001);
    await pb.close();
  });
});
