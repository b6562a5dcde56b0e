import type { MessageMedia, OutboundMessage, PatchbayError, SendResult } from '@patchbay/core';
import { type ConnectionCheck, defineProviderFactory, type ResolvedCredentials } from '@patchbay/core/adapter';
import {
  adapterInit,
  type MessagingAdapterInit,
  type MessagingAdapterRuntimeOptions,
  type MessagingErrorContext,
  MessagingProviderAdapter,
  type SendContext,
  VendorErrorAnswer,
} from '../shared/messaging-provider-adapter.js';
import { metaError } from './meta-error.js';
import {
  type MetaWhatsAppCredentials,
  type MetaWhatsAppProviderSettings,
  type MetaWhatsAppProviderSettingsInput,
  metaCredentials,
  metaWhatsAppSettingsSchema,
} from './meta-settings.js';

type MediaKind = 'image' | 'video' | 'audio' | 'document';

const extensionKinds: Record<string, MediaKind> = {
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  webp: 'image',
  mp4: 'video',
  '3gp': 'video',
  mp3: 'audio',
  ogg: 'audio',
  aac: 'audio',
  amr: 'audio',
  m4a: 'audio',
};

/** The Cloud API message type for a media item: from its MIME type, else its file extension. */
function mediaKind(media: MessageMedia): MediaKind {
  const mime = media.mimeType?.toLowerCase();
  if (mime?.startsWith('image/')) return 'image';
  if (mime?.startsWith('video/')) return 'video';
  if (mime?.startsWith('audio/')) return 'audio';
  if (mime) return 'document';
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(media.url)?.[1]?.toLowerCase();
  return (extension && extensionKinds[extension]) || 'document';
}

/** The request body for one message: a template, one media item, or text. */
function messageBody(
  message: OutboundMessage,
  to: string,
  settings: MetaWhatsAppProviderSettings,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    // The Cloud API takes the number without the plus sign.
    to: to.slice(1),
  };
  if (message.idempotencyKey) {
    // Meta has no idempotency key; the opaque callback data comes back on every status webhook instead.
    base.biz_opaque_callback_data = message.idempotencyKey.slice(0, 512);
  }
  if (message.template) {
    const { name, language, parameters, components } = message.template;
    const bodyParameters = (parameters ?? []).map((text) => ({ type: 'text', text }));
    const template: Record<string, unknown> = { name, language: { code: language } };
    if (components) template.components = components;
    else if (bodyParameters.length) template.components = [{ type: 'body', parameters: bodyParameters }];
    return { ...base, type: 'template', template };
  }
  const media = message.media?.[0];
  if (media) {
    const kind = mediaKind(media);
    const object: Record<string, unknown> = { link: media.url };
    const caption = media.caption ?? message.body;
    // Audio has no caption on WhatsApp.
    if (caption && kind !== 'audio') object.caption = caption;
    return { ...base, type: kind, [kind]: object };
  }
  return { ...base, type: 'text', text: { body: message.body ?? '', preview_url: settings.previewUrl } };
}

/**
 * WhatsApp through Meta's Cloud API over plain HTTP: one JSON POST to
 * /{version}/{phone-number-id}/messages per send. Delivery reports arrive on
 * the app's webhook (see the Meta webhook handler), not per message.
 */
export class MetaWhatsAppProvider extends MessagingProviderAdapter<
  MetaWhatsAppProviderSettings,
  MetaWhatsAppCredentials
> {
  constructor(init: MessagingAdapterInit) {
    super({
      id: init.id,
      vendor: 'meta',
      kind: 'whatsapp',
      schema: metaWhatsAppSettingsSchema,
      settings: init.settings,
      credentials: metaCredentials,
      runtime: init.runtime,
      dispatcher: init.dispatcher,
      capabilities: { media: true, templates: true, idempotency: false, maxBodyLength: 4096 },
    });
  }

  #url(settings: MetaWhatsAppProviderSettings, phoneNumberId: string, suffix = ''): string {
    return `${settings.baseURL.replace(/\/+$/, '')}/${settings.apiVersion}/${encodeURIComponent(phoneNumberId)}${suffix}`;
  }

  protected override checkMessage(message: OutboundMessage): void {
    super.checkMessage(message);
    // One Cloud API message carries at most one media item; sending several would be several messages.
    if ((message.media?.length ?? 0) > 1) throw this.invalid('media', 'WhatsApp sends one media item per message');
  }

  protected mapError(error: unknown, context: MessagingErrorContext): PatchbayError {
    return error instanceof VendorErrorAnswer
      ? metaError(error.response, context)
      : this.toError(error, context.signal);
  }

  protected async doSend(
    context: SendContext<MetaWhatsAppProviderSettings, MetaWhatsAppCredentials>,
  ): Promise<SendResult> {
    const { message, to, settings, credentials, signal } = context;
    // Extra Cloud API fields (e.g. `context` for a reply) pass through; the recipient and product never do.
    const { to: _to, messaging_product: _product, ...extra } = message.providerOptions?.meta ?? {};
    const body = { ...messageBody(message, to, settings), ...extra };
    const response = await this.request({
      method: 'POST',
      url: this.#url(settings, credentials.values.phoneNumberId, '/messages'),
      headers: {
        authorization: `Bearer ${credentials.values.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal,
    });
    const answer = this.answer<{ messages?: { id?: string; message_status?: string }[] }>(response, 'send');
    const id = answer.messages?.[0]?.id;
    if (typeof id !== 'string') throw this.unreadable(response, true);
    return this.result(message, to, id, 'queued');
  }

  protected async checkConnection(context: {
    settings: MetaWhatsAppProviderSettings;
    credentials: ResolvedCredentials<MetaWhatsAppCredentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    const { settings, credentials, signal } = context;
    const response = await this.request({
      method: 'GET',
      url: this.#url(
        settings,
        credentials.values.phoneNumberId,
        '?fields=display_phone_number,verified_name,quality_rating',
      ),
      headers: { authorization: `Bearer ${credentials.values.accessToken}`, accept: 'application/json' },
      signal,
    });
    const number = this.answer<{ display_phone_number?: string; verified_name?: string; quality_rating?: string }>(
      response,
      'check',
    );
    return {
      message: `Connected to WhatsApp Cloud API as ${number.verified_name ?? number.display_phone_number ?? 'the business number'}`,
      details: {
        displayPhoneNumber: number.display_phone_number,
        verifiedName: number.verified_name,
        qualityRating: number.quality_rating,
      },
    };
  }
}

export type MetaWhatsAppProviderOptions = MetaWhatsAppProviderSettingsInput & MessagingAdapterRuntimeOptions;

/**
 * WhatsApp Cloud API provider. Credentials resolve per call: explicit settings,
 * the tenant's stored credentials, then WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID.
 */
export function createMetaWhatsAppProvider(options: MetaWhatsAppProviderOptions = {}): MetaWhatsAppProvider {
  return new MetaWhatsAppProvider(adapterInit(options, 'meta-whatsapp'));
}

/** Builds Cloud API providers from configuration (`kind: 'whatsapp', vendor: 'meta'`). */
export const metaWhatsAppProviderFactory = defineProviderFactory({
  kind: 'whatsapp',
  vendor: 'meta',
  label: 'WhatsApp Cloud API (Meta)',
  docsUrl: 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started',
  create: ({ id, settings, runtime }) => new MetaWhatsAppProvider({ id, settings, runtime }),
});
