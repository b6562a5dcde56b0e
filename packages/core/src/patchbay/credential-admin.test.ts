import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InMemoryAuditLog } from '../audit/in-memory-audit-log.js';
import { defineCredentials, secretInput } from '../credentials/credential-spec.js';
import { InMemoryCredentialStore } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type PatchbayErrorEvent } from '../patchbay.js';
import { AbstractProvider, type ConnectionCheck } from '../provider/abstract-provider.js';
import { defineProviderFactory, type ProviderRuntime } from '../provider/provider-factory.js';
import type { AuditRecord } from '../spec/state.js';

/** A platform admin key, a per-tenant account id, and a field anybody may supply. */
const policyCredentials = defineCredentials({
  fields: {
    adminKey: z.string().min(8),
    accountId: z.string().regex(/^\d+$/),
    region: z.string().optional(),
  },
  env: { adminKey: ['ACME_ADMIN_KEY'], accountId: ['ACME_ACCOUNT_ID'], region: ['ACME_REGION'] },
  secret: ['adminKey'],
  policy: { adminKey: 'platform', accountId: 'tenant' },
});

const settingsSchema = z.object({
  adminKey: secretInput.optional(),
  accountId: z.string().optional(),
  region: z.string().optional(),
  baseURL: z.url().default('https://api.acme.test'),
});

class PolicyProvider extends AbstractProvider<
  z.output<typeof settingsSchema>,
  z.output<typeof policyCredentials.schema>
> {
  readonly kind = 'sms' as const;
  constructor(options: { id: string; settings: unknown; runtime: ProviderRuntime }) {
    super({ ...options, vendor: 'acme', schema: settingsSchema, credentials: policyCredentials });
  }
  protected async checkConnection(): Promise<ConnectionCheck> {
    return { message: 'ok' };
  }
}

const acmeFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'acme',
  label: 'Acme SMS',
  docsUrl: 'https://acme.test/docs',
  create: ({ id, settings, runtime }) => new PolicyProvider({ id, settings, runtime }) as never,
});

const env = { ACME_ADMIN_KEY: 'platform-admin-key', ACME_ACCOUNT_ID: '999', ACME_REGION: 'eu' };

function setup(options: { audit?: InMemoryAuditLog; store?: InMemoryCredentialStore } = {}) {
  const store = options.store ?? new InMemoryCredentialStore();
  const log = options.audit ?? new InMemoryAuditLog();
  const reports: PatchbayErrorEvent[] = [];
  const pb = createPatchbay({
    config: { providers: { acme: { kind: 'sms', vendor: 'acme' } } },
    factories: [acmeFactory],
    credentialStore: store,
    env,
    audit: { sinks: [log] },
    onError: (event) => reports.push(event),
  });
  return { pb, store, log, reports };
}

async function rejection(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
  expect(PatchbayError.isInstance(error)).toBe(true);
  return error as PatchbayError;
}

describe('credential policy', () => {
  it('never takes a tenant-only field from the environment nor a platform-only field from the tenant store', async () => {
    const { pb, store } = setup();
    // No tenant entry: the account id must not fall back to the platform's ACME_ACCOUNT_ID.
    const missing = await pb.tenant('acme-co').provider('acme').test();
    expect(missing.status).toBe('not_configured');
    expect(missing.message).toContain('accountId');
    expect(missing.message).toContain('supplied per tenant only');
    // A platform-only value written straight to the store is ignored (and reported), the env key is used.
    store.set('acme-co', 'acme', { accountId: '123', adminKey: 'tenant-tried-this' });
    const health = await pb.tenant('acme-co').provider('acme').test();
    expect(health.status).toBe('connected');
    expect(health.details).toMatchObject({
      credentialSources: { adminKey: 'environment', accountId: 'tenant-store', region: 'environment' },
      credentialPolicy: { adminKey: 'platform', accountId: 'tenant', region: 'either' },
      ignoredTenantCredentials: ['adminKey'],
    });
  });
});

