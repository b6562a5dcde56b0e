import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeClock, type FakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createStatusMonitor, type StatusMonitor } from '../monitor/status-monitor.js';
import { createPatchbay } from '../patchbay.js';
import { Secret } from '../secrets/index.js';
import { createStatusHandler, type StatusHandlerOptions } from './status-handler.js';
import { toNodeListener } from './status-node-listener.js';

const canary = 'sk-canary0123456789abcdefghijklmnop';
let clock: FakeClock | undefined;
let cleanups: (() => unknown)[] = [];

function setup(options: Partial<StatusHandlerOptions> = {}, withMonitor = false) {
  const patchbay = createPatchbay({
    config: {
      providers: {
        a: { kind: 'llm', vendor: 'mock', settings: { apiKey: Secret.from(canary), script: { text: 'ok' } } },
        b: { kind: 'llm', vendor: 'mock', settings: { script: { text: 'ok' } } },
      },
      tenants: { acme: { providers: { b: { settings: { health: 'error' } } } } },
    },
    factories: mockFactories,
    env: false,
  });
  let monitor: StatusMonitor | undefined;
  if (withMonitor) monitor = createStatusMonitor(patchbay, { intervalMs: 60_000 });
  cleanups.push(
    () => monitor?.stop(),
    () => patchbay.close(),
  );
  return { patchbay, monitor, handler: createStatusHandler({ patchbay, monitor, ...options }) };
}

interface Body {
  integrations: Record<string, { status: string }>;
  overall_status: string;
  error: { code: string; field?: string; message: string };
  history: Record<string, { uptime_1h: number | null; points: unknown[] }>;
  usage: unknown[];
  usage_window: string;
}
const read = async (response: Response): Promise<Body> => (await response.json()) as Body;

const get = (path: string, init: RequestInit = {}) => new Request(`http://status.test${path}`, init);

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  clock?.uninstall();
  clock = undefined;
});

