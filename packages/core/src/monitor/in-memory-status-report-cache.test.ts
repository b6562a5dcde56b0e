import { describe, expect, it } from 'vitest';
import { InMemoryStatusReportCache } from './in-memory-status-report-cache.js';

describe('InMemoryStatusReportCache', () => {
  it('holds at most maxScopes leases and reports under 100,000 scopes, the most recent kept', () => {
    let now = 0;
    const cache = new InMemoryStatusReportCache({ maxScopes: 1_000, now: () => now });
    for (let scope = 0; scope < 100_000; scope++) {
      expect(cache.acquirePollLease(`tenant:${scope}`, 'instance-a', 60_000)).toBe(true);
      cache.write(`tenant:${scope}`, `{"n":${scope}}`, 60_000);
    }
    now = 1;
    expect(cache.read('tenant:99999')).toBe('{"n":99999}');
    expect(cache.read('tenant:0')).toBeUndefined();
    expect(cache.acquirePollLease('tenant:99999', 'instance-b', 60_000)).toBe(false);
    // An evicted lease is free again: losing it can only make a second instance poll, never none.
    expect(cache.acquirePollLease('tenant:0', 'instance-b', 60_000)).toBe(true);
  });
});
