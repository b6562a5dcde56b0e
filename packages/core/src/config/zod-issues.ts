import type { z } from 'zod';
import { PatchbayError } from '../errors/patchbay-error.js';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `routes.llm.providers.1`. */
  path: string;
  message: string;
}

export function describeIssues(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/** An `invalid_request` error whose message names every offending field path. */
export function invalidFieldsError(what: string, issues: FieldIssue[], provider?: string): PatchbayError {
  const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new PatchbayError({
    code: 'invalid_request',
    message: `Invalid ${what} — ${listed}`,
    provider,
    details: { issues },
  });
}
