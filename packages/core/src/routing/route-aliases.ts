import { PatchbayError } from '../errors/patchbay-error.js';

/** The vendor-specific identifiers a request may carry, each with its own alias table. */
export type IdentifierField = 'model' | 'voice' | 'template';

/**
 * Route aliases, per identifier field: a logical name → each member's own id
 * (`{ model: { fast: { openai: 'gpt-4o-mini', claude: 'claude-3-5-haiku-latest' } } }`),
 * like LiteLLM's model groups. Keyed by provider id, as in the route's `providers`.
 */
export type RouteAliases = Partial<Record<IdentifierField, Record<string, Record<string, string>>>>;

/** A route member as aliases see it: its provider id and vendor. */
interface AliasMember {
  id: string;
  vendor: string;
}

/** What a request asks for, per field: the value as the caller wrote it. */
export type RequestedIdentifiers = Partial<Record<IdentifierField, string | undefined>>;

/**
 * How one call's identifiers apply to each member. The rule:
 * - an alias name is replaced by that member's own id; a member the alias does
 *   not map is never called;
 * - any other (raw) identifier is vendor-specific: it goes only to members of
 *   the same vendor as the first member in the call's order; members of other
 *   vendors are never called with it (they would receive another vendor's id);
 * - no identifier: every member uses its own configured default.
 */
export interface IdentifierPlan {
  /** Whether the member can be called with this request's identifiers. */
  serves(member: AliasMember, primaryVendor: string | undefined): boolean;
  /** The member's own value per field (undefined: keep the request's). */
  resolve(member: AliasMember): RequestedIdentifiers | undefined;
  /** True when the request carries no identifier at all (the common, free case). */
  readonly empty: boolean;
  readonly requested: RequestedIdentifiers;
}

const noIdentifiers: IdentifierPlan = { serves: () => true, resolve: () => undefined, empty: true, requested: {} };

function own<T>(table: Record<string, T> | undefined, key: string): T | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

export function planIdentifiers(aliases: RouteAliases | undefined, requested: RequestedIdentifiers): IdentifierPlan {
  // The common call names no model, voice or template: answer without building anything.
  if (requested.model === undefined && requested.voice === undefined && requested.template === undefined)
    return noIdentifiers;
  const fields = (Object.keys(requested) as IdentifierField[]).filter((field) => requested[field] !== undefined);
  return {
    empty: false,
    requested,
    serves(member, primaryVendor) {
      for (const field of fields) {
        const mapping = own(aliases?.[field], requested[field] as string);
        if (mapping) {
          if (typeof own(mapping, member.id) !== 'string') return false;
        } else if (primaryVendor !== undefined && member.vendor !== primaryVendor) return false;
      }
      return true;
    },
    resolve(member) {
      if (!aliases) return undefined;
      const resolved: RequestedIdentifiers = {};
      let changed = false;
      for (const field of fields) {
        const mapped = own(own(aliases[field], requested[field] as string), member.id);
        if (mapped !== undefined) {
          resolved[field] = mapped;
          changed = true;
        }
      }
      return changed ? resolved : undefined;
    },
  };
}

export function unmappedIdentifierError(route: string, requested: RequestedIdentifiers): PatchbayError {
  const named = (Object.keys(requested) as IdentifierField[])
    .filter((field) => requested[field] !== undefined)
    .map((field) => `${field} "${requested[field]}"`)
    .join(', ');
  return new PatchbayError({
    code: 'invalid_request',
    message: `No provider in route "${route}" can serve ${named}: add it to the route's aliases for each member that should serve it`,
    details: {
      route,
      fields: Object.keys(requested).filter((field) => requested[field as IdentifierField] !== undefined),
    },
  });
}
