import type {
  CallOptions,
  MessagingChannel,
  MessagingProvider,
  OutboundMessage,
  ReportedCost,
  SendResult,
} from '@patchbay/core';
import { countOption, durationOption, PatchbayError, toPatchbayError } from '@patchbay/core/adapter';
import type { DeliveryLogEntry, DeliveryLogStore } from '../delivery-log/delivery-log-store.js';
import {
  appendWebhookEvent,
  findRecordedWebhookEvent,
  recordWebhookEvent,
} from '../delivery-log/record-webhook-event.js';
import { createDeduplicator } from '../idempotency/deduplicate.js';
import type { IdempotencyClaim, IdempotencyStore } from '../idempotency/idempotency-store.js';
import { InMemoryIdempotencyStore } from '../idempotency/in-memory-idempotency-store.js';
import { normalizePhoneNumber } from '../phone-number.js';
import type { SessionActivity, SessionStore } from '../sessions/session-store.js';
import type { DeliveryStatusEvent, MessagingWebhookEvent, WebhookEventListener } from '../webhooks/webhook-events.js';
import {
  type DualChannelStateStore,
  InMemoryDualChannelState,
  replayOptions,
  type SentWhatsAppMessage,
} from './dual-channel-state.js';
import type {
  ChannelAttempt,
  DeliveryStatusAction,
  DualChannelMessage,
  DualChannelSendOptions,
  DualChannelSendResult,
  RecipientCheck,
  SmsFirstReason,
} from './dual-channel-types.js';
import type { RecipientPreferences, RecipientPreferencesLookup } from './recipient-preferences.js';

export interface DualChannelMessengerOptions {
  /** Any WhatsApp provider: an adapter, or a routed one such as `patchbay.whatsapp`. */
  whatsapp: MessagingProvider;
  /** Any SMS provider, e.g. `patchbay.sms`. */
  sms: MessagingProvider;
  preferences: RecipientPreferencesLookup;
  deliveryLog?: DeliveryLogStore | undefined;
  /** Re-send by SMS when WhatsApp later reports a sent message as failed (default true). */
  smsFallbackOnAsyncFailure?: boolean | undefined;
  /** Default for `send(…, { repeatUnknownOutcome })` (default false). */
  repeatUnknownOutcome?: boolean | undefined;
  /** Remembers WhatsApp sends for the asynchronous fallback (default: in memory, this process only). */
  state?: DualChannelStateStore | undefined;
  /**
   * Deduplicates sends that carry `idempotencyKey` within `idempotencyWindowMs` (default: a bounded
   * in-memory store; `false` turns it off). See `createDeduplicator` for the rule on failures.
   */
  idempotency?: IdempotencyStore | false | undefined;
  /** How long an idempotency key is remembered (default 24 hours). */
  idempotencyWindowMs?: number | undefined;
  /**
   * Keys the default in-memory idempotency store holds (default 10 000). When it is full the oldest key
   * is forgotten even inside its window, and that is reported to `onError` (`operation: 'idempotency'`,
   * an `IdempotencyKeyEvictedError`): size it for the keys your traffic creates within the window.
   */
  idempotencyMaxKeys?: number | undefined;
  /**
   * How long the messenger waits for each call into a store or lookup you supply — `preferences`
   * (`get`, `recordInbound`), `state`, `deliveryLog`, `sessions`, `idempotency` — before giving up on it
   * (default 5 s; above 0, at most 2 147 483 647). A call that does not answer in time is reported to
   * `onError` (a `timeout` `PatchbayError`, `operation` naming the store) and handled as if it had thrown:
   * side effects (log, sessions, `state.remember`, idempotency `complete`/`release`, giving a fallback
   * claim back) are skipped; a lookup the decision needs (`preferences.get`, `state.get`,
   * `state.claimFallback`, idempotency `claim`) fails the send or the webhook (500, so the vendor
   * redelivers) with nothing sent, and a fallback claim already taken is given back — as is a
   * `claimFallback` or idempotency `claim` that answers after its time ran out. The SMS and WhatsApp sends
   * themselves are not bounded by it (their providers have their own timeouts): once one may have gone
   * out, a claim is kept.
   */
  storeTimeoutMs?: number | undefined;
  /**
   * Told about failures of the delivery log or the state store, and about any store or lookup that did
   * not answer within `storeTimeoutMs`. They never change what is sent: a message the vendor accepted
   * stays sent even when its log record could not be written. A throwing `onError` is ignored.
   */
  onError?: ((error: unknown, context: MessengerErrorContext) => void) | undefined;
  /**
   * Omnichannel sessions and threads: every accepted send and inbound message is recorded (keeping the
   * contact's last active channel), and delivery log records carry `sessionId` and `threadId`.
   */
  sessions?: SessionStore | undefined;
  /**
   * Where a cost reported later by a delivery report (Twilio `Price`, Vonage `price`) is metered — pass
   * the Patchbay instance. Only messages this messenger sent whose send answer carried no cost are
   * metered this way, each once (the first report with a cost); others were priced at send time.
   */
  meter?: { recordReportedCost(cost: ReportedCost): void } | undefined;
  /** Clock, for tests. */
  now?: (() => Date) | undefined;
}

