// The status page in a real headless browser (Debian's chromium driven by playwright-core): it renders,
// changes when a provider goes down, and shows no secret. The screenshot lands in
// packages/core/.test-output/status-page.png (gitignored).
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusMonitor, type StatusMonitor } from '../monitor/status-monitor.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import { Secret } from '../secrets/index.js';
import { createStatusHandler } from './status-handler.js';
import { toNodeListener } from './status-node-listener.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const outputDirectory = join(root, 'packages/core/.test-output');
const canary = 'sk-page-canary-9f8e7d6c5b4a39281706';

let browser: Browser;
let server: Server;
let patchbay: Patchbay;
let monitor: StatusMonitor;
let url: string;

beforeAll(async () => {
  const debian = (await import(pathToFileURL(join(root, 'scripts/test-servers/debian-packages.mjs')).href)) as {
    ensureDebianPackages(packages: string[]): void;
  };
  debian.ensureDebianPackages(['chromium']);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  patchbay = createPatchbay({
    config: {
      providers: {
        openai: { kind: 'llm', vendor: 'mock', settings: { apiKey: Secret.from(canary), script: { text: 'hi' } } },
        backup: { kind: 'llm', vendor: 'mock', settings: { script: { text: 'hi' } } },
      },
      routes: { llm: { providers: ['openai', 'backup'] } },
    },
    factories: mockFactories,
    env: false,
  });
  monitor = createStatusMonitor(patchbay, {
    intervalMs: 3_600_000,
    checks: { database: () => ({ status: 'connected', message: `connected with ${canary}` }) },
  });
  await monitor.refresh();
  await patchbay.llm.generate({ messages: [{ role: 'user', content: 'hello' }] });
  const handler = createStatusHandler({ patchbay, monitor, title: 'Call centre <status>', pageRefreshMs: 1_000 });
  server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  monitor?.stop();
  await patchbay?.close();
});

describe('the status page', () => {
  it('renders, follows an outage on its own, and shows no secret', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: 'load' });
    expect(await page.title()).toBe('Call centre <status>');
    await page.waitForSelector('tr[data-integration="openai"] .badge.connected');
    expect(await page.textContent('#overall')).toBe('healthy');
    expect(await page.locator('tr[data-integration]').count()).toBe(3);
    expect(await page.locator('tr[data-integration="openai"] svg.sparkline rect').count()).toBeGreaterThan(0);
    expect(await page.locator('#usage tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('#usage')).toContain('openai');
    expect(await page.textContent('#usage-title')).toBe('Usage, last 24h');
    await page.click('#windows a:text("1h")');
    await page.waitForSelector('#windows a[aria-current]:text("1h")');
    expect(await page.locator('#usage tr').count()).toBeGreaterThan(0);

    (patchbay.provider('backup') as MockLanguageModel).setHealth('error');
    await monitor.refresh();
    // The page fetches the JSON again by itself (every second here) and redraws.
    await page.waitForSelector('tr[data-integration="backup"] .badge.error');
    expect(await page.textContent('#overall')).toBe('degraded');
    expect(await page.locator('tr[data-integration="backup"] svg.sparkline rect[fill="#cf222e"]').count()).toBe(1);

    const html = await page.content();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(html).not.toContain(canary);
    expect(text).not.toContain(canary);
    expect(text).toContain('connected with');
    // Self-contained: nothing but the page and its own JSON was requested.
    expect(requests.every((requested) => requested.startsWith(url))).toBe(true);

    mkdirSync(outputDirectory, { recursive: true });
    await page.screenshot({ path: join(outputDirectory, 'status-page.png'), fullPage: true });
    await page.close();
  });
});
