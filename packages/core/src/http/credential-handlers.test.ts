import { createFakeClock, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InMemoryAuditLog } from '../audit/in-memory-audit-log.js';
import { defineCredentials, secretInput } from '../credentials/credential-spec.js';
import { type CredentialStore, InMemoryCredentialStore } from '../credentials/credential-store.js';
import { PatchbayError } from '../errors/patchbay-error.js';
import { InMemoryLimitStore } from '../limits/in-memory-limit-store.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import { AbstractProvider, type ConnectionCheck } from '../provider/abstract-provider.js';
import { defineProviderFactory, type ProviderRuntime } from '../provider/provider-factory.js';
import { reveal } from '../secrets/secret.js';
import type { LimitStore } from '../spec/state.js';
import { createCredentialAdminHandler } from './admin-credentials-handler.js';
import { createValidateCredentialsHandler } from './validate-credentials-handler.js';

const goodKey = 'good-key-1234567';
let open: Patchbay[] = [];

function setup() {
  const store = new InMemoryCredentialStore();
  const log = new InMemoryAuditLog();
  const pb = createPatchbay({
    config: {
      providers: { main: { kind: 'llm', vendor: 'mock', settings: { acceptedApiKeys: [goodKey] } } },
    },
    factories: mockFactories,
    env: false,
    credentialStore: store,
    audit: { sinks: [log] },
  });
  open.push(pb);
  return { pb, store, log };
}

afterEach(async () => {
  for (const pb of open) await pb.close();
  open = [];
});

const authorize = (request: Request) =>
  request.headers.get('authorization') === 'Bearer admin' ? { actor: 'admin-user' } : false;

