import type { CallOptions } from '../spec/provider.js';

export interface WeightedMember<P> {
  id: string;
  provider: P;
  weight: number;
}

/**
 * FNV-1a with murmur3's final mix: fast and stable across processes. The mix
 * matters: FNV alone barely moves the top bits for keys that differ only in
 * their last character (`tenant-1`, `tenant-2`), and the split reads the top bits.
 */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Priority: the configured order. */
export function priorityOrder<M extends WeightedMember<unknown>>(members: readonly M[]): readonly M[] {
  return members;
}

/** Round-robin: each call starts one further along; the rest follow as fallbacks. */
export function roundRobinOrder<M extends WeightedMember<unknown>>(members: readonly M[], counter: number): M[] {
  const start = counter % members.length;
  return [...members.slice(start), ...members.slice(0, start)];
}

/**
 * Weighted: picks the first member in proportion to weight — by the sticky key's
 * hash when there is one (so a tenant stays on one arm of an A/B split), else at
 * random — and keeps the others in configured order as fallbacks.
 */
export function weightedOrder<M extends WeightedMember<unknown>>(
  members: readonly M[],
  routeName: string,
  stickyKey: string | undefined,
  random: () => number = Math.random,
): M[] {
  let total = 0;
  for (const member of members) total += member.weight;
  const point =
    stickyKey === undefined ? random() * total : (stableHash(`${routeName}\u0000${stickyKey}`) / 2 ** 32) * total;
  let chosen = members.length - 1;
  let cumulative = 0;
  for (let index = 0; index < members.length; index++) {
    cumulative += members[index]?.weight ?? 0;
    if (point < cumulative) {
      chosen = index;
      break;
    }
  }
  const first = members[chosen];
  return first ? [first, ...members.filter((_, index) => index !== chosen)] : [...members];
}

export function stickyKeyOf(kind: 'tenant' | 'correlationId' | 'none', options: CallOptions): string | undefined {
  if (kind === 'tenant') return options.tenant;
  if (kind === 'correlationId') return options.correlationId;
  return undefined;
}
