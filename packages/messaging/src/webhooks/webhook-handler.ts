import { FormParseError } from './form-params.js';
import type { MessagingWebhookEvent, WebhookEventListener } from './webhook-events.js';
import {
  bodyErrorResponse,
  emitWebhookEvents,
  readRawBody,
  textResponse,
  type WebhookHandler,
} from './webhook-http.js';

/**
 * Wraps a vendor's request handling into a `WebhookHandler` carrying its body cap. Anything thrown
 * (a listener failure) answers 500, which makes the vendor deliver the webhook again.
 */
export function createWebhookHandler(
  maxBodyBytes: number,
  handle: (request: Request) => Promise<Response>,
): WebhookHandler {
  const handler = async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch {
      return textResponse(500, 'Webhook processing failed');
    }
  };
  return Object.assign(handler, { maxBodyBytes });
}

/**
 * Runs a body read: an oversize or unreadable body becomes the response to send (413 or 400), and so
 * does a form with too many parameters (413). Callers tell the two apart with `instanceof Response`.
 */
export async function readWebhookBody<T>(read: () => T | Promise<T>): Promise<T | Response> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof FormParseError) return textResponse(413, error.message);
    return bodyErrorResponse(error);
  }
}

/** The raw body decoded as UTF-8 text, within the handler's cap. */
export async function readBodyText(request: Request, maxBodyBytes: number): Promise<string> {
  return new TextDecoder().decode(await readRawBody(request, maxBodyBytes));
}

/** Parses strict UTF-8 JSON; a malformed body becomes the 400 response to send. */
export function parseJsonBody(raw: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    return textResponse(400, 'Malformed JSON');
  }
}

/** Runs a vendor parser: its own parse error becomes a 400 response; anything else propagates. */
export function parseWebhookEvents<T>(
  parse: () => T,
  parseError: abstract new (...args: never[]) => Error,
): T | Response {
  try {
    return parse();
  } catch (error) {
    if (error instanceof parseError) return textResponse(400, `Malformed webhook: ${error.message}`);
    throw error;
  }
}

/**
 * The tail of a JSON webhook whose signature or token has been checked: parse the body with the
 * vendor's parser (400 when malformed), hand the events to the listener, then 200.
 */
export async function deliverJsonWebhook(
  raw: Uint8Array,
  request: Request,
  tenant: string | undefined,
  options: { onEvent: WebhookEventListener; includeRaw?: boolean | undefined },
  parse: (payload: unknown) => MessagingWebhookEvent[],
  parseError: abstract new (...args: never[]) => Error,
): Promise<Response> {
  const payload = parseJsonBody(raw);
  if (payload instanceof Response) return payload;
  const events = parseWebhookEvents(() => parse(payload), parseError);
  if (events instanceof Response) return events;
  await emitWebhookEvents(events, request, tenant, options);
  return textResponse(200, 'OK');
}