function post(body: RequestInit['body'], headers: Record<string, string> = {}, method = 'POST'): Request {
  return new Request('http://127.0.0.1/credentials', {
    method,
    body,
    headers: { authorization: 'Bearer admin', 'content-type': 'application/json', ...headers },
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

async function answer(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function hugeStream(bytes: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const chunk = new TextEncoder().encode('{"x":"'.padEnd(1024, 'a'));
  return {
    pulled: () => pulled,
    stream: new ReadableStream({
      pull(controller) {
        if (pulled >= bytes) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  };
}

describe('validate credentials handler', () => {
  it('validates a candidate live, then saves it for the tenant when asked, answering no value', async () => {
    const { pb, store, log } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize });
    const bad = await answer(
      await handler(post(JSON.stringify({ provider: 'main', credentials: { apiKey: 'wrong-key-9999999' } }))),
    );
    expect(bad).toMatchObject({ status: 200, body: { valid: false, status: 'error', saved: false } });
    const good = await answer(
      await handler(
        post(JSON.stringify({ provider: 'main', tenant: 'acme', credentials: { apiKey: goodKey }, save: true })),
      ),
    );
    expect(good).toMatchObject({ status: 200, body: { valid: true, status: 'connected', saved: true, issues: [] } });
    expect(JSON.stringify(good.body)).not.toContain(goodKey);
    expect(reveal(store.get('acme', 'main')?.apiKey)).toBe(goodKey);
    const actions = (await log.query()).map((record) => [record.action, record.actor, record.outcome]);
    expect(actions).toEqual([
      ['credentials.set', 'admin-user', 'success'],
      ['credentials.validate', 'admin-user', 'success'],
      ['credentials.validate', 'admin-user', 'failure'],
    ]);
  });

  it('refuses settings such as baseURL by name: only credential fields are accepted', async () => {
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize });
    const result = await answer(
      await handler(
        post(JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey, baseURL: 'https://evil.test' } })),
      ),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ valid: false, status: null });
    expect(result.body.issues).toEqual([expect.objectContaining({ path: 'credentials.baseURL' })]);
  });

  it('answers hostile and malformed requests with typed 4xx, never a 500', async () => {
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize, rateLimit: false, maxBodyBytes: 4_096 });
    const cases: [Request, number, string][] = [
      [post('{}', { authorization: 'Bearer nope' }), 401, 'unauthorized'],
      [post(null, {}, 'GET'), 405, 'method_not_allowed'],
      [post('provider=main', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
      [post('{"provider":"main"', {}), 400, 'invalid_json'],
      [post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), {}), 400, 'invalid_encoding'],
      [post('[1,2,3]'), 400, 'invalid_request'],
      [post('"text"'), 400, 'invalid_request'],
      [post('null'), 400, 'invalid_request'],
      [post('['.repeat(4_000)), 400, 'invalid_json'],
      [post(`{"a":${'['.repeat(2_000)}${']'.repeat(2_000)}}`), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'main', credentials: 'sk-123' })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'main', credentials: { apiKey: 42 } })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'nope', credentials: { apiKey: 'x' } })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: ['main'], credentials: {} })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'main', credentials: {}, save: 'yes' })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'main', credentials: {}, save: true })), 400, 'invalid_request'],
      [post(JSON.stringify({ provider: 'main', credentials: {}, extra: 1 })), 400, 'invalid_request'],
      [post('{"__proto__":{"polluted":true},"provider":"main","credentials":{}}'), 400, 'invalid_request'],
      [
        post('{"constructor":{"prototype":{"polluted":true}},"provider":"main","credentials":{}}'),
        400,
        'invalid_request',
      ],
      [post('x'.repeat(5_000)), 413, 'body_too_large'],
    ];
    for (const [request, status, code] of cases) {
      const result = await answer(await handler(request));
      expect([result.status, (result.body.error as { code: string }).code]).toEqual([status, code]);
    }
    const proto = await answer(
      await handler(post('{"provider":"main","credentials":{"__proto__":"x","constructor":"y"}}')),
    );
    expect(proto.body).toMatchObject({ valid: false });
    expect((proto.body.issues as { path: string }[]).map((issue) => issue.path).sort()).toEqual([
      'credentials.__proto__',
      'credentials.constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops reading a huge streamed body at the cap', async () => {
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize, maxBodyBytes: 8_192 });
    const huge = hugeStream(50 * 1024 * 1024);
    const result = await answer(await handler(post(huge.stream)));
    expect(result.status).toBe(413);
    expect(huge.pulled()).toBeLessThan(64 * 1024);
  });

  it('rate-limits validations per caller and says when to retry', async () => {
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize, rateLimit: { max: 2, windowMs: 60_000 } });
    const body = JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey } });
    expect((await handler(post(body))).status).toBe(200);
    expect((await handler(post(body))).status).toBe(200);
    const limited = await handler(post(body));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('by default allows 10 validations a minute per caller, then 429 until the minute is over (fake clock)', async () => {
    // The in-memory limit store's windows are aligned to the epoch: start on a minute boundary.
    using clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0) });
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, {
      authorize: (request) => ({ actor: request.headers.get('x-actor') ?? 'admin-user' }),
    });
    const body = JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey } });
    for (let index = 0; index < 10; index++) expect((await handler(post(body))).status).toBe(200);
    const limited = await handler(post(body));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    // Per caller: another actor has its own 10.
    expect((await handler(post(body, { 'x-actor': 'other-user' }))).status).toBe(200);
    await clock.advance(59_999);
    expect((await handler(post(body))).status).toBe(429);
    await clock.advance(1);
    expect((await handler(post(body))).status).toBe(200);
  });

  it('keeps 10 a minute when only a store is given, and refuses a rate limit that would not limit (fake clock)', async () => {
    using clock = createFakeClock({ now: Date.UTC(2026, 0, 1, 12, 0) });
    const { pb } = setup();
    const seen: [number, number][] = [];
    const limits = new InMemoryLimitStore();
    const store: LimitStore = {
      reserve: (key, amount, limit, windowMs, now) => {
        seen.push([limit, windowMs]);
        return limits.reserve(key, amount, limit, windowMs, now);
      },
      settle: () => {},
      peek: () => 0,
    };
    // A JavaScript caller may leave max and windowMs out: the defaults apply (before, NaN windows granted all).
    const handler = createValidateCredentialsHandler(pb, { authorize, rateLimit: { store } as never });
    const body = JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey } });
    for (let index = 0; index < 10; index++) expect((await handler(post(body))).status).toBe(200);
    expect((await handler(post(body))).status).toBe(429);
    expect(seen[0]).toEqual([10, 60_000]);
    await clock.advance(60_000);
    expect((await handler(post(body))).status).toBe(200);
    // NaN max used to grant every validation: now refused when the handler is made.
    expect(() =>
      createValidateCredentialsHandler(pb, { authorize, rateLimit: { max: Number.NaN, windowMs: 60_000 } }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        details: expect.objectContaining({ field: 'rateLimit.max' }),
      }),
    );
  });

  it('reads a body of up to 16 KiB by default; one byte more is 413', async () => {
    const { pb } = setup();
    const handler = createValidateCredentialsHandler(pb, { authorize, rateLimit: false });
    const json = JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey } });
    const exactly = json.padEnd(16 * 1024, ' ');
    expect(new TextEncoder().encode(exactly).byteLength).toBe(16_384);
    const fits = await answer(await handler(post(exactly)));
    expect(fits).toMatchObject({ status: 200, body: { valid: true } });
    const over = await answer(await handler(post(`${exactly} `)));
    expect([over.status, (over.body.error as { code: string }).code]).toEqual([413, 'body_too_large']);
  });

  it('keeps a tenant-scoped caller to its tenant and answers 500 (not the caller’s way in) when authorize throws', async () => {
    const { pb } = setup();
    const scoped = createValidateCredentialsHandler(pb, { authorize: () => ({ actor: 'u', tenant: 'acme' }) });
    const other = await handler403(scoped);
    expect(other).toBe(403);
    const throwing = createValidateCredentialsHandler(pb, {
      authorize: () => {
        throw new Error('session store down');
      },
    });
    expect((await throwing(post('{}'))).status).toBe(500);
  });
});

