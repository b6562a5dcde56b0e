/**
 * Twilio sends ~20 parameters (~60 with ten media items); the cap keeps an unsigned hostile body from
 * costing more than a few thousand map operations before its signature is checked.
 */
export const defaultMaxFormParameters = 1000;

/** Form parameters as received: a null-prototype record, a key sent twice keeps every value in order. */
export type FormParams = Readonly<Record<string, string | readonly string[]>>;

export class FormParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormParseError';
  }
}

export interface ParseFormParamsOptions {
  /** Refuse bodies with more `name=value` pairs than this (default 1000). */
  maxParameters?: number | undefined;
  /** Test hook: incremented once per pair stored, so tests can assert the work is linear. */
  counter?: { steps: number } | undefined;
}

/** `application/x-www-form-urlencoded` decoding of one name or value: `+` is a space, bad escapes stay literal. */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // What URLSearchParams does with `%zz` or a lone surrogate escape: decode what can be decoded.
    return spaced.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * Parses a form-encoded body in one linear pass into a null-prototype record (so `__proto__`,
 * `constructor` or `toString` are ordinary keys). Repeated keys collect their values in arrays that
 * grow in place. The pair count is checked before anything is decoded: a body with more than
 * `maxParameters` pairs throws FormParseError having done only a separator count.
 */
export function parseFormParams(body: string, options: ParseFormParamsOptions = {}): FormParams {
  const maxParameters = options.maxParameters ?? defaultMaxFormParameters;
  let pairs = body === '' ? 0 : 1;
  for (let index = body.indexOf('&'); index !== -1; index = body.indexOf('&', index + 1)) {
    pairs += 1;
    if (pairs > maxParameters) throw new FormParseError(`Too many form parameters (more than ${maxParameters})`);
  }
  const params: Record<string, string | string[]> = Object.create(null);
  let start = 0;
  while (start <= body.length && body !== '') {
    let end = body.indexOf('&', start);
    if (end === -1) end = body.length;
    if (end > start) {
      const pair = body.slice(start, end);
      const equals = pair.indexOf('=');
      const name = decodeComponent(equals === -1 ? pair : pair.slice(0, equals));
      const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1));
      const existing = params[name];
      if (existing === undefined) params[name] = value;
      else if (typeof existing === 'string') params[name] = [existing, value];
      else existing.push(value);
      if (options.counter) options.counter.steps += 1;
    }
    start = end + 1;
  }
  return params;
}

/** Reads a flat JSON object of parameters into a null-prototype record; anything else is undefined. */
export function parseJsonParams(text: string): FormParams | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const params: Record<string, string> = Object.create(null);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') params[key] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') params[key] = String(item);
  }
  return params;
}

/** The first value of a parameter, reading own keys only (a plain object's `constructor` is not a parameter). */
export function firstParam(params: FormParams, key: string): string | undefined {
  if (!Object.hasOwn(params, key)) return undefined;
  const value = params[key];
  if (typeof value === 'string') return value;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
