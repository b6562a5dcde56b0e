import { mockFactories } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { createPatchbay } from '../patchbay.js';
import { roundRobinOrder, stableHash, weightedOrder } from './strategies.js';

const members = [
  { id: 'a', provider: 'A', weight: 80 },
  { id: 'b', provider: 'B', weight: 20 },
];

describe('strategies', () => {
  it('keeps a sticky key on the same member every time', () => {
    for (const tenant of ['acme', 'globex', 'initech', 'umbrella']) {
      const first = weightedOrder(members, 'tts', tenant)[0]?.id;
      for (let index = 0; index < 20; index++) expect(weightedOrder(members, 'tts', tenant)[0]?.id).toBe(first);
    }
  });

  it('splits sticky keys in proportion to weight', () => {
    let a = 0;
    for (let index = 0; index < 10_000; index++)
      if (weightedOrder(members, 'tts', `tenant-${index}`)[0]?.id === 'a') a++;
    expect(a / 10_000).toBeGreaterThan(0.77);
    expect(a / 10_000).toBeLessThan(0.83);
  });

  it('keeps the others as fallbacks', () => {
    expect(weightedOrder(members, 'tts', undefined, () => 0.9).map((member) => member.id)).toEqual(['b', 'a']);
    expect(weightedOrder(members, 'tts', undefined, () => 0.1).map((member) => member.id)).toEqual(['a', 'b']);
  });

  it('rotates round-robin starts', () => {
    const three = [...members, { id: 'c', provider: 'C', weight: 1 }];
    expect(roundRobinOrder(three, 0).map((member) => member.id)).toEqual(['a', 'b', 'c']);
    expect(roundRobinOrder(three, 1).map((member) => member.id)).toEqual(['b', 'c', 'a']);
    expect(roundRobinOrder(three, 5).map((member) => member.id)).toEqual(['c', 'a', 'b']);
  });

  it('hashes stably', () => {
    expect(stableHash('acme')).toBe(stableHash('acme'));
    expect(stableHash('acme')).not.toBe(stableHash('acmf'));
  });
});

describe('weighted routing sticky by correlation id, through the router', () => {
  it('sends every call of one correlation id to the same member, and spreads distinct ids over the members', async () => {
    const pb = createPatchbay({
      factories: mockFactories,
      env: false,
      config: {
        providers: {
          a: { kind: 'llm', vendor: 'mock' },
          b: { kind: 'llm', vendor: 'mock' },
          c: { kind: 'llm', vendor: 'mock' },
        },
        routes: {
          llm: {
            strategy: 'weighted',
            stickyKey: 'correlationId',
            providers: [
              { provider: 'a', weight: 1 },
              { provider: 'b', weight: 1 },
              { provider: 'c', weight: 1 },
            ],
          },
        },
      },
    });
    const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
    const servedBy = new Map<string, Set<string>>();
    // Rounds interleave the ids, so stickiness cannot come from anything but the id (the tenant is the same).
    for (let round = 0; round < 5; round++) {
      for (let index = 0; index < 200; index++) {
        const correlationId = `call-${index}`;
        const { provider } = await pb.tenant('acme').llm.generate(request, { correlationId });
        servedBy.set(correlationId, (servedBy.get(correlationId) ?? new Set()).add(provider));
      }
    }
    expect(servedBy.size).toBe(200);
    for (const [correlationId, providers] of servedBy)
      expect([correlationId, providers.size]).toEqual([correlationId, 1]);
    const used = new Set([...servedBy.values()].flatMap((providers) => [...providers]));
    expect(used.size).toBeGreaterThanOrEqual(2);
    await pb.close();
  });
});