describe('credential handlers: user code that hangs', () => {
  const never = () => new Promise<never>(() => {});
  const body = JSON.stringify({ provider: 'main', credentials: { apiKey: goodKey } });

  it('answer 503 timeout when authorize hangs past hookTimeoutMs, leaving no timer (fake clock)', async () => {
    using clock = createFakeClock();
    const { pb } = setup();
    const handlers = [
      createValidateCredentialsHandler(pb, { authorize: never, hookTimeoutMs: 1_000 }),
      createCredentialAdminHandler(pb, { authorize: never, hookTimeoutMs: 1_000 }),
    ];
    const requests = [post(body), post(body, {}, 'PUT')];
    for (const [index, handler] of handlers.entries()) {
      const pending = handler(requests[index] as Request);
      await clock.advance(999);
      await clock.advance(1);
      const timedOut = await answer(await pending);
      expect(timedOut).toMatchObject({ status: 503, body: { error: { code: 'timeout' } } });
    }
    expect(clock.pendingTimers()).toBe(0);
  });

  it('answers 503 timeout when the rate-limit store hangs; by default after 5 s (fake clock)', async () => {
    using clock = createFakeClock();
    const { pb } = setup();
    const store = { reserve: never } as unknown as LimitStore;
    const handler = createValidateCredentialsHandler(pb, {
      authorize,
      rateLimit: { max: 10, windowMs: 60_000, store },
    });
    const pending = handler(post(body));
    await clock.advance(5_000);
    expect(await answer(await pending)).toMatchObject({ status: 503, body: { error: { code: 'timeout' } } });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuse a hookTimeoutMs that is not a duration above 0, naming it', () => {
    const { pb } = setup();
    for (const hookTimeoutMs of [0, -1, Number.NaN, 2 ** 31]) {
      for (const create of [createValidateCredentialsHandler, createCredentialAdminHandler]) {
        expect(() => create(pb, { authorize, hookTimeoutMs })).toThrow(
          expect.objectContaining({
            code: 'invalid_request',
            details: expect.objectContaining({ field: 'hookTimeoutMs' }),
          }),
        );
      }
    }
  });
});

