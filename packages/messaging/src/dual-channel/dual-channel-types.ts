import type {
  CallOptions,
  ErrorCode,
  MessagingChannel,
  OutboundMessage,
  PatchbayError,
  SendResult,
} from '@patchbay/core';

/** Fields of a message one channel may override (a shorter SMS text, another sender…). */
export type ChannelOverrides = Partial<Omit<OutboundMessage, 'to'>>;

export interface DualChannelMessage extends OutboundMessage {
  /** Applied over the message when it goes by SMS; `template` is always dropped for SMS. */
  sms?: ChannelOverrides | undefined;
  /** Applied over the message when it goes by WhatsApp. */
  whatsapp?: ChannelOverrides | undefined;
}

export interface DualChannelSendOptions extends CallOptions {
  /**
   * Re-send on the other channel even after an error whose outcome is unknown (the first message
   * may have been delivered). Default: the messenger's setting, itself default false.
   */
  repeatUnknownOutcome?: boolean | undefined;
  /** Used to read a national-format `to`. */
  defaultCountry?: string | undefined;
  /** Send on this channel only (no fallback to the other); skipped with `no_eligible_channel` when it is not possible. */
  channel?: MessagingChannel | undefined;
}

/** What the messenger knows about a recipient, for `checkRecipient` (and agents deciding how to reach someone). */
export interface RecipientCheck {
  /** The number in E.164. */
  to: string;
  hasWhatsApp: boolean;
  /** WhatsApp free-form messages are possible now (24-hour window open). */
  whatsappSessionOpen: boolean;
  allowsWhatsApp: boolean;
  allowsSms: boolean;
  optedOut: boolean;
  /** The channel of the recipient's latest message (from the preferences or the session store). */
  lastActiveChannel?: string | undefined;
}

/** One channel the messenger tried. */
export interface ChannelAttempt {
  channel: MessagingChannel;
  /** Provider id that was called. */
  provider: string;
  ok: boolean;
  messageId?: string | undefined;
  errorCode?: ErrorCode | undefined;
  outcomeUnknown?: boolean | undefined;
}

/** Why the messenger chose SMS first. */
export type SmsFirstReason = 'no_whatsapp' | 'whatsapp_not_allowed' | 'whatsapp_session_closed' | 'sms_preferred';

export type SkipReason = 'opted_out' | 'no_eligible_channel';

export type DualChannelSendResult =
  | {
      status: 'sent';
      /** The channel that accepted the message. */
      channel: MessagingChannel;
      to: string;
      result: SendResult;
      attempts: ChannelAttempt[];
      /** Set when SMS was the first choice. */
      reason?: SmsFirstReason | undefined;
      /**
       * Set when a WhatsApp failure webhook arrived before this send returned: the fallback it
       * triggered (the failure is kept for the send, never lost).
       */
      asyncFallback?: DeliveryStatusAction | undefined;
    }
  | {
      status: 'skipped';
      reason: SkipReason;
      to: string;
      attempts: [];
    };

export type DeliveryStatusAction =
  | {
      action: 'none';
      reason:
        | 'not_whatsapp_failure'
        | 'unknown_message'
        | 'already_handled'
        | 'fallback_disabled'
        | 'opted_out'
        | 'sms_not_allowed'
        | 'no_sms_body'
        | 'tenant_mismatch';
    }
  | { action: 'sms-fallback'; result: SendResult; fallbackOf: string }
  | { action: 'sms-fallback-failed'; error: PatchbayError; fallbackOf: string };
