import { createHash } from 'node:crypto';
import type { DeliveryStatus } from '@patchbay/core';
import {
  httpError,
  PatchbayError,
  parseJson,
  type VendorHttpRequest,
  type VendorHttpResponse,
} from '@patchbay/core/adapter';

/**
 * MTN SMS v3 wire format as pure functions (request builders, answer readers, error mapping), so the
 * adapter is a thin shell over them on the messaging skeleton.
 * Token: POST /v1/oauth/access_token?grant_type=client_credentials, form client_id + client_secret →
 * { access_token, expires_in }. Send: POST /v3/sms/messages/sms/outbound with a Bearer token →
 * { statusCode: '0000', statusMessage, transactionId (our clientCorrelatorId echoed), data: { status } }.
 */

export const mtnTokenPath = '/v1/oauth/access_token';
export const mtnSendPath = '/v3/sms/messages/sms/outbound';

export function buildMtnTokenRequest(
  baseURL: string,
  apiKey: string,
  apiSecret: string,
  signal?: AbortSignal,
): VendorHttpRequest {
  const form = new URLSearchParams({ client_id: apiKey, client_secret: apiSecret });
  return {
    method: 'POST',
    url: `${baseURL.replace(/\/+$/, '')}${mtnTokenPath}?grant_type=client_credentials`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    signal,
  };
}

export interface MtnToken {
  accessToken: string;
  /** Epoch ms after which the token is not used any more (a minute before MTN expires it). */
  expiresAt: number;
}

/** The token from a token answer, or undefined when the answer holds none. */
export function parseMtnTokenResponse(text: string, now: number): MtnToken | undefined {
  const body = parseJson(text) as { access_token?: unknown; expires_in?: unknown } | undefined;
  if (!body || typeof body.access_token !== 'string' || body.access_token === '') return undefined;
  const seconds = Number(body.expires_in);
  const lifetimeMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3600_000;
  return { accessToken: body.access_token, expiresAt: now + Math.max(0, lifetimeMs - 60_000) };
}

export interface MtnSendInput {
  baseURL: string;
  accessToken: string;
  /** Recipient in E.164. */
  to: string;
  senderId: string;
  message: string;
  /** Our id for the message, echoed back as `transactionId` and in delivery receipts (at most 36 characters). */
  clientCorrelatorId: string;
  serviceCode?: string | undefined;
  requestDeliveryReceipt: boolean;
  signal?: AbortSignal | undefined;
}

