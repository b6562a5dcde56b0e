import type { z } from 'zod';
import type { FieldIssue } from './zod-issues.js';

/** Edit distance, bounded work: both words are configuration keys (short). */
function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Words sharing a stem of 4+ letters (`retries`/`retry`, `cooldown`/`cooldownMs`) count as one edit apart. */
function stemScore(a: string, b: string): number {
  let common = 0;
  while (common < a.length && common < b.length && a[common]?.toLowerCase() === b[common]?.toLowerCase()) common++;
  return common >= 4 && common * 5 >= Math.min(a.length, b.length) * 3 ? 1 : Number.POSITIVE_INFINITY;
}

/** The closest known key when one is close enough to be a typo (case, a swapped or missing letter). */
export function closestKey(key: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const score =
      candidate.toLowerCase() === key.toLowerCase() ? 0 : Math.min(distance(key, candidate), stemScore(key, candidate));
    if (score < bestDistance) {
      best = candidate;
      bestDistance = score;
    }
  }
  const allowed = Math.max(1, Math.floor(key.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** The message for an unknown key, with a suggestion when one is close. */
export function unknownKeyMessage(key: string, known: Iterable<string>): string {
  const suggestion = closestKey(key, known);
  return suggestion === undefined ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${suggestion}"?)`;
}

interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

function definition(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** The keys the object schema at `path` declares (unwrapping optional, default, record, array, union). */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const keys: string[] = [];
  const visit = (node: z.ZodType | undefined, depth: number): void => {
    if (!node) return;
    const def = definition(node);
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'nullable':
      case 'readonly':
      case 'prefault':
        visit(def.innerType, depth);
        return;
      case 'pipe':
        visit(def.in, depth);
        return;
      case 'union':
        for (const option of def.options ?? []) visit(option, depth);
        return;
      case 'object':
        if (depth === path.length) keys.push(...Object.keys(def.shape ?? {}));
        else visit(def.shape?.[String(path[depth])], depth + 1);
        return;
      case 'record':
        if (depth < path.length) visit(def.valueType, depth + 1);
        return;
      case 'array':
        if (depth < path.length) visit(def.element, depth + 1);
        return;
      default:
        return;
    }
  };
  visit(schema, 0);
  return keys;
}

/**
 * Turns zod's issues into field issues, one per unknown key with its full
 * path and a "did you mean" suggestion from the keys the schema declares there.
 */
export function describeConfigIssues(schema: z.ZodType, error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        issues.push({ path: [...issue.path, key].map(String).join('.'), message: unknownKeyMessage(key, known) });
      }
    } else {
      issues.push({ path: issue.path.map(String).join('.') || '(root)', message: issue.message });
    }
  }
  return issues;
}