/** Where a side failure happened, for `onError`. */
export interface MessengerErrorContext {
  operation:
    | 'delivery-log'
    | 'state'
    | 'session'
    | 'deferred-fallback'
    | 'reported-cost'
    | 'idempotency'
    | 'preferences';
  messageId?: string | undefined;
  entry?: DeliveryLogEntry | undefined;
}

/** WhatsApp failures reported before their send finished, kept so the fallback still happens (bounded). */
const maxEarlyFailures = 1000;
/** Sent messages waiting for a delivery report's price (oldest forgotten first). */
const maxUnpriced = 10_000;
const earlyFailureTtlMs = 15 * 60 * 1000;
/**
 * Webhook events recently recorded (vendor, message id, status), so a redelivery — even one arriving
 * while the first delivery is still being handled — is not recorded twice. Older ones are recognised
 * from the delivery log's records, when there is a log.
 */
const maxRecentWebhookEvents = 10_000;
/** Default of `storeTimeoutMs`: how long one call into a user's store or lookup may take. */
const defaultStoreTimeoutMs = 5_000;
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

export interface DualChannelMessenger {
  /** What is known about a recipient: WhatsApp availability and window, SMS consent, opt-out, last active channel. */
  checkRecipient(
    to: string,
    options?: { tenant?: string | undefined; defaultCountry?: string | undefined },
  ): Promise<RecipientCheck>;
  /** Sends on WhatsApp or SMS as the recipient's preferences allow, falling back to the other on failure. */
  send(message: DualChannelMessage, options?: DualChannelSendOptions): Promise<DualChannelSendResult>;
  /** Applies a delivery report: logs it and, for a failed WhatsApp message of ours, re-sends it by SMS once. */
  handleDeliveryStatus(event: DeliveryStatusEvent): Promise<DeliveryStatusAction>;
  /** Takes any webhook event: inbound messages are logged and open the WhatsApp window; statuses go to `handleDeliveryStatus`. */
  handleWebhookEvent(event: MessagingWebhookEvent): Promise<DeliveryStatusAction | undefined>;
  /** `handleWebhookEvent` as a webhook handler's `onEvent`. */
  readonly webhookListener: WebhookEventListener;
}

interface Plan {
  channels: MessagingChannel[];
  reason?: SmsFirstReason | undefined;
}

/** The SMS form of a message: no template, SMS overrides applied; undefined when there is nothing to send as text. */
function smsVariant(message: DualChannelMessage, idempotencySuffix: string): OutboundMessage | undefined {
  const { sms, whatsapp: _whatsapp, template: _template, ...base } = message;
  const variant: OutboundMessage = { ...base, ...sms, to: message.to };
  delete variant.template;
  if ((variant.body ?? '') === '' && (variant.media?.length ?? 0) === 0) return undefined;
  return withKeySuffix(variant, idempotencySuffix);
}

function whatsappVariant(message: DualChannelMessage, idempotencySuffix: string): OutboundMessage {
  const { sms: _sms, whatsapp, ...base } = message;
  return withKeySuffix({ ...base, ...whatsapp, to: message.to }, idempotencySuffix);
}

/**
 * A fallback is a different message from the attempt it replaces: with the same idempotency key, a
 * vendor account serving both channels (Twilio) could deduplicate it away.
 */