describe('createStatusHandler', () => {
  it('answers GET with the integration-status shape and no secret', async () => {
    const { handler } = setup();
    const response = await handler(get('/status'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(text).not.toContain(canary);
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['integrations', 'last_checked', 'overall_status']);
    expect(body.overall_status).toBe('healthy');
    expect(body.integrations.a).toMatchObject({ status: 'connected', healthy: true, kind: 'llm', vendor: 'mock' });
  });

  it('scrubs a secret a check echoes in its message', async () => {
    const { patchbay } = setup();
    const monitor = createStatusMonitor(patchbay, {
      checks: { stripe: () => ({ status: 'error', message: `Stripe refused key ${canary}` }) },
    });
    cleanups.push(() => monitor.stop());
    const handler = createStatusHandler({ patchbay, monitor });
    const text = await (await handler(get('/status?refresh=true'))).text();
    expect(text).toContain('Stripe refused key');
    expect(text).not.toContain(canary);
  });

  it('scopes to the tenant the resolver names, including odd ids such as __proto__', async () => {
    const { handler } = setup({ tenant: (request) => new URL(request.url).searchParams.get('tenant') ?? undefined });
    const acme = await read(await handler(get('/status?tenant=acme')));
    expect(acme.integrations.b?.status).toBe('error');
    expect(acme.overall_status).toBe('degraded');
    const proto = await handler(get('/status?tenant=__proto__'));
    expect(proto.status).toBe(200);
    expect((await read(proto)).overall_status).toBe('healthy');
    const numeric = setup({ tenant: () => 42 as unknown as string }).handler;
    expect((await numeric(get('/status'))).status).toBe(400);
    const control = await handler(get('/status?tenant=a%00b'));
    expect(control.status).toBe(400);
    expect((await read(control)).error).toMatchObject({ code: 'invalid_request', field: 'tenant' });
  });

  it('answers typed 4xx for wrong methods, bad or repeated parameters and huge URLs', async () => {
    const { handler } = setup();
    const post = await handler(get('/status', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await read(post)).error.code).toBe('invalid_request');
    const bad = await handler(get('/status?refresh=maybe'));
    expect(bad.status).toBe(400);
    expect((await read(bad)).error.field).toBe('query.refresh');
    const repeated = await handler(get('/status?refresh=1&refresh=0'));
    expect((await read(repeated)).error.message).toContain('more than once');
    expect((await handler(get('/status?include=constructor'))).status).toBe(400);
    expect((await handler(get(`/status?x=${'a'.repeat(100_000)}`))).status).toBe(414);
    const odd = await handler(get(`/status?${'&'.repeat(4_000)}=&__proto__=1&_=123`));
    expect(odd.status).toBe(200);
    const head = await handler(get('/status', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('isolates an auth hook that refuses, throws or hangs, and a tenant resolver that throws', async () => {
    const refusing = setup({ authorize: () => false }).handler;
    expect((await refusing(get('/status'))).status).toBe(401);
    const throwing = setup({
      authorize: () => {
        throw new Error('session store down');
      },
    }).handler;
    const thrown = await throwing(get('/status'));
    expect(thrown.status).toBe(401);
    expect(await thrown.text()).not.toContain('session store');
    const resolverThrows = setup({
      tenant: () => {
        throw new Error('no');
      },
    }).handler;
    expect((await resolverThrows(get('/status'))).status).toBe(400);
    clock = createFakeClock();
    const hanging = setup({ authorize: () => new Promise(() => {}), hookTimeoutMs: 1_000 }).handler;
    const pending = hanging(get('/status'));
    await clock.advance(1_000);
    const timedOut = await pending;
    expect(timedOut.status).toBe(503);
    expect((await read(timedOut)).error.code).toBe('timeout');
    const allowed = setup({ authorize: (_request, { tenant }) => tenant === undefined }).handler;
    expect((await allowed(get('/status'))).status).toBe(200);
  });

  it('answers 503 when the tenant resolver hangs past hookTimeoutMs (fake clock), without asking authorize', async () => {
    clock = createFakeClock({ now: 0 });
    let authorizeCalls = 0;
    const { handler } = setup({
      tenant: () => new Promise<string>(() => {}),
      authorize: () => {
        authorizeCalls++;
        return true;
      },
      hookTimeoutMs: 2_000,
    });
    let settled = false;
    const pending = handler(get('/status')).finally(() => {
      settled = true;
    });
    await clock.advance(1_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(settled).toBe(true);
    const timedOut = await pending;
    expect(timedOut.status).toBe(503);
    expect((await read(timedOut)).error).toMatchObject({ code: 'timeout', field: 'tenant' });
    expect(authorizeCalls).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    // The default bound is 5 s.
    const byDefault = setup({ tenant: () => new Promise<string>(() => {}) }).handler;
    settled = false;
    const waiting = byDefault(get('/status')).finally(() => {
      settled = true;
    });
    await clock.advance(4_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(settled).toBe(true);
    expect((await waiting).status).toBe(503);
  });

  it('forces a check with ?refresh=true, rate-limited per tenant', async () => {
    clock = createFakeClock({ now: 0 });
    const { handler, patchbay } = setup({ minRefreshIntervalMs: 10_000 }, true);
    await clock.runDue();
    (patchbay.provider('a') as MockLanguageModel).setHealth('error');
    expect((await read(await handler(get('/status')))).integrations.a?.status).toBe('connected');
    const refreshed = await handler(get('/status?refresh=true'));
    expect((await read(refreshed)).integrations.a?.status).toBe('error');
    const limited = await handler(get('/status?refresh=true'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    await clock.advance(10_000);
    expect((await handler(get('/status?refresh=true'))).status).toBe(200);
  });

  it('allows one forced refresh per 10 s per tenant by default (minRefreshIntervalMs), with Retry-After: 10', async () => {
    clock = createFakeClock({ now: 0 });
    const { handler } = setup({}, true);
    await clock.runDue();
    expect((await handler(get('/status?refresh=true'))).status).toBe(200);
    const limited = await handler(get('/status?refresh=true'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    await clock.advance(9_999);
    expect((await handler(get('/status?refresh=true'))).status).toBe(429);
    await clock.advance(1);
    expect((await handler(get('/status?refresh=true'))).status).toBe(200);
  });

  it('answers 414 for a URL of 8,193 characters, not for one of exactly 8 KiB', async () => {
    const { handler } = setup();
    const base = 'http://status.test/status?x=';
    const url = (length: number) => `${base}${'a'.repeat(length - base.length)}`;
    const atLimit = get(url(8_192).slice('http://status.test'.length));
    expect(atLimit.url).toHaveLength(8_192);
    expect((await handler(atLimit)).status).toBe(200);
    const over = get(url(8_193).slice('http://status.test'.length));
    expect(over.url).toHaveLength(8_193);
    const refused = await handler(over);
    expect(refused.status).toBe(414);
    expect((await read(refused)).error.field).toBe('url');
  });

  it('adds history and usage only when asked (?include=history,usage)', async () => {
    clock = createFakeClock({ now: 0 });
    const { handler, patchbay } = setup({}, true);
    await clock.runDue();
    await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hi' }] });
    const body = await read(await handler(get('/status?include=history,usage')));
    expect(body.history.a?.uptime_1h).toBe(1);
    expect(body.history.a?.points).toHaveLength(1);
    expect(body.usage.length).toBeGreaterThan(0);
    expect(body.usage_window).toBe('24h');
    const lastHour = await read(await handler(get('/status?include=usage&window=1h')));
    expect(lastHour.usage_window).toBe('1h');
    expect(lastHour.usage).toEqual([
      expect.objectContaining({ tenant: null, provider: 'a', unit: 'input_tokens', calls: 1, failures: 0 }),
      expect.objectContaining({ tenant: null, provider: 'a', unit: 'output_tokens', calls: 1, failures: 0 }),
    ]);
    await clock.advance(2 * 3_600_000);
    expect((await read(await handler(get('/status?include=usage&window=1h')))).usage).toEqual([]);
    const wrong = await handler(get('/status?include=usage&window=2d'));
    expect(wrong.status).toBe(400);
    expect((await read(wrong)).error.field).toBe('query.window');
  });

  it('serves the page for Accept: text/html, with the data escaped', async () => {
    const { patchbay } = setup();
    const handler = createStatusHandler({ patchbay, title: '<script>alert(1)</script>' });
    const response = await handler(get('/status', { headers: { accept: 'text/html,application/xhtml+xml' } }));
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain(canary);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    const json = await handler(get('/status?format=json', { headers: { accept: 'text/html' } }));
    expect(json.headers.get('content-type')).toContain('application/json');
  });

  it('tells the page to refresh itself every 15 s by default (pageRefreshMs)', async () => {
    const { patchbay } = setup();
    const page = async (options: Partial<StatusHandlerOptions>) =>
      (await createStatusHandler({ patchbay, ...options })(get('/status?format=html'))).text();
    const html = await page({});
    expect(html.match(/data-refresh-ms="(\d+)"/)?.[1]).toBe('15000');
    expect((await page({ pageRefreshMs: 30_000 })).match(/data-refresh-ms="(\d+)"/)?.[1]).toBe('30000');
  });
});

describe('toNodeListener', () => {
  it('serves the status handler from node:http on 127.0.0.1', async () => {
    const { handler } = setup();
    const server: Server = createServer(toNodeListener(handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const ok = await fetch(`${base}/status`);
    expect(ok.status).toBe(200);
    expect((await read(ok)).overall_status).toBe('healthy');
    const wrong = await fetch(`${base}/status`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    const big = await fetch(`${base}/status`, { method: 'POST', body: 'x'.repeat(2_000_000) });
    expect(big.status).toBe(413);
  });

  it('reads a body of up to 1 MiB by default; one byte more is 413; a bad cap is refused at construction', async () => {
    expect(() => toNodeListener(async () => new Response(), { maxBodyBytes: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'invalid_request', details: expect.objectContaining({ field: 'maxBodyBytes' }) }),
    );
    const echo = async (request: Request) => new Response(String((await request.arrayBuffer()).byteLength));
    const server: Server = createServer(toNodeListener(echo));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as AddressInfo;
    const fits = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(1_048_576) });
    expect([fits.status, await fits.text()]).toEqual([200, '1048576']);
    const over = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(1_048_577) });
    expect(over.status).toBe(413);
  });
});
