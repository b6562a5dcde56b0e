import type { z } from 'zod';
import { describeIssues, invalidFieldsError } from '../config/zod-issues.js';

/**
 * Checks a request against its kind's schema before any vendor is called. The
 * request is passed on as given (no copy, no defaults): the schema only says
 * whether it is well-formed. A failure is `invalid_request` naming each field,
 * which never counts against a breaker and never fails over.
 */
export function checkRequest(schema: z.ZodType, request: unknown, what: string): void {
  const checked = schema.safeParse(request);
  if (!checked.success) throw invalidFieldsError(what, describeIssues(checked.error));
}