function withKeySuffix(message: OutboundMessage, suffix: string): OutboundMessage {
  if (message.idempotencyKey !== undefined && suffix !== '') message.idempotencyKey += suffix;
  return message;
}

function whatsappAllowed(
  preferences: RecipientPreferences,
  message: DualChannelMessage,
  now: Date,
): SmsFirstReason | true {
  if (preferences.hasWhatsApp !== true) return 'no_whatsapp';
  if (preferences.allowsWhatsApp === false) return 'whatsapp_not_allowed';
  const hasTemplate = (message.whatsapp?.template ?? message.template) !== undefined;
  const sessionOpen = preferences.whatsappSessionOpenUntil !== undefined && preferences.whatsappSessionOpenUntil > now;
  // Outside the 24-hour window WhatsApp only delivers approved templates.
  if (!hasTemplate && !sessionOpen) return 'whatsapp_session_closed';
  return true;
}

function plan(preferences: RecipientPreferences, message: DualChannelMessage, now: Date): Plan {
  const whatsapp = whatsappAllowed(preferences, message, now);
  const sms = preferences.allowsSms !== false && smsVariant(message, '') !== undefined;
  if (whatsapp === true) {
    if (preferences.preferredChannel === 'sms' && sms)
      return { channels: ['sms', 'whatsapp'], reason: 'sms_preferred' };
    return { channels: sms ? ['whatsapp', 'sms'] : ['whatsapp'] };
  }
  return { channels: sms ? ['sms'] : [], reason: whatsapp };
}

/**
 * WhatsApp-or-SMS delivery over any two MessagingProviders: picks the channel from the recipient's
 * preferences, falls back to the other channel when a send fails (never after an outcome-unknown
 * failure unless asked), and re-sends a WhatsApp message by SMS exactly once when its webhook
 * reports it failed. Every attempt and status update goes to the delivery log.
 */