async function handler403(handler: (request: Request) => Promise<Response>): Promise<number> {
  const response = await handler(
    post(JSON.stringify({ provider: 'main', tenant: 'globex', credentials: { apiKey: 'k' } })),
  );
  return response.status;
}

describe('credential admin handler', () => {
  it('sets, rotates, describes and deletes over HTTP, answering field names and sources only', async () => {
    const { pb, log } = setup();
    const handler = createCredentialAdminHandler(pb, { authorize });
    const put = await answer(
      await handler(
        post(JSON.stringify({ tenant: 'acme', provider: 'main', credentials: { apiKey: goodKey } }), {}, 'PUT'),
      ),
    );
    expect(put).toMatchObject({
      status: 200,
      body: { tenant: 'acme', provider: 'main', fields: [{ name: 'apiKey', stored: true, source: 'tenant-store' }] },
    });
    expect(JSON.stringify(put.body)).not.toContain(goodKey);
    const patch = await handler(
      post(
        JSON.stringify({ tenant: 'acme', provider: 'main', credentials: { apiKey: 'rotated-key-7654321' } }),
        {},
        'PATCH',
      ),
    );
    expect(patch.status).toBe(200);
    const described = await answer(
      await handler(
        new Request('http://x/c?tenant=acme&provider=main', { headers: { authorization: 'Bearer admin' } }),
      ),
    );
    expect(described.body).toMatchObject({ fields: [{ name: 'apiKey', stored: true }] });
    const deleted = await answer(
      await handler(
        new Request('http://x/c?tenant=acme&provider=main', {
          method: 'DELETE',
          headers: { authorization: 'Bearer admin' },
        }),
      ),
    );
    expect(deleted.body).toMatchObject({ fields: [{ name: 'apiKey', stored: false, source: null }] });
    expect((await log.query()).map((record) => [record.action, record.actor])).toEqual([
      ['credentials.delete', 'admin-user'],
      ['credentials.rotate', 'admin-user'],
      ['credentials.set', 'admin-user'],
    ]);
  });

  it('answers bad input with typed 4xx naming the field', async () => {
    const { pb } = setup();
    const handler = createCredentialAdminHandler(pb, { authorize, maxBodyBytes: 1_024 });
    const cases: [Request, number, string, string | undefined][] = [
      [
        post(JSON.stringify({ tenant: 'acme', provider: 'main', credentials: { baseURL: 'x' } }), {}, 'PUT'),
        400,
        'invalid_request',
        'credentials.baseURL',
      ],
      [
        post(JSON.stringify({ provider: 'main', credentials: { apiKey: 'x' } }), {}, 'PUT'),
        400,
        'invalid_request',
        'tenant',
      ],
      [
        post(JSON.stringify({ tenant: 'acme', provider: 'main', credentials: { apiKey: 'x' } }), {}, 'PATCH'),
        400,
        'invalid_request',
        'provider',
      ],
      [
        post(JSON.stringify({ tenant: 'acme', provider: 'zzz', credentials: { apiKey: 'x' } }), {}, 'PUT'),
        400,
        'invalid_request',
        'provider',
      ],
      [post('x'.repeat(2_000), {}, 'PUT'), 413, 'body_too_large', undefined],
      [post('{}', {}, 'POST'), 405, 'method_not_allowed', undefined],
      [
        new Request('http://x/c?provider=main', { headers: { authorization: 'Bearer admin' } }),
        400,
        'invalid_request',
        'tenant',
      ],
    ];
    for (const [request, status, code, path] of cases) {
      const result = await answer(await handler(request));
      const error = result.body.error as { code: string; issues?: { path: string }[] };
      expect([result.status, error.code]).toEqual([status, code]);
      if (path) expect(error.issues?.map((issue) => issue.path)).toContain(path);
    }
  });

  it('keeps a tenant-scoped caller to its own tenant', async () => {
    const { pb } = setup();
    const handler = createCredentialAdminHandler(pb, { authorize: () => ({ actor: 'acme-admin', tenant: 'acme' }) });
    const other = await handler(new Request('http://x/c?tenant=globex&provider=main'));
    expect(other.status).toBe(403);
    const own = await answer(await handler(new Request('http://x/c?provider=main')));
    expect(own).toMatchObject({ status: 200, body: { tenant: 'acme', provider: 'main' } });
  });

  it('answers 503 when no writable credential store was given', async () => {
    const pb = createPatchbay({
      config: { providers: { main: { kind: 'llm', vendor: 'mock' } } },
      factories: mockFactories,
      env: false,
    });
    open.push(pb);
    const handler = createCredentialAdminHandler(pb, { authorize });
    const result = await answer(
      await handler(post(JSON.stringify({ tenant: 'a', provider: 'main', credentials: { apiKey: 'k' } }), {}, 'PUT')),
    );
    expect(result).toMatchObject({ status: 503, body: { error: { code: 'not_configured' } } });
  });
});

