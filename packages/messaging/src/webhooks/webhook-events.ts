import type { DeliveryStatus, MessagingChannel } from '@patchbay/core';

/** A media item received with an inbound message: Twilio gives a URL, Meta an id to fetch with the Graph API. */
export interface InboundMedia {
  /** Where to download it (Twilio); needs the vendor's credentials. */
  url?: string | undefined;
  /** The vendor's media id (Meta). */
  id?: string | undefined;
  mimeType?: string | undefined;
  caption?: string | undefined;
  filename?: string | undefined;
  /** `image`, `audio`, `video`, `document`, `sticker`… as the vendor names it. */
  kind?: string | undefined;
}

/** A message a recipient sent to one of our numbers. */
export interface InboundMessageEvent {
  type: 'inbound-message';
  channel: MessagingChannel;
  vendor: string;
  /** Sender in E.164 when it is a phone number, otherwise the vendor's sender id verbatim. */
  from: string;
  /** Our number in E.164 (Meta: the display number of the receiving phone number id). */
  to: string;
  /** Text of the message; empty for a media-only message. */
  text: string;
  media: InboundMedia[];
  messageId: string;
  receivedAt: Date;
  /** Vendor account the message arrived on: Twilio AccountSid, Meta phone_number_id. */
  accountId?: string | undefined;
  /** Set when the handler resolved a tenant for the request. */
  tenant?: string | undefined;
  /** The vendor's payload for this event (form parameters or the JSON object). */
  raw?: unknown;
}

/** A vendor's report on a message we sent. */
export interface DeliveryStatusEvent {
  type: 'delivery-status';
  channel: MessagingChannel;
  vendor: string;
  messageId: string;
  status: DeliveryStatus;
  /** The vendor's error code as a string (Twilio `30008`, Meta `131047`). */
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  /** When the status took effect: the vendor's timestamp when it sends one, else the time we received it. */
  timestamp: Date;
  /** Recipient in E.164 when the vendor reports it. */
  to?: string | undefined;
  /** What the vendor reports charging for the message (Twilio `Price`, Vonage `price`), when it does. */
  cost?: { amount: number; currency: string } | undefined;
  accountId?: string | undefined;
  tenant?: string | undefined;
  raw?: unknown;
}

export type MessagingWebhookEvent = InboundMessageEvent | DeliveryStatusEvent;

/** What a webhook handler passes with each event. */
export interface WebhookEventContext {
  request: Request;
  tenant?: string | undefined;
}

/**
 * Receives every verified event. Throwing (or rejecting) makes the handler answer 500 so the vendor
 * delivers the webhook again later; handlers must therefore be idempotent.
 */
export type WebhookEventListener = (event: MessagingWebhookEvent, context: WebhookEventContext) => void | Promise<void>;
