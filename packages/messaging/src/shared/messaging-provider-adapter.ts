import type {
  CallOptions,
  CredentialStore,
  DeliveryStatus,
  MessagingCapabilities,
  MessagingChannel,
  MessagingProvider,
  OutboundMessage,
  SendResult,
} from '@patchbay/core';
import {
  AbstractProvider,
  PatchbayError,
  type ProviderInit,
  type ProviderRuntime,
  parseJson,
  type ResolvedCredentials,
  scrubError,
  type VendorHttpRequest,
  type VendorHttpResponse,
  type VendorTransport,
  validateMessageRequest,
  vendorHttpRequest,
} from '@patchbay/core/adapter';
import { normalizePhoneNumber } from '../phone-number.js';
import { countSmsSegments } from '../sms-segments.js';

/** What every adapter's factory accepts besides its settings: never part of `getConfig()`. */
export interface MessagingAdapterRuntimeOptions {
  /** Provider id within a configuration; defaults to the vendor and channel, e.g. `twilio-sms`. */
  id?: string | undefined;
  /** Replaces the HTTP client (tests, proxies); by default requests go through the shared keep-alive pool. */
  fetch?: typeof globalThis.fetch | undefined;
  /** An undici dispatcher to use instead of the shared pool (ignored when `fetch` is given). */
  dispatcher?: VendorTransport['dispatcher'];
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

/** What an adapter's constructor takes: from a factory's options or from configuration. */
export interface MessagingAdapterInit {
  id: string;
  settings: unknown;
  runtime?: ProviderRuntime | undefined;
  dispatcher?: VendorTransport['dispatcher'];
}

/**
 * Splits a factory's argument into settings (validated, shown redacted) and runtime (never shown),
 * naming the provider `defaultId` unless the options give an id.
 */
export function adapterInit<T extends MessagingAdapterRuntimeOptions>(
  options: T,
  defaultId: string,
): MessagingAdapterInit & { runtime: MessagingAdapterRuntimeOptions } {
  const { id, fetch, dispatcher, credentialStore, env, ...settings } = options;
  return { id: id ?? defaultId, settings, runtime: { fetch, dispatcher, credentialStore, env }, dispatcher };
}

/** What `doSend` works with: the validated message, its E.164 recipient, one settings snapshot and its credentials. */
export interface SendContext<S, C> {
  message: OutboundMessage;
  /** Recipient in E.164. */
  to: string;
  settings: S;
  credentials: ResolvedCredentials<C>;
  signal: AbortSignal | undefined;
  options: CallOptions;
}

/** What `mapError` is told about the call that failed. */
export interface MessagingErrorContext {
  provider: string;
  vendor: string;
  signal: AbortSignal | undefined;
}

/**
 * A vendor's answer with a failure status, as `answer()` throws it: the
 * adapter's `mapError` turns it into a PatchbayError from the vendor's error table.
 */
export class VendorErrorAnswer extends Error {
  readonly response: VendorHttpResponse;

