import type {
  CallOptions,
  DeliveryStatus,
  MessagingCapabilities,
  MessagingChannel,
  MessagingProvider,
  OutboundMessage,
  SendResult,
} from '@patchbay/core';
import { lazySchema } from '@patchbay/core/adapter';
import { z } from 'zod';
import { type MockBaseSettings, MockProvider, type MockProviderOptions, mockSettingsShape } from './mock-provider.js';
import type { MockFailureStep, MockHangStep, MockScript } from './mock-script.js';

/** A successful send. */
export interface MessagingMockSuccess {
  /** Default `mock-message-<n>`. */
  messageId?: string | undefined;
  /** Default `queued`. */
  status?: DeliveryStatus | undefined;
  /** Default: 1 for WhatsApp; for SMS 1 up to 160 characters, then one per 153. */
  segments?: number | undefined;
  cost?: { amount: number; currency: string } | undefined;
  delayMs?: number | undefined;
}

export type MessagingMockStep = MessagingMockSuccess | MockFailureStep | MockHangStep;

export interface MockMessagingProviderOptions extends MockProviderOptions<MessagingMockStep, OutboundMessage> {
  /** Default `sms`. */
  channel?: MessagingChannel | undefined;
  script?: MockScript<MessagingMockStep, OutboundMessage> | undefined;
  capabilities?: Partial<Omit<MessagingCapabilities, 'channel'>> | undefined;
  /** Default sender. */
  from?: string | undefined;
}

const settingsSchema = lazySchema(() => z.strictObject({ ...mockSettingsShape(), from: z.string().min(1).optional() }));

interface MockMessagingSettings extends MockBaseSettings {
  from?: string | undefined;
}

/** GSM-7 sizing, close enough for tests: the messaging package computes the real thing. */
function smsSegments(body: string | undefined): number {
  const length = body?.length ?? 0;
  return length <= 160 ? 1 : Math.ceil(length / 153);
}

/**
 * A scriptable SMS or WhatsApp provider. It does not validate or normalise
 * numbers (the messaging package does): it records exactly what it received.
 */
export class MockMessagingProvider
  extends MockProvider<MockMessagingSettings, MessagingMockStep, OutboundMessage, MessagingCapabilities>
  implements MessagingProvider
{
  readonly kind: MessagingChannel;
  readonly channel: MessagingChannel;

  constructor(options: MockMessagingProviderOptions = {}) {
    const channel = options.channel ?? 'sms';
    super({
      id: options.id ?? `mock-${channel}`,
      vendor: options.vendor ?? 'mock',
      kind: channel,
      schema: settingsSchema as unknown as z.ZodType<MockMessagingSettings>,
      options,
      defaultStep: {},
      defaultCapabilities: {
        channel,
        media: true,
        templates: channel === 'whatsapp',
        idempotency: true,
        maxBodyLength: channel === 'sms' ? 1600 : 4096,
      },
    });
    this.kind = channel;
    this.channel = channel;
  }

  override get capabilities(): MessagingCapabilities {
    return { ...super.capabilities, channel: this.channel };
  }

  send(message: OutboundMessage, options?: CallOptions): Promise<SendResult> {
    return this.run('send', message, options, ({ step, call }) => ({
      messageId: step.messageId ?? `mock-message-${call.index}`,
      status: step.status ?? 'queued',
      channel: this.channel,
      to: message.to,
      segments: step.segments ?? (this.channel === 'whatsapp' ? 1 : smsSegments(message.body)),
      provider: this.id,
      vendor: this.vendor,
      cost: step.cost,
    }));
  }

  /** Messages sent successfully, in order. */
  get sent(): OutboundMessage[] {
    return this.calls.filter((call) => call.outcome === 'success').map((call) => call.request);
  }
}
