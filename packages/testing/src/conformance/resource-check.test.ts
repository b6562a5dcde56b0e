import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { assertNoLeakedResources, openResources } from './resource-check.js';

describe('assertNoLeakedResources', () => {
  it('passes when everything opened was closed', async () => {
    const baseline = openResources();
    const timer = setTimeout(() => {}, 10_000);
    clearTimeout(timer);
    await assertNoLeakedResources(baseline);
  });

  it('fails on a server or timer left open', async () => {
    const baseline = openResources();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Several timers, so the runner's own timers coming and going cannot hide them.
    const timers = Array.from({ length: 5 }, () => setTimeout(() => {}, 10_000));
    try {
      await expect(assertNoLeakedResources(baseline, { waitMs: 20 })).rejects.toThrow(/TCPServerWrap/);
      await expect(assertNoLeakedResources(baseline, { waitMs: 20, types: ['Timeout'] })).rejects.toThrow(/Timeout/);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await new Promise((resolve) => server.close(resolve));
    }
    await assertNoLeakedResources(baseline);
  });
});
