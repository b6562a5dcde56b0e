import { sameValue } from '../config/same-value.js';
import { Secret } from '../secrets/secret.js';
import type { AuditAction } from '../spec/state.js';
import type { AuditEntry } from './audit-trail.js';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Secret.isInstance(value);
}

function member(record: unknown, key: string): unknown {
  return isPlain(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Dotted names of the leaves that differ (arrays and secrets compare whole); names only, never values. */
export function changedFields(before: unknown, after: unknown, prefix = '', depth = 0): string[] {
  if (sameValue(before, after)) return [];
  if (!isPlain(before) || !isPlain(after) || depth > 8) return [prefix || '(root)'];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const fields: string[] = [];
  for (const key of [...keys].sort()) {
    fields.push(
      ...changedFields(member(before, key), member(after, key), prefix ? `${prefix}.${key}` : key, depth + 1),
    );
  }
  return fields;
}

interface Section {
  name: 'providers' | 'routes' | 'limits' | 'tenants';
  add: AuditAction;
  change: AuditAction;
  remove: AuditAction;
  /** Prefix of the field names (limits and tenants name themselves: `limits.daily.max`). */
  prefix?: (name: string) => string;
  describe: (name: string, value: unknown) => Pick<AuditEntry, 'provider' | 'route' | 'tenant'>;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

const sections: readonly Section[] = [
  {
    name: 'providers',
    add: 'provider.add',
    change: 'provider.change',
    remove: 'provider.remove',
    describe: (id) => ({ provider: id }),
  },
  {
    name: 'routes',
    add: 'route.add',
    change: 'route.change',
    remove: 'route.remove',
    describe: (name) => ({ route: name }),
  },
  {
    name: 'limits',
    add: 'limits.change',
    change: 'limits.change',
    remove: 'limits.change',
    prefix: (name) => `limits.${name}.`,
    describe: (_name, limit) => ({
      tenant: member(limit, 'tenant') === '*' ? null : text(member(limit, 'tenant')),
      provider: text(member(limit, 'provider')),
      route: text(member(limit, 'route')),
    }),
  },
  {
    name: 'tenants',
    add: 'config.update',
    change: 'config.update',
    remove: 'config.update',
    prefix: (tenant) => `tenants.${tenant}.`,
    describe: (tenant) => ({ tenant }),
  },
];

function sectionChanges(section: Section, before: unknown, after: unknown): AuditEntry[] {
  const entries: AuditEntry[] = [];
  const previous = member(before, section.name);
  const next = member(after, section.name);
  const names = new Set([...Object.keys(isPlain(previous) ? previous : {}), ...Object.keys(isPlain(next) ? next : {})]);
  for (const name of [...names].sort()) {
    const was = member(previous, name);
    const is = member(next, name);
    if (sameValue(was, is)) continue;
    const prefix = section.prefix?.(name) ?? '';
    entries.push({
      action: was === undefined ? section.add : is === undefined ? section.remove : section.change,
      ...section.describe(name, is ?? was),
      fields: changedFields(was ?? {}, is ?? {}).map((field) => prefix + field),
      before: was,
      after: is,
    });
  }
  return entries;
}

/**
 * The audit entries one configuration change yields: one per provider or route added, changed or
 * removed (with the names of the fields that changed), one per limit changed, one per tenant whose
 * overrides changed, and one `config.update` for anything else (defaults, pricing, health) or when
 * nothing changed at all.
 */
export function configChanges(before: unknown, after: unknown): AuditEntry[] {
  const entries = sections.flatMap((section) => sectionChanges(section, before, after));
  const rest: string[] = [];
  const others = new Set([...Object.keys(isPlain(before) ? before : {}), ...Object.keys(isPlain(after) ? after : {})]);
  const restBefore: Plain = {};
  const restAfter: Plain = {};
  for (const name of [...others].sort()) {
    if (sections.some((section) => section.name === name)) continue;
    const fields = changedFields(member(before, name), member(after, name), name);
    if (!fields.length) continue;
    rest.push(...fields);
    restBefore[name] = member(before, name);
    restAfter[name] = member(after, name);
  }
  if (rest.length || entries.length === 0)
    entries.push({ action: 'config.update', fields: rest, before: restBefore, after: restAfter });
  return entries;
}