  constructor(response: VendorHttpResponse) {
    super(`Vendor answered HTTP ${response.status}`);
    this.name = 'VendorErrorAnswer';
    this.response = response;
  }
}

export interface MessagingProviderAdapterInit<
  S extends Record<string, unknown>,
  C extends Record<string, string | undefined>,
> extends ProviderInit<S, C> {
  kind: MessagingChannel;
  capabilities: Omit<MessagingCapabilities, 'channel'>;
  dispatcher?: VendorTransport['dispatcher'];
}

const e164 = /^\+[1-9]\d{6,14}$/;

/**
 * The skeleton of every messaging adapter (and of a custom one): the recipient
 * normalised to E.164 and the message checked before anything goes out (an
 * invalid request never reaches the vendor), one settings snapshot and the
 * call's credentials, one HTTP request through the shared transport that knows
 * whether the request was written (a failure after that is `outcomeUnknown`,
 * so the router never sends twice), every failure mapped by the adapter's
 * `mapError`, attributed to this provider and scrubbed of the call's secrets.
 * An adapter implements `doSend`, `mapError` and `checkConnection`.
 */
export abstract class MessagingProviderAdapter<
    S extends Record<string, unknown> & { defaultCountry?: string | undefined },
    C extends Record<string, string | undefined>,
  >
  extends AbstractProvider<S, C>
  implements MessagingProvider
{
  readonly kind: MessagingChannel;
  readonly capabilities: MessagingCapabilities;
  readonly #dispatcher: VendorTransport['dispatcher'];

  constructor(init: MessagingProviderAdapterInit<S, C>) {
    super(init);
    this.kind = init.kind;
    this.capabilities = Object.freeze({ channel: init.kind, ...init.capabilities });
    this.#dispatcher = init.dispatcher;
  }

  async send(message: OutboundMessage, options: CallOptions = {}): Promise<SendResult> {
    const settings = this.settings;
    const signal = options.signal;
    let secrets: (string | undefined)[] = [];
    try {
      const request = this.validate(message);
      const to = this.recipient(request, settings);
      this.checkMessage(request);
      const credentials = await this.resolveCredentials(settings, options);
      secrets = Object.values(credentials.values);
      return await this.doSend({ message: request, to, settings, credentials, signal, options });
    } catch (caught) {
      throw scrubError(this.#normalize(caught, signal), secrets);
    }
  }

  /**
   * The one place the kind's request validator runs, before anything else: the router checks too,
   * but an adapter used directly gets whatever a caller (or a model's tool call) passed.
   */
  private validate(message: unknown): OutboundMessage {
    validateMessageRequest(message);
    return message;
  }

  /** Makes the vendor request for one validated message and reads its answer. */
  protected abstract doSend(context: SendContext<S, C>): Promise<SendResult>;

  /**
   * Maps a failure that is not yet a PatchbayError: a `VendorErrorAnswer` by the
   * vendor's error table; anything else usually by `this.toError(error, context.signal)`.
   */
  protected abstract mapError(error: unknown, context: MessagingErrorContext): PatchbayError;

  #normalize(caught: unknown, signal: AbortSignal | undefined): PatchbayError {
    if (PatchbayError.isInstance(caught)) return caught.provider ? caught : caught.withProvider(this.id, this.vendor);
    const mapped = this.mapError(caught, { provider: this.id, vendor: this.vendor, signal });
    return mapped.provider ? mapped : mapped.withProvider(this.id, this.vendor);
  }

  /** The recipient in E.164, or `invalid_request` naming the `to` field. */
  protected recipient(message: OutboundMessage, settings: S): string {
    const to = normalizePhoneNumber(message.to ?? '', {
      defaultCountry: message.defaultCountry ?? settings.defaultCountry,
      field: 'to',
    });
    // Every vendor here wants E.164; refuse anything else here rather than let the vendor bill a failure.
    if (!e164.test(to)) throw this.invalid('to', `"to" is not a valid phone number`);
    return to;
  }

  protected checkMessage(message: OutboundMessage): void {
    const hasMedia = (message.media?.length ?? 0) > 0;
    if (message.template && !this.capabilities.templates) {
      throw this.invalid('template', `Provider "${this.id}" cannot send templates on ${this.kind}`);
    }
    if (hasMedia && !this.capabilities.media) {
      throw this.invalid('media', `Provider "${this.id}" cannot send media on ${this.kind}`);
    }
    if (!message.template && !hasMedia && !message.body) {
      throw this.invalid('body', 'A message needs a body, media or a template');
    }
    const limit = this.capabilities.maxBodyLength;
    if (limit !== undefined && message.body && message.body.length > limit) {
      throw this.invalid('body', `"body" is longer than the ${limit} characters ${this.vendor} accepts`);
    }
  }

  /** SMS segments as the carrier bills them; one per WhatsApp message. */
  protected segmentsOf(message: OutboundMessage): number {
    if (this.kind === 'whatsapp') return 1;
    return Math.max(1, countSmsSegments(message.body ?? '').segments);
  }

  protected request(request: VendorHttpRequest): Promise<VendorHttpResponse> {
    return vendorHttpRequest({ fetch: this.runtime.fetch, dispatcher: this.#dispatcher }, request, {
      provider: this.id,
      vendor: this.vendor,
    });
  }

  /**
   * The JSON body of a vendor's answer. A send takes any 2xx, a connection check only 200; any
   * other status is the vendor's error. A body that does not parse, or parses to nothing usable
   * (null, false, 0, ""), is `unreadable`: for a send the message may be out, so its outcome is unknown.
   */
  protected answer<T>(response: VendorHttpResponse, call: 'send' | 'check'): T {
    const ok = call === 'send' ? response.status >= 200 && response.status < 300 : response.status === 200;
    if (!ok)
      throw this.mapError(new VendorErrorAnswer(response), {
        provider: this.id,
        vendor: this.vendor,
        signal: undefined,
      });
    const body = parseJson(response.text);
    if (!body) throw this.unreadable(response, call === 'send');
    return body as T;
  }

  protected invalid(field: string, message: string, details: Record<string, unknown> = {}): PatchbayError {
    return new PatchbayError({
      code: 'invalid_request',
      message,
      provider: this.id,
      vendor: this.vendor,
      details: { field, ...details },
    });
  }

  /** No sender configured: the provider cannot send until `from` is set (another provider may). */
  protected missingSender(alternatives = ''): PatchbayError {
    return new PatchbayError({
      code: 'not_configured',
      message: `Provider "${this.id}" has no sender: set "from"${alternatives}`,
      provider: this.id,
      vendor: this.vendor,
      details: { missing: ['from'] },
    });
  }

  /**
   * A success status whose body cannot be read. For a send the vendor has most
   * likely accepted the message, so its outcome is unknown, never a plain failure.
   */
  protected unreadable(response: VendorHttpResponse, sideEffect: boolean): PatchbayError {
    return new PatchbayError({
      code: 'unknown',
      message: `${this.vendor} answered HTTP ${response.status} with a body that could not be read`,
      provider: this.id,
      vendor: this.vendor,
      status: response.status,
      outcomeUnknown: sideEffect,
    });
  }

  protected result(
    message: OutboundMessage,
    to: string,
    messageId: string,
    status: DeliveryStatus,
    cost?: SendResult['cost'],
  ): SendResult {
    return {
      messageId,
      status,
      channel: this.kind,
      to,
      segments: this.segmentsOf(message),
      provider: this.id,
      vendor: this.vendor,
      ...(cost ? { cost } : {}),
    };
  }
}

/**
 * Extra vendor fields from `message.providerOptions[vendor]`, without the ones
 * the adapter owns (recipient, credentials): those never come from a message.
 */
export function passthroughFields(
  options: Record<string, unknown> | undefined,
  reserved: readonly string[],
): [string, string][] {
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(options ?? {})) {
    if (value === undefined || value === null || reserved.includes(name)) continue;
    fields.push([
      name,
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value),
    ]);
  }
  return fields;
}

/** `Basic` authorization for a user and password. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Parses a vendor's price string ("-0.0075", "KES 0.8000") into an amount. */
export function parseAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.abs(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /-?\d+(\.\d+)?/.exec(value);
  if (!match) return undefined;
  const amount = Math.abs(Number(match[0]));
  return Number.isFinite(amount) ? amount : undefined;
}
