import type { BaseProvider, CallOptions } from './provider.js';

export type MessagingChannel = 'sms' | 'whatsapp';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

export interface MessageMedia {
  url: string;
  mimeType?: string | undefined;
  caption?: string | undefined;
}

/** A pre-approved WhatsApp template, required outside the 24-hour customer-service window. */
export interface WhatsAppTemplate {
  name: string;
  /** e.g. `en_US`. */
  language: string;
  /** Body parameters in order ({{1}}, {{2}}…). */
  parameters?: string[] | undefined;
  /** Vendor-native components, passed through when given (header/button parameters). */
  components?: unknown[] | undefined;
}

export interface OutboundMessage {
  /** Recipient; normalised to E.164 before any vendor is called. */
  to: string;
  body?: string | undefined;
  media?: MessageMedia[] | undefined;
  /** Overrides the provider's configured sender (number, short code or alphanumeric id). */
  from?: string | undefined;
  /** Where the vendor posts delivery reports for this message. */
  statusCallbackUrl?: string | undefined;
  /** The same key never sends twice where the vendor supports it, and is logged always. */
  idempotencyKey?: string | undefined;
  /** WhatsApp only. */
  template?: WhatsAppTemplate | undefined;
  /** ISO country used to read national-format numbers (default from provider settings). */
  defaultCountry?: string | undefined;
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
}

export interface SendResult {
  /** The vendor's message id, the key of later status updates. */
  messageId: string;
  status: DeliveryStatus;
  channel: MessagingChannel;
  /** Recipient in E.164. */
  to: string;
  /** SMS segments billed (1 for WhatsApp). */
  segments: number;
  provider: string;
  vendor: string;
  /** Only when the vendor reports it. */
  cost?: { amount: number; currency: string } | undefined;
}

export interface MessagingCapabilities {
  channel: MessagingChannel;
  media: boolean;
  templates: boolean;
  /** Vendor deduplicates on the idempotency key. */
  idempotency: boolean;
  /** Max characters (after encoding) the vendor accepts in one message. */
  maxBodyLength?: number | undefined;
}

export interface MessagingProvider extends BaseProvider {
  readonly kind: MessagingChannel;
  readonly capabilities: MessagingCapabilities;
  send(message: OutboundMessage, options?: CallOptions): Promise<SendResult>;
}
