import type { MessagingChannel } from '@patchbay/core';
import { normalizePhoneNumber } from '../phone-number.js';

/** The WhatsApp customer-service window: free-form messages are allowed this long after the user's last message. */
export const whatsappSessionMs = 24 * 60 * 60 * 1000;

/** What is known about one recipient, typically columns of a profiles table. */
export interface RecipientPreferences {
  /** Nothing is sent on any channel. */
  optedOut?: boolean | undefined;
  /** The number has a WhatsApp account. Unknown (undefined) counts as no. */
  hasWhatsApp?: boolean | undefined;
  /** The recipient accepts WhatsApp messages from us (default true). */
  allowsWhatsApp?: boolean | undefined;
  /** The recipient accepts SMS (default true). */
  allowsSms?: boolean | undefined;
  /** Tried first when both channels are possible; default WhatsApp. */
  preferredChannel?: MessagingChannel | undefined;
  /** End of the 24-hour window opened by the recipient's last WhatsApp message. */
  whatsappSessionOpenUntil?: Date | undefined;
  /** The channel of the recipient's latest inbound message (SMS included). */
  lastActiveChannel?: MessagingChannel | undefined;
}

export interface RecipientLookupContext {
  tenant?: string | undefined;
}

/** Where the messenger reads recipients' preferences (a profiles table, a CRM…). */
export interface RecipientPreferencesLookup {
  /** `phoneNumber` is E.164. Undefined means nothing is known: SMS only. */
  get(
    phoneNumber: string,
    context: RecipientLookupContext,
  ): RecipientPreferences | undefined | Promise<RecipientPreferences | undefined>;
  /**
   * Optional: told about every inbound message, so a WhatsApp message can open the 24-hour window
   * and mark the number as having WhatsApp.
   */
  recordInbound?(
    phoneNumber: string,
    inbound: { channel: MessagingChannel; at: Date; tenant?: string | undefined },
  ): void | Promise<void>;
}

/**
 * Preferences in memory, keyed by tenant and E.164 number. An entry set without a tenant applies to
 * every tenant that has no entry of its own for that number.
 */
export class InMemoryRecipientPreferences implements RecipientPreferencesLookup {
  readonly #entries = new Map<string, RecipientPreferences>();

  constructor(initial: Record<string, RecipientPreferences> = {}) {
    for (const [phoneNumber, preferences] of Object.entries(initial)) this.set(phoneNumber, preferences);
  }

  #key(phoneNumber: string, tenant: string | undefined): string {
    return `${tenant ?? ''}\u0000${normalizePhoneNumber(phoneNumber, { field: 'phoneNumber' })}`;
  }

  /** Replaces the preferences of a number (any notation with a country code). */
  set(phoneNumber: string, preferences: RecipientPreferences, options: RecipientLookupContext = {}): void {
    this.#entries.set(this.#key(phoneNumber, options.tenant), { ...preferences });
  }

  /** Merges a patch into the number's preferences. */
  update(phoneNumber: string, patch: RecipientPreferences, options: RecipientLookupContext = {}): RecipientPreferences {
    const key = this.#key(phoneNumber, options.tenant);
    const next = { ...this.#entries.get(key), ...patch };
    this.#entries.set(key, next);
    return { ...next };
  }

  delete(phoneNumber: string, options: RecipientLookupContext = {}): void {
    this.#entries.delete(this.#key(phoneNumber, options.tenant));
  }

  get(phoneNumber: string, context: RecipientLookupContext = {}): RecipientPreferences | undefined {
    const own = context.tenant === undefined ? undefined : this.#entries.get(this.#key(phoneNumber, context.tenant));
    const found = own ?? this.#entries.get(this.#key(phoneNumber, undefined));
    return found === undefined ? undefined : { ...found };
  }

  recordInbound(
    phoneNumber: string,
    inbound: { channel: MessagingChannel; at: Date; tenant?: string | undefined },
  ): void {
    const tenant = inbound.tenant;
    let key: string;
    try {
      key = this.#key(phoneNumber, tenant);
    } catch {
      // Not a phone number (a vendor test sender…): nothing to remember, and no reason to fail the webhook.
      return;
    }
    // Start from what the tenant inherits, so a shared opt-out is not lost by the tenant's own entry.
    const base = this.#entries.get(key) ?? this.get(phoneNumber, { tenant }) ?? {};
    // Every inbound message, SMS too, moves the last active channel; only WhatsApp opens the window.
    this.#entries.set(
      key,
      inbound.channel === 'whatsapp'
        ? {
            ...base,
            hasWhatsApp: true,
            lastActiveChannel: 'whatsapp',
            whatsappSessionOpenUntil: new Date(inbound.at.getTime() + whatsappSessionMs),
          }
        : { ...base, lastActiveChannel: inbound.channel },
    );
  }
}