export function buildMtnSendRequest(input: MtnSendInput): VendorHttpRequest {
  const body: Record<string, unknown> = {
    senderAddress: input.senderId,
    // MTN takes MSISDNs without the leading +.
    receiverAddress: [input.to.replace(/^\+/, '')],
    message: input.message,
    clientCorrelatorId: input.clientCorrelatorId,
    requestDeliveryReceipt: input.requestDeliveryReceipt,
  };
  if (input.serviceCode !== undefined) body.serviceCode = input.serviceCode;
  return {
    method: 'POST',
    url: `${input.baseURL.replace(/\/+$/, '')}${mtnSendPath}`,
    headers: {
      authorization: `Bearer ${input.accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify(body),
    signal: input.signal,
  };
}

export interface MtnSendAnswer {
  /** The message id: MTN's transactionId (our clientCorrelatorId echoed), else ours. */
  messageId: string;
  status: DeliveryStatus;
}

/** MADAPI's canonical success code. */
const successCode = '0000';

/**
 * Reads a 2xx send answer. Undefined when the body cannot be read (the message may be out: the
 * caller reports an unknown outcome); a PatchbayError when MTN answered a non-success statusCode.
 */
export function parseMtnSendResponse(
  text: string,
  clientCorrelatorId: string,
  context: { provider: string; vendor: string; status: number },
): MtnSendAnswer | PatchbayError | undefined {
  const body = parseJson(text) as
    | { statusCode?: unknown; statusMessage?: unknown; transactionId?: unknown; data?: { status?: unknown } }
    | undefined;
  if (!body || typeof body !== 'object') return undefined;
  const statusCode = typeof body.statusCode === 'string' ? body.statusCode : undefined;
  if (statusCode !== undefined && statusCode !== successCode) {
    return new PatchbayError({
      code: 'invalid_request',
      message: `MTN refused the message (${statusCode}${typeof body.statusMessage === 'string' ? ` ${body.statusMessage}` : ''})`,
      provider: context.provider,
      vendor: context.vendor,
      status: context.status,
      vendorCode: statusCode,
    });
  }
  const transactionId =
    typeof body.transactionId === 'string' && body.transactionId !== '' ? body.transactionId : undefined;
  const vendorStatus = typeof body.data?.status === 'string' ? body.data.status.toUpperCase() : 'PENDING';
  return {
    messageId: transactionId ?? clientCorrelatorId,
    status: vendorStatus === 'DELIVERED' ? 'delivered' : vendorStatus === 'SENT' ? 'sent' : 'queued',
  };
}

/** MTN's error answer (`{ statusCode, statusMessage, supportMessage, transactionId }`) as a PatchbayError. */
export function mapMtnError(
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const body = parseJson(response.text) as { statusCode?: unknown; statusMessage?: unknown } | undefined;
  const statusCode = typeof body?.statusCode === 'string' ? body.statusCode : undefined;
  const statusMessage = typeof body?.statusMessage === 'string' ? body.statusMessage.slice(0, 200) : undefined;
  return httpError({
    status: response.status,
    headers: response.headers,
    message: `MTN answered HTTP ${response.status}${statusMessage ? `: ${statusMessage}` : ''}`,
    provider: context.provider,
    vendor: context.vendor,
    vendorCode: statusCode,
  });
}

/**
 * OAuth tokens by client (one cache per provider, holding every tenant's client): bounded, keyed by a hash of
 * base URL, client id and secret (a rotated secret gets its own token; no secret is kept as a key),
 * with concurrent fetches for one client sharing one request.
 */
export class MtnTokenCache {
  readonly #tokens = new Map<string, MtnToken>();
  readonly #pending = new Map<string, Promise<MtnToken>>();
  readonly #max: number;

  constructor(maxClients = 100) {
    this.#max = maxClients;
  }

  static keyOf(baseURL: string, apiKey: string, apiSecret: string): string {
    return createHash('sha256').update(`${baseURL}\u0000${apiKey}\u0000${apiSecret}`).digest('hex');
  }

  get size(): number {
    return this.#tokens.size;
  }

  async get(key: string, now: number, fetchToken: () => Promise<MtnToken>): Promise<MtnToken> {
    const cached = this.#tokens.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached;
    const pending = this.#pending.get(key);
    if (pending !== undefined) return pending;
    const promise = fetchToken().then((token) => {
      this.#tokens.delete(key);
      this.#tokens.set(key, token);
      while (this.#tokens.size > this.#max) {
        const oldest = this.#tokens.keys().next();
        if (oldest.done) break;
        this.#tokens.delete(oldest.value);
      }
      return token;
    });
    this.#pending.set(key, promise);
    try {
      return await promise;
    } finally {
      this.#pending.delete(key);
    }
  }

  /** Forgets a token MTN refused (revoked or expired early): the next call fetches a new one. */
  invalidate(key: string, accessToken: string): void {
    if (this.#tokens.get(key)?.accessToken === accessToken) this.#tokens.delete(key);
  }
}

export function tokenRefusedError(
  response: VendorHttpResponse,
  context: { provider: string; vendor: string },
): PatchbayError {
  const error = mapMtnError(response, context);
  // A token endpoint refusing the client credentials is an auth failure whatever its status.
  return response.status === 400 || response.status === 401 || response.status === 403
    ? new PatchbayError({
        ...error.toOptions(),
        code: 'auth',
        retryable: false,
        message: `MTN refused the API key and secret (HTTP ${response.status})`,
      })
    : error;
}