/** A provider whose `adminKey` is platform-only (operator's settings or environment, never a tenant's store). */
const policyCredentials = defineCredentials({
  fields: { adminKey: z.string().min(8), accountId: z.string().regex(/^\d+$/) },
  env: { adminKey: ['ACME_ADMIN_KEY'], accountId: ['ACME_ACCOUNT_ID'] },
  secret: ['adminKey'],
  policy: { adminKey: 'platform', accountId: 'tenant' },
});
const policySettings = z.object({ adminKey: secretInput.optional(), accountId: z.string().optional() });

class PolicyProvider extends AbstractProvider<
  z.output<typeof policySettings>,
  z.output<typeof policyCredentials.schema>
> {
  readonly kind = 'sms' as const;
  constructor(options: { id: string; settings: unknown; runtime: ProviderRuntime }) {
    super({ ...options, vendor: 'acme', schema: policySettings, credentials: policyCredentials });
  }
  protected async checkConnection(): Promise<ConnectionCheck> {
    return { message: 'ok' };
  }
}

const policyFactory = defineProviderFactory({
  kind: 'sms',
  vendor: 'acme',
  label: 'Acme SMS',
  docsUrl: 'https://acme.test/docs',
  create: ({ id, settings, runtime }) => new PolicyProvider({ id, settings, runtime }) as never,
});

describe('credential handlers and the credential policy', () => {
  it('refuse a platform-only field by name (400), store nothing and echo no value', async () => {
    const store = new InMemoryCredentialStore({ t1: { acme: { accountId: '1' } } });
    const pb = createPatchbay({
      config: { providers: { acme: { kind: 'sms', vendor: 'acme' } } },
      factories: [policyFactory],
      env: { ACME_ADMIN_KEY: 'platform-admin-key' },
      credentialStore: store,
    });
    open.push(pb);
    const admin = createCredentialAdminHandler(pb, { authorize });
    const validate = createValidateCredentialsHandler(pb, { authorize, rateLimit: false });
    const tenantKey = 'tenant-admin-key-123';
    const writes: [string, Request][] = [
      [
        'PUT',
        post(JSON.stringify({ tenant: 't1', provider: 'acme', credentials: { adminKey: tenantKey } }), {}, 'PUT'),
      ],
      [
        'PATCH',
        post(
          JSON.stringify({ tenant: 't1', provider: 'acme', credentials: { adminKey: tenantKey, accountId: '2' } }),
          {},
          'PATCH',
        ),
      ],
    ];
    for (const [method, request] of writes) {
      const response = await admin(request);
      const text = await response.clone().text();
      const result = await answer(response);
      expect([method, result.status]).toEqual([method, 400]);
      expect(result.body.error).toMatchObject({
        code: 'invalid_request',
        issues: [{ path: 'credentials.adminKey', message: expect.stringContaining('platform-only') }],
      });
      expect(text).not.toContain(tenantKey);
    }
    // Saving through the validation handler is a write too: refused the same way.
    const saved = await validate(
      post(
        JSON.stringify({
          provider: 'acme',
          tenant: 't1',
          credentials: { adminKey: tenantKey, accountId: '3' },
          save: true,
        }),
      ),
    );
    const savedText = await saved.clone().text();
    expect(saved.status).toBe(400);
    // The same request field as the admin handler names: `credentials.adminKey`.
    expect(((await saved.json()) as { error: { issues: unknown } }).error.issues).toEqual([
      { path: 'credentials.adminKey', message: expect.stringContaining('platform-only') },
    ]);
    expect(savedText).not.toContain(tenantKey);
    // Nothing changed in the store: the tenant's entry is the one it had.
    expect(Object.keys(store.get('t1', 'acme') ?? {})).toEqual(['accountId']);
    expect(reveal(store.get('t1', 'acme')?.accountId)).toBe('1');
    // A tenant-supplied field on its own is accepted, so the refusal above is the policy's.
    const allowed = await admin(
      post(JSON.stringify({ tenant: 't1', provider: 'acme', credentials: { accountId: '4' } }), {}, 'PUT'),
    );
    expect(allowed.status).toBe(200);
  });
});

