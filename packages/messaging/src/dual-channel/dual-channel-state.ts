import type { CallOptions } from '@patchbay/core';
import type { DualChannelMessage } from './dual-channel-types.js';

/** A WhatsApp message the messenger sent, kept so an asynchronous failure can re-send it by SMS. */
export interface SentWhatsAppMessage {
  messageId: string;
  /** Recipient in E.164. */
  to: string;
  /** The original message, as the caller gave it (with `to` normalised). */
  message: DualChannelMessage;
  tenant?: string | undefined;
  correlationId?: string | undefined;
  provider: string;
  sentAt: Date;
  /** Attempt number of the WhatsApp send within its logical message. */
  attempt: number;
}

/**
 * What the messenger remembers between a send and its webhooks. The in-memory default suits one
 * process; several instances behind a load balancer need a shared store whose `claimFallback` is
 * atomic (e.g. `UPDATE … SET fallback_claimed = true WHERE … AND NOT fallback_claimed`).
 */
export interface DualChannelStateStore {
  remember(record: SentWhatsAppMessage): void | Promise<void>;
  get(messageId: string): SentWhatsAppMessage | undefined | Promise<SentWhatsAppMessage | undefined>;
  /** Marks the SMS fallback of a message as taken; true for the first caller only. */
  claimFallback(messageId: string): boolean | Promise<boolean>;
  /** Gives a claim back after a fallback that definitely did not send, so a redelivered webhook can try again. */
  releaseFallback(messageId: string): void | Promise<void>;
}

export interface InMemoryDualChannelStateOptions {
  /** Messages remembered; the oldest are forgotten beyond this (default 10 000). */
  maxMessages?: number | undefined;
}

export class InMemoryDualChannelState implements DualChannelStateStore {
  readonly #messages = new Map<string, SentWhatsAppMessage>();
  readonly #claimed = new Set<string>();
  readonly #max: number;

  constructor(options: InMemoryDualChannelStateOptions = {}) {
    this.#max = options.maxMessages ?? 10_000;
  }

  remember(record: SentWhatsAppMessage): void {
    this.#messages.delete(record.messageId);
    this.#messages.set(record.messageId, record);
    while (this.#messages.size > this.#max) {
      const oldest = this.#messages.keys().next();
      if (oldest.done) break;
      this.#messages.delete(oldest.value);
      this.#claimed.delete(oldest.value);
    }
  }

  get(messageId: string): SentWhatsAppMessage | undefined {
    return this.#messages.get(messageId);
  }

  claimFallback(messageId: string): boolean {
    if (this.#claimed.has(messageId)) return false;
    this.#claimed.add(messageId);
    return true;
  }

  releaseFallback(messageId: string): void {
    this.#claimed.delete(messageId);
  }
}

/** The call options a remembered message replays with. */
export function replayOptions(record: SentWhatsAppMessage): CallOptions {
  return { tenant: record.tenant, correlationId: record.correlationId };
}
