import type { CallOptions, MessagingProvider, OutboundMessage, SendResult } from '@patchbay/core';
import { createDeduplicator } from './deduplicate.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { InMemoryIdempotencyStore } from './in-memory-idempotency-store.js';

export interface IdempotentMessagingOptions {
  /** Default: a bounded in-memory store (this process only). */
  store?: IdempotencyStore | undefined;
  /** How long a key is remembered after its send (default 24 hours). */
  windowMs?: number | undefined;
  /** How long a duplicate waits on a send in progress in another process (default 30 s). */
  waitTimeoutMs?: number | undefined;
}

/**
 * Wraps any MessagingProvider (an adapter or a routed `patchbay.sms`) so a message carrying
 * `idempotencyKey` is sent at most once per tenant and key within the window, whatever the vendor
 * supports: a job retried after a crash gets the first send's result back instead of a second OTP.
 * Messages without a key pass straight through.
 */
export function withIdempotency(
  provider: MessagingProvider,
  options: IdempotentMessagingOptions = {},
): MessagingProvider {
  const store = options.store ?? new InMemoryIdempotencyStore();
  const deduplicator = createDeduplicator();
  const send = (message: OutboundMessage, callOptions?: CallOptions): Promise<SendResult> => {
    const key = message.idempotencyKey;
    if (key === undefined || key === '') return provider.send(message, callOptions);
    const scoped = `${provider.kind}\u0000${callOptions?.tenant ?? ''}\u0000${key}`;
    return deduplicator.run(
      scoped,
      { store, windowMs: options.windowMs, waitTimeoutMs: options.waitTimeoutMs, signal: callOptions?.signal },
      () => provider.send(message, callOptions),
    );
  };
  return new Proxy(provider, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