describe('credential handlers: errors the admin API throws', () => {
  function failingSetup(failure: () => unknown) {
    const store: CredentialStore = {
      get: () => undefined,
      set: () => {
        throw failure();
      },
    };
    const pb = createPatchbay({
      config: {
        providers: { main: { kind: 'llm', vendor: 'mock', settings: { acceptedApiKeys: [goodKey] } } },
      },
      factories: mockFactories,
      env: false,
      credentialStore: store,
    });
    open.push(pb);
    return {
      admin: createCredentialAdminHandler(pb, { authorize }),
      validate: createValidateCredentialsHandler(pb, { authorize, rateLimit: false }),
    };
  }
  const put = () =>
    post(JSON.stringify({ tenant: 'acme', provider: 'main', credentials: { apiKey: goodKey } }), {}, 'PUT');
  const save = () =>
    post(JSON.stringify({ provider: 'main', tenant: 'acme', credentials: { apiKey: goodKey }, save: true }));

  it('answer limit_exceeded with 429 and a Retry-After in whole seconds (at least 1)', async () => {
    const withWait = failingSetup(
      () => new PatchbayError({ code: 'limit_exceeded', message: 'Too many credential writes', retryAfterMs: 2_100 }),
    );
    for (const response of [await withWait.admin(put()), await withWait.validate(save())]) {
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect((await answer(response)).body.error).toMatchObject({
        code: 'limit_exceeded',
        message: 'Too many credential writes',
      });
    }
    const withoutWait = failingSetup(() => new PatchbayError({ code: 'limit_exceeded', message: 'Over the limit' }));
    const response = await withoutWait.admin(put());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    const short = failingSetup(
      () => new PatchbayError({ code: 'limit_exceeded', message: 'Over the limit', retryAfterMs: 10 }),
    );
    expect((await short.admin(put())).headers.get('retry-after')).toBe('1');
  });

  it('answer anything unexpected with a bare 500 that leaks no detail', async () => {
    const leak = 'postgres://admin:hunter2@db.internal:5432';
    const failures: (() => unknown)[] = [
      () => new Error(`connection to ${leak} refused`),
      () => new PatchbayError({ code: 'unavailable', message: `store at ${leak} is down`, status: 503 }),
      () => `a thrown string naming ${leak}`,
    ];
    for (const failure of failures) {
      const handlers = failingSetup(failure);
      for (const response of [await handlers.admin(put()), await handlers.validate(save())]) {
        expect(response.status).toBe(500);
        expect(response.headers.get('retry-after')).toBeNull();
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'The request could not be handled' } });
        expect(text).not.toContain('hunter2');
      }
    }
  });
});