export function createDualChannelMessenger(options: DualChannelMessengerOptions): DualChannelMessenger {
  const storeTimeoutMs = durationOption(options.storeTimeoutMs, defaultStoreTimeoutMs, 'storeTimeoutMs', true);
  const state = options.state ?? new InMemoryDualChannelState();
  const now = options.now ?? (() => new Date());
  const log = options.deliveryLog;
  const providers: Record<MessagingChannel, MessagingProvider> = { whatsapp: options.whatsapp, sms: options.sms };

  const idempotencyStore =
    options.idempotency === false
      ? undefined
      : (options.idempotency ??
        new InMemoryIdempotencyStore({
          maxKeys: countOption(options.idempotencyMaxKeys, 10_000, 'idempotencyMaxKeys'),
          onEvict: (error) => report(error, { operation: 'idempotency' }),
        }));
  const idempotency = idempotencyStore === undefined ? undefined : boundedIdempotency(idempotencyStore);
  const deduplicator = createDeduplicator();
  const earlyFailures = new Map<string, { event: DeliveryStatusEvent; at: number }>();
  const meter = options.meter;
  const unpriced = new Map<string, { provider: string; tenant: string | undefined }>();
  const recentWebhookEvents = new Set<string>();

  /**
   * True the first time this process sees a webhook event (bounded, oldest forgotten first); marked
   * before any await, so concurrent deliveries of one event record it once.
   */
  function firstDelivery(event: MessagingWebhookEvent): boolean {
    if (event.messageId === '') return true;
    const status = event.type === 'delivery-status' ? event.status : '';
    const key = `${event.type}\u0000${event.vendor}\u0000${event.tenant ?? ''}\u0000${event.messageId}\u0000${status}`;
    if (recentWebhookEvents.has(key)) return false;
    recentWebhookEvents.add(key);
    if (recentWebhookEvents.size > maxRecentWebhookEvents) {
      recentWebhookEvents.delete(recentWebhookEvents.values().next().value as string);
    }
    return true;
  }

  /** Timeouts created by `bounded`, told apart from errors the stores throw. */
  const timeouts = new WeakSet<object>();

  /**
   * Calls a user's store or lookup and waits for its answer at most `storeTimeoutMs` (a synchronous
   * answer or throw passes straight through, with no timer). Past that, rejects with a `timeout`
   * `PatchbayError` — reported to `onError` first when `report` says where — and hands an answer that
   * arrives later to `onLate` (to give back a claim nobody holds); a late rejection is dropped.
   */
  function bounded<T>(
    what: string,
    call: () => T | PromiseLike<T>,
    handling: { report?: MessengerErrorContext | undefined; onLate?: ((value: T) => void) | undefined } = {},
  ): T | Promise<T> {
    const pending = call();
    if (!isThenable(pending)) return pending;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        const error = new PatchbayError({
          code: 'timeout',
          message: `${what} did not answer within ${storeTimeoutMs} ms (storeTimeoutMs)`,
          retryable: true,
          outcomeUnknown: false,
        });
        timeouts.add(error);
        if (handling.report !== undefined) report(error, handling.report);
        reject(error);
      }, storeTimeoutMs);
      pending.then(
        (value) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(value);
            return;
          }
          try {
            handling.onLate?.(value);
          } catch {
            // Best effort, and reported by the callback itself.
          }
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** A side effect bounded in time: a timeout is reported and the caller goes on; anything else is rethrown. */
  async function boundedSideEffect(what: string, call: () => void | PromiseLike<void>, context: MessengerErrorContext) {
    try {
      await bounded(what, call);
    } catch (error) {
      if (!timeouts.has(error as object)) throw error;
      report(error, context);
    }
  }

  /**
   * The idempotency store with every call bounded: a `claim` that times out fails the send (nothing sent;
   * a claim that lands later is released), a `complete` or `release` that times out is reported and the
   * send's own outcome stands — the message it recorded already went out, or definitely did not.
   */
  function boundedIdempotency(store: IdempotencyStore): IdempotencyStore {
    return {
      claim: (key, window) =>
        bounded<IdempotencyClaim>('The idempotency store (claim)', () => store.claim(key, window), {
          report: { operation: 'idempotency' },
          onLate: (claim) => {
            if (claim.status === 'claimed') {
              void boundedSideEffect('The idempotency store (release)', () => store.release(key), {
                operation: 'idempotency',
              }).catch((error: unknown) => report(error, { operation: 'idempotency' }));
            }
          },
        }),
      complete: (key, outcome, window) =>
        boundedSideEffect('The idempotency store (complete)', () => store.complete(key, outcome, window), {
          operation: 'idempotency',
        }),
      release: (key) =>
        boundedSideEffect('The idempotency store (release)', () => store.release(key), { operation: 'idempotency' }),
    };
  }

  /** Whether the delivery log already holds this event (a redelivery this process no longer remembers). */
  async function alreadyLogged(event: MessagingWebhookEvent): Promise<boolean> {
    if (log === undefined || event.messageId === '') return false;
    try {
      const records = await bounded('The delivery log (findByMessageId)', () => log.findByMessageId(event.messageId));
      return findRecordedWebhookEvent(event, records) !== undefined;
    } catch (error) {
      report(error, { operation: 'delivery-log', messageId: event.messageId });
      return false;
    }
  }

  function report(error: unknown, context: MessengerErrorContext): void {
    try {
      options.onError?.(error, context);
    } catch {
      // The error channel is user code too: its failure must not become a send failure.
    }
  }

  /** Session bookkeeping is a side effect too: its ids go on log records when it works. */
  async function recordSession(
    activity: SessionActivity,
  ): Promise<{ sessionId?: string | undefined; threadId?: string | undefined }> {
    if (options.sessions === undefined) return {};
    try {
      const sessions = options.sessions;
      const { session, thread } = await bounded('The session store (recordActivity)', () =>
        sessions.recordActivity({ ...activity, at: activity.at ?? now() }),
      );
      return { sessionId: session.id, threadId: thread.id };
    } catch (error) {
      report(error, { operation: 'session', messageId: activity.messageId });
      return {};
    }
  }

  /** Logging is a side effect: its failure is reported, never thrown into the send path. */
  async function append(entry: DeliveryLogEntry): Promise<void> {
    if (log === undefined) return;
    try {
      await bounded('The delivery log (append)', () => log.append(entry));
    } catch (error) {
      report(error, { operation: 'delivery-log', messageId: entry.messageId, entry });
    }
  }

  async function attempt(
    channel: MessagingChannel,
    message: OutboundMessage,
    callOptions: CallOptions,
    logFields: { attempt: number; reason?: string | undefined; fallbackOf?: string | undefined },
    beforeLog?: (result: SendResult) => Promise<void>,
  ): Promise<{ ok: true; result: SendResult } | { ok: false; error: PatchbayError }> {
    const provider = providers[channel];
    const common = {
      event: 'send-attempt' as const,
      tenant: callOptions.tenant,
      correlationId: callOptions.correlationId,
      channel,
      direction: 'outbound' as const,
      to: message.to,
      from: message.from,
      ...logFields,
    };
    let result: SendResult;
    try {
      result = await provider.send(message, callOptions);
    } catch (caught) {
      const error = toPatchbayError(caught, {
        provider: provider.id,
        vendor: provider.vendor,
        signal: callOptions.signal,
      });
      await append({
        ...common,
        status: 'failed',
        vendor: error.vendor ?? provider.vendor,
        provider: error.provider ?? provider.id,
        errorCode: error.code,
        errorMessage: error.message,
      });
      return { ok: false, error };
    }
    // The vendor accepted: from here nothing may turn this into a failure.
    await beforeLog?.(result);
    const links = await recordSession({
      contact: message.to,
      tenant: callOptions.tenant,
      channel,
      direction: 'outbound',
      messageId: result.messageId,
    });
    if (result.cost === undefined && meter !== undefined) awaitReportedCost(result, callOptions.tenant);
    await append({
      ...common,
      ...links,
      status: result.status,
      vendor: result.vendor,
      provider: result.provider,
      messageId: result.messageId,
      segments: result.segments,
      cost: result.cost,
    });
    return { ok: true, result };
  }

  async function send(
    message: DualChannelMessage,
    sendOptions: DualChannelSendOptions = {},
  ): Promise<DualChannelSendResult> {
    const key = message.idempotencyKey;
    if (idempotency === undefined || key === undefined || key === '') return sendOnce(message, sendOptions);
    // Scoped by tenant: two tenants may use the same key for different messages.
    const scoped = `dual-channel\u0000${sendOptions.tenant ?? ''}\u0000${key}`;
    return deduplicator.run(
      scoped,
      { store: idempotency, windowMs: options.idempotencyWindowMs, signal: sendOptions.signal },
      () => sendOnce(message, sendOptions),
    );
  }

  async function sendOnce(
    message: DualChannelMessage,
    sendOptions: DualChannelSendOptions = {},
  ): Promise<DualChannelSendResult> {
    const to = normalizePhoneNumber(message.to, {
      defaultCountry: message.defaultCountry ?? sendOptions.defaultCountry,
    });
    const normalized: DualChannelMessage = { ...message, to };
    const callOptions: CallOptions = {
      signal: sendOptions.signal,
      tenant: sendOptions.tenant,
      correlationId: sendOptions.correlationId,
    };
    const preferences = (await lookUpPreferences(to, sendOptions.tenant)) ?? {};
    const skip = async (reason: 'opted_out' | 'no_eligible_channel'): Promise<DualChannelSendResult> => {
      await append({
        event: 'skipped',
        tenant: sendOptions.tenant,
        correlationId: sendOptions.correlationId,
        channel: preferences.hasWhatsApp === true ? 'whatsapp' : 'sms',
        direction: 'outbound',
        status: 'skipped',
        to,
        reason,
        attempt: 0,
      });
      return { status: 'skipped', reason, to, attempts: [] };
    };
    if (preferences.optedOut === true) return skip('opted_out');
    const planned = plan(preferences, normalized, now());
    const route =
      sendOptions.channel === undefined
        ? planned
        : { ...planned, channels: planned.channels.filter((channel) => channel === sendOptions.channel) };
    if (route.channels.length === 0) return skip('no_eligible_channel');

    const repeatUnknown = sendOptions.repeatUnknownOutcome ?? options.repeatUnknownOutcome ?? false;
    const attempts: ChannelAttempt[] = [];
    let lastError: PatchbayError | undefined;
    for (const [index, channel] of route.channels.entries()) {
      // The first channel keeps the caller's idempotency key; a fallback gets its own.
      const suffix = index === 0 ? '' : `:${channel}`;
      const outbound = channel === 'sms' ? smsVariant(normalized, suffix) : whatsappVariant(normalized, suffix);
      if (outbound === undefined) continue;
      const outcome = await attempt(
        channel,
        outbound,
        callOptions,
        {
          attempt: index + 1,
          reason: index === 0 ? route.reason : `${route.channels[index - 1]}_failed`,
        },
        // Remembered before the log write, so a failure webhook racing the log still finds the message.
        channel === 'whatsapp'
          ? async (result) => {
              try {
                await bounded('The state store (remember)', () =>
                  state.remember({
                    messageId: result.messageId,
                    to,
                    message: normalized,
                    tenant: sendOptions.tenant,
                    correlationId: sendOptions.correlationId,
                    provider: result.provider,
                    sentAt: now(),
                    attempt: index + 1,
                  }),
                );
              } catch (error) {
                report(error, { operation: 'state', messageId: result.messageId });
              }
            }
          : undefined,
      );
      if (outcome.ok) {
        const { result } = outcome;
        attempts.push({ channel, provider: result.provider, ok: true, messageId: result.messageId });
        const sent: DualChannelSendResult = { status: 'sent', channel, to, result, attempts, reason: route.reason };
        if (channel === 'whatsapp') {
          const deferred = await runEarlyFailure(result.messageId);
          if (deferred !== undefined) sent.asyncFallback = deferred;
        }
        return sent;
      }
      const { error } = outcome;
      lastError = error;
      attempts.push({
        channel,
        provider: error.provider ?? providers[channel].id,
        ok: false,
        errorCode: error.code,
        outcomeUnknown: error.outcomeUnknown || undefined,
      });
      // The caller gave up, or the first message may have arrived: sending again could duplicate it.
      if (error.code === 'aborted' || callOptions.signal?.aborted) break;
      if (error.outcomeUnknown && !repeatUnknown) break;
    }
    const failure =
      lastError ?? new PatchbayError({ code: 'invalid_request', message: 'No channel could take the message' });
    throw new PatchbayError({ ...failure.toOptions(), details: { ...failure.details, attempts } });
  }

  async function handleDeliveryStatus(event: DeliveryStatusEvent): Promise<DeliveryStatusAction> {
    // A redelivered status is recorded once (the log check is in `recordWebhookEvent`); the fallback
    // below still runs, guarded by its own claim, so a delivery that failed there can be retried.
    if (firstDelivery(event)) await recordSafely(event);
    meterReportedCost(event);
    const failed = event.status === 'failed' || event.status === 'undelivered';
    if (event.channel !== 'whatsapp' || !failed) return { action: 'none', reason: 'not_whatsapp_failure' };
    const original = await bounded('The state store (get)', () => state.get(event.messageId), {
      report: { operation: 'state', messageId: event.messageId },
    });
    if (original === undefined) {
      // Possibly our own send whose answer has not arrived yet: keep the failure for it.
      parkEarlyFailure(event);
      return { action: 'none', reason: 'unknown_message' };
    }
    return fallBackToSms(event, original);
  }

  /** Records a status update unless the log already holds it. */
  async function recordSafely(event: DeliveryStatusEvent): Promise<void> {
    if (log === undefined) return;
    try {
      await bounded('The delivery log (record)', () => recordWebhookEvent(log, event));
    } catch (error) {
      report(error, { operation: 'delivery-log', messageId: event.messageId });
    }
  }

  /** Appends an inbound event already known not to be in the log. */
  async function appendSafely(
    event: MessagingWebhookEvent,
    links: { sessionId?: string | undefined; threadId?: string | undefined },
  ): Promise<void> {
    if (log === undefined) return;
    try {
      await bounded('The delivery log (append)', () => appendWebhookEvent(log, event, links, []));
    } catch (error) {
      report(error, { operation: 'delivery-log', messageId: event.messageId });
    }
  }

  /** Remembers (bounded) who sent a message whose price the vendor will report later. */
  function awaitReportedCost(result: SendResult, tenant: string | undefined): void {
    if (unpriced.size >= maxUnpriced) unpriced.delete(unpriced.keys().next().value as string);
    unpriced.set(result.messageId, { provider: result.provider, tenant });
  }

  function meterReportedCost(event: DeliveryStatusEvent): void {
    if (meter === undefined || event.cost === undefined) return;
    const sent = unpriced.get(event.messageId);
    if (sent === undefined) return;
    unpriced.delete(event.messageId);
    try {
      meter.recordReportedCost({
        provider: sent.provider,
        tenant: sent.tenant,
        amount: event.cost.amount,
        currency: event.cost.currency,
        correlationId: event.messageId,
      });
    } catch (error) {
      report(error, { operation: 'reported-cost', messageId: event.messageId });
    }
  }

  function parkEarlyFailure(event: DeliveryStatusEvent): void {
    const at = now().getTime();
    for (const [messageId, parked] of earlyFailures) {
      if (earlyFailures.size < maxEarlyFailures && at - parked.at < earlyFailureTtlMs) break;
      earlyFailures.delete(messageId);
    }
    earlyFailures.set(event.messageId, { event, at });
  }

  async function runEarlyFailure(messageId: string): Promise<DeliveryStatusAction | undefined> {
    const parked = earlyFailures.get(messageId);
    if (parked === undefined) return undefined;
    earlyFailures.delete(messageId);
    // Expired entries are dropped when another one is kept; one that no later failure swept away expires here.
    if (now().getTime() - parked.at >= earlyFailureTtlMs) return undefined;
    try {
      const original = await bounded('The state store (get)', () => state.get(messageId));
      if (original === undefined) return undefined;
      return await fallBackToSms(parked.event, original);
    } catch (error) {
      report(error, { operation: 'deferred-fallback', messageId });
      return undefined;
    }
  }

  async function fallBackToSms(
    event: DeliveryStatusEvent,
    original: SentWhatsAppMessage,
  ): Promise<DeliveryStatusAction> {
    // A webhook verified for one tenant must not trigger sends for another tenant's message.
    if (event.tenant !== undefined && original.tenant !== undefined && event.tenant !== original.tenant) {
      return { action: 'none', reason: 'tenant_mismatch' };
    }
    if (options.smsFallbackOnAsyncFailure === false) return { action: 'none', reason: 'fallback_disabled' };
    const sms = smsVariant(original.message, ':sms-fallback');
    if (sms === undefined) return { action: 'none', reason: 'no_sms_body' };
    // Claim before any await that could interleave with a duplicate webhook: exactly one wins.
    const claimed = await bounded('The state store (claimFallback)', () => state.claimFallback(event.messageId), {
      report: { operation: 'state', messageId: event.messageId },
      // Our claim landed after we gave up on it (and answered 500). Given back, a redelivery arriving before the
      // release would answer `already_handled` and no SMS would ever go out; so the claim is used: the fallback goes
      // on here, and a redelivery meanwhile answers `already_handled` truthfully.
      onLate: (late) => {
        if (!late) return;
        sendClaimedFallback(event, original, sms).catch((error: unknown) =>
          report(error, { operation: 'deferred-fallback', messageId: event.messageId }),
        );
      },
    });
    if (!claimed) return { action: 'none', reason: 'already_handled' };
    return sendClaimedFallback(event, original, sms);
  }

  /** The SMS fallback once this process holds its claim: preferences, then the send. */
  async function sendClaimedFallback(
    event: DeliveryStatusEvent,
    original: SentWhatsAppMessage,
    sms: OutboundMessage,
  ): Promise<DeliveryStatusAction> {
    let preferences: RecipientPreferences;
    let callOptions: CallOptions;
    try {
      preferences = (await lookUpPreferences(original.to, original.tenant, event.messageId)) ?? {};
      callOptions = replayOptions(original);
    } catch (error) {
      // Nothing was sent: give the claim back, or the vendor's redelivery of this webhook (it gets a
      // 500) would answer `already_handled` and no SMS would ever go out. A lookup that hangs past
      // `storeTimeoutMs` is such a failure too.
      await releaseClaim(event.messageId);
      throw error;
    }
    if (preferences.optedOut === true) return { action: 'none', reason: 'opted_out' };
    if (preferences.allowsSms === false) return { action: 'none', reason: 'sms_not_allowed' };
    // From here the SMS may go out: whatever happens, the claim is only given back after a definite failure.
    const outcome = await attempt('sms', sms, callOptions, {
      attempt: original.attempt + 1,
      reason: `whatsapp_${event.status}${event.errorCode ? `_${event.errorCode}` : ''}`,
      fallbackOf: original.messageId,
    });
    if (outcome.ok) return { action: 'sms-fallback', result: outcome.result, fallbackOf: original.messageId };
    // A definite failure sent nothing: let a redelivered webhook try again. An unknown outcome keeps the claim.
    if (!outcome.error.outcomeUnknown) await releaseClaim(event.messageId);
    return { action: 'sms-fallback-failed', error: outcome.error, fallbackOf: original.messageId };
  }

  /**
   * Gives a fallback claim back; a state store failing (or hanging past `storeTimeoutMs`) here is
   * reported, and the original error stands.
   */
  async function releaseClaim(messageId: string): Promise<void> {
    try {
      await bounded('The state store (releaseFallback)', () => state.releaseFallback(messageId));
    } catch (error) {
      report(error, { operation: 'state', messageId });
    }
  }

  /** `preferences.get`, bounded: a lookup that hangs is reported and fails the call like one that throws. */
  function lookUpPreferences(
    to: string,
    tenant: string | undefined,
    messageId?: string,
  ): RecipientPreferences | undefined | Promise<RecipientPreferences | undefined> {
    return bounded('The preferences lookup (get)', () => options.preferences.get(to, { tenant }), {
      report: { operation: 'preferences', messageId },
    });
  }

  async function handleWebhookEvent(event: MessagingWebhookEvent): Promise<DeliveryStatusAction | undefined> {
    if (event.type === 'delivery-status') return handleDeliveryStatus(event);
    // A redelivered message is recorded (log and thread) once; `recordInbound` below runs again, so a
    // delivery that failed there is retried.
    if (firstDelivery(event) && !(await alreadyLogged(event))) {
      // Short codes and alphanumeric senders are not contacts with a session.
      const links = event.from.startsWith('+')
        ? await recordSession({
            contact: event.from,
            tenant: event.tenant,
            channel: event.channel,
            direction: 'inbound',
            messageId: event.messageId,
            at: event.receivedAt,
          })
        : {};
      await appendSafely(event, links);
    }
    // Short codes and alphanumeric senders are not recipients we could message back.
    if (event.from.startsWith('+')) {
      const preferences = options.preferences;
      if (preferences.recordInbound !== undefined) {
        await bounded(
          'The preferences lookup (recordInbound)',
          () =>
            preferences.recordInbound?.(event.from, {
              channel: event.channel,
              at: event.receivedAt,
              tenant: event.tenant,
            }),
          { report: { operation: 'preferences', messageId: event.messageId } },
        );
      }
    }
    return undefined;
  }

  async function checkRecipient(
    rawTo: string,
    lookup: { tenant?: string | undefined; defaultCountry?: string | undefined } = {},
  ): Promise<RecipientCheck> {
    const to = normalizePhoneNumber(rawTo, { defaultCountry: lookup.defaultCountry });
    const preferences = (await lookUpPreferences(to, lookup.tenant)) ?? {};
    let lastActiveChannel: string | undefined = preferences.lastActiveChannel;
    if (options.sessions !== undefined) {
      const sessions = options.sessions;
      try {
        lastActiveChannel =
          (await bounded('The session store (lastActiveChannel)', () =>
            sessions.lastActiveChannel(to, { tenant: lookup.tenant }),
          )) ?? lastActiveChannel;
      } catch (error) {
        report(error, { operation: 'session' });
      }
    }
    const open = preferences.whatsappSessionOpenUntil !== undefined && preferences.whatsappSessionOpenUntil > now();
    return {
      to,
      hasWhatsApp: preferences.hasWhatsApp === true,
      whatsappSessionOpen: preferences.hasWhatsApp === true && open,
      allowsWhatsApp: preferences.allowsWhatsApp !== false,
      allowsSms: preferences.allowsSms !== false,
      optedOut: preferences.optedOut === true,
      lastActiveChannel,
    };
  }

  return {
    checkRecipient,
    send,
    handleDeliveryStatus,
    handleWebhookEvent,
    webhookListener: async (event) => {
      await handleWebhookEvent(event);
    },
  };
}