describe('credential admin', () => {
  it('sets, describes, rotates and deletes a tenant’s credentials, answering names and sources only', async () => {
    const { pb, store, log } = setup();
    const set = await pb.credentials.set('t1', 'acme', { accountId: '4242' }, { actor: 'alice' });
    expect(set.fields).toEqual([
      {
        name: 'adminKey',
        secret: true,
        policy: 'platform',
        env: ['ACME_ADMIN_KEY'],
        stored: false,
        source: 'environment',
      },
      {
        name: 'accountId',
        secret: false,
        policy: 'tenant',
        env: ['ACME_ACCOUNT_ID'],
        stored: true,
        source: 'tenant-store',
      },
      { name: 'region', secret: false, policy: 'either', env: ['ACME_REGION'], stored: false, source: 'environment' },
    ]);
    expect(JSON.stringify(set)).not.toContain('4242');
    await pb.credentials.rotate('t1', 'acme', { region: 'us' }, { actor: 'bob' });
    expect(store.get('t1', 'acme')?.accountId?.toString()).toBe('[redacted]');
    expect(Object.keys(store.get('t1', 'acme') ?? {})).toEqual(['accountId', 'region']);
    const deleted = await pb.credentials.delete('t1', 'acme', { actor: 'carol' });
    expect(deleted.fields.find((field) => field.name === 'accountId')).toMatchObject({ stored: false, source: null });
    const records = (await log.query()).reverse();
    expect(
      records.map((record) => [record.action, record.actor, record.tenant, record.provider, record.fields]),
    ).toEqual([
      ['credentials.set', 'alice', 't1', 'acme', ['accountId']],
      ['credentials.rotate', 'bob', 't1', 'acme', ['region']],
      ['credentials.delete', 'carol', 't1', 'acme', ['accountId', 'region']],
    ]);
    const [setRecord, rotateRecord, deleteRecord] = records as [AuditRecord, AuditRecord, AuditRecord];
    expect(setRecord.before).toBeNull();
    expect(setRecord.after).toMatch(/^[0-9a-f]{64}$/);
    expect(rotateRecord.before).toBe(setRecord.after);
    expect(rotateRecord.after).not.toBe(rotateRecord.before);
    expect(deleteRecord.after).toBeNull();
    for (const record of records) expect(JSON.stringify(record) + inspect(record)).not.toMatch(/4242|"us"/);
  });

  it('refuses unknown and platform-only fields with a typed error naming the field, and audits the failure', async () => {
    const { pb, log, store } = setup();
    const unknown = await rejection(pb.credentials.set('t1', 'acme', { baseURL: 'https://evil.test', accountId: '1' }));
    expect(unknown.code).toBe('invalid_request');
    expect(unknown.details?.issues).toEqual([expect.objectContaining({ path: 'values.baseURL' })]);
    const platform = await rejection(pb.credentials.set('t1', 'acme', { adminKey: 'tenant-admin-key' }));
    expect(platform.details?.issues).toEqual([
      { path: 'values.adminKey', message: expect.stringContaining('platform-only') },
    ]);
    expect(platform.message).not.toContain('tenant-admin-key');
    const empty = await rejection(pb.credentials.set('t1', 'acme', { accountId: '' }));
    expect(empty.details?.issues).toEqual([expect.objectContaining({ path: 'values.accountId' })]);
    const noProvider = await rejection(pb.credentials.set('t1', 'nope', { accountId: '1' }));
    expect(noProvider.details?.issues).toEqual([expect.objectContaining({ path: 'provider' })]);
    const badTenant = await rejection(pb.credentials.set('' as string, 'acme', { accountId: '1' }));
    expect(badTenant.details?.issues).toEqual([expect.objectContaining({ path: 'tenant' })]);
    const rotateMissing = await rejection(pb.credentials.rotate('t2', 'acme', { accountId: '1' }));
    expect(rotateMissing.message).toContain('use set');
    expect(store.get('t1', 'acme')).toBeUndefined();
    const failures = await log.query({ action: 'credentials.set' });
    expect(failures).toHaveLength(5);
    expect(failures.every((record) => record.outcome === 'failure')).toBe(true);
    expect(JSON.stringify(failures)).not.toContain('tenant-admin-key');
  });

  it('audits validateCredentials with the actor, without the candidate’s values', async () => {
    const { pb, log } = setup();
    const answer = await pb.validateCredentials(
      'acme',
      { adminKey: 'candidate-admin-key', accountId: '77' },
      { actor: 'wizard', tenant: 't9' },
    );
    expect(answer.valid).toBe(true);
    const bad = await pb.validateCredentials('acme', { baseURL: 'https://x.test' }, { actor: 'wizard' });
    expect(bad.valid).toBe(false);
    const records = await log.query({ action: 'credentials.validate' });
    expect(records.map((record) => [record.outcome, record.actor, record.fields])).toEqual([
      ['failure', 'wizard', ['baseURL']],
      ['success', 'wizard', ['adminKey', 'accountId']],
    ]);
    expect(records[1]?.tenant).toBe('t9');
    expect(JSON.stringify(records)).not.toContain('candidate-admin-key');
  });
});
