import { describe, expect, it } from 'vitest';
import { RecentOutcomes } from './recent-outcomes.js';

describe('RecentOutcomes', () => {
  it('keeps the last `window` outcomes per key and at most `maxKeys` keys', () => {
    const outcomes = new RecentOutcomes({ window: 4, maxKeys: 3 });
    for (let index = 0; index < 10; index++) outcomes.record('a', index < 7);
    expect(outcomes.summary('a')).toEqual({ calls: 4, failures: 1 });
    for (let index = 0; index < 1_000; index++) outcomes.record(`tenant-${index}`, true);
    expect(outcomes.size).toBe(3);
    expect(outcomes.summary('a')).toEqual({ calls: 0, failures: 0 });
    expect(outcomes.summary('tenant-999')).toEqual({ calls: 1, failures: 1 });
  });
});
