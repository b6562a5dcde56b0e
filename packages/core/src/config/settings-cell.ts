import type { z } from 'zod';
import { Secret } from '../secrets/secret.js';
import { describeIssues, invalidFieldsError } from './zod-issues.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Secret.isInstance(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Merges a patch over a base: plain objects merge key by key, anything else
 * (arrays, secrets, scalars) replaces; `null` removes a key, `undefined` keeps it.
 */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = mergePatch(base[key], value);
  }
  return merged;
}

function deepFreeze<T>(value: T): T {
  if (isPlainObject(value) || Array.isArray(value)) {
    for (const item of Object.values(value as object)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/**
 * Holds a validated, frozen settings object and swaps it whole. A call reads
 * `current` once at its start and keeps that snapshot, so an update never
 * changes a call halfway through; the next call sees the new settings.
 */
export class SettingsCell<T> {
  #current: T;
  readonly #schema: z.ZodType<T>;
  readonly #what: string;

  constructor(schema: z.ZodType<T>, initial: unknown, what = 'settings') {
    this.#schema = schema;
    this.#what = what;
    this.#current = this.#validate(initial);
  }

  get current(): T {
    return this.#current;
  }

  /** Validates the merged result; on any issue throws and keeps the old settings. */
  update(patch: unknown): T {
    const next = this.#validate(mergePatch(this.#current, patch));
    this.#current = next;
    return next;
  }

  /** Replaces the settings wholesale (validated the same way). */
  replace(value: unknown): T {
    const next = this.#validate(value);
    this.#current = next;
    return next;
  }

  #validate(value: unknown): T {
    const parsed = this.#schema.safeParse(value);
    if (!parsed.success) throw invalidFieldsError(this.#what, describeIssues(parsed.error));
    return deepFreeze(parsed.data);
  }
}
