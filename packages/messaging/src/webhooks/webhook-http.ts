import { createHash, timingSafeEqual } from 'node:crypto';
import { Secret } from '@patchbay/core/adapter';
import type { MessagingWebhookEvent, WebhookEventListener } from './webhook-events.js';

/** Default cap on a webhook body; vendors' callbacks are a few kilobytes. */
export const defaultMaxBodyBytes = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super('Webhook body too large');
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads the raw body bytes, refusing more than `maxBytes` without buffering them all.
 * Signatures are computed over these exact bytes, so nothing may parse or re-encode the body first.
 */
export async function readRawBody(request: Request, maxBytes = defaultMaxBodyBytes): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Compares two strings in constant time (for equal lengths); different lengths are simply unequal. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Compares a presented secret (a token from a header or URL) with the expected one in constant time,
 * lengths included: both are hashed (SHA-256) first, so neither the content nor the length of the
 * secret leaks through timing. Use it for secrets; `constantTimeEqual` is for digests of public length.
 */
export function secretMatches(presented: string, expected: string): boolean {
  const left = createHash('sha256').update(presented, 'utf8').digest();
  const right = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(left, right);
}

export function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Turns a caught error into the response a vendor should see: 413 for oversize bodies, else 400. */
export function bodyErrorResponse(error: unknown): Response {
  if (error instanceof BodyTooLargeError) return textResponse(413, 'Payload too large');
  return textResponse(400, 'Unreadable body');
}

/** The secret that verifies a webhook, and the tenant it belongs to when a resolver chose it per tenant. */
export interface WebhookSigningKey {
  secret: string | Secret;
  tenant?: string | undefined;
}

/**
 * Reads what a handler's secret option (or its resolver) gave: a missing or empty secret is none,
 * and the request is refused; an object names the secret (`secretOf`) and its tenant.
 */
export function webhookSigningKey<R extends { tenant?: string | undefined }>(
  resolved: string | Secret | R | undefined,
  secretOf: (resolution: R) => string | Secret,
): WebhookSigningKey | undefined {
  if (resolved === undefined || resolved === null) return undefined;
  if (typeof resolved === 'string' || Secret.isInstance(resolved)) {
    return isEmptySecret(resolved) ? undefined : { secret: resolved };
  }
  if (typeof resolved !== 'object') return undefined;
  const secret = secretOf(resolved);
  // `{ authToken: '' }` (an unset environment variable) must refuse the request like a bare ''.
  if (isEmptySecret(secret)) return undefined;
  return { secret, tenant: resolved.tenant };
}

/** True for a missing secret, '' or a Secret wrapping '': such a key would let anyone sign. */
export function isEmptySecret(secret: string | Secret | undefined | null): boolean {
  if (secret === undefined || secret === null) return true;
  if (typeof secret !== 'string' && !Secret.isInstance(secret)) return true;
  return Secret.from(secret).reveal() === '';
}

/**
 * A Fetch API webhook handler. `maxBodyBytes` is the handler's own body cap, which `toNodeListener`
 * and the framework recipes reuse so a body the handler accepts is never refused in front of it.
 */
export type WebhookHandler = ((request: Request) => Promise<Response>) & { readonly maxBodyBytes?: number };

/** Hands verified events to the listener, one at a time, tagged with the tenant whose secret verified them. */
export async function emitWebhookEvents(
  events: readonly MessagingWebhookEvent[],
  request: Request,
  tenant: string | undefined,
  options: { onEvent: WebhookEventListener; includeRaw?: boolean | undefined },
): Promise<void> {
  for (const event of events) {
    if (tenant !== undefined) event.tenant = tenant;
    if (options.includeRaw === false) delete event.raw;
    await options.onEvent(event, { request, tenant });
  }
}
