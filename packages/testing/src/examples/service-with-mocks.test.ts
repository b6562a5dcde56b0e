import {
  AllProvidersFailedError,
  type AttemptEvent,
  createPatchbay,
  type Patchbay,
  type PatchbayProviders,
} from '@patchbay/core';
import { type MockMessagingProvider, type MockSpeechSynthesizer, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';

/** The code under test: a small service that texts a customer and speaks a confirmation. */
export async function notifyCustomer(
  patchbay: PatchbayProviders,
  input: { phone: string; text: string; tenant?: string; correlationId?: string },
): Promise<{ messageId: string; sentBy: string; confirmation: Uint8Array }> {
  const options = { tenant: input.tenant, correlationId: input.correlationId };
  const sms = await patchbay.sms.send({ to: input.phone, body: input.text }, options);
  const speech = await patchbay.tts.synthesize({ text: `We have texted you: ${input.text}` }, options);
  return { messageId: sms.messageId, sentBy: sms.provider, confirmation: speech.audio };
}

function build(primaryScript: unknown): Patchbay {
  return createPatchbay({
    config: {
      providers: {
        'sms-primary': { kind: 'sms', vendor: 'mock', settings: { script: primaryScript } },
        'sms-backup': { kind: 'sms', vendor: 'mock', settings: { script: [{ messageId: 'backup-1' }] } },
        voice: { kind: 'tts', vendor: 'mock', settings: {} },
      },
      routes: { sms: { providers: ['sms-primary', 'sms-backup'], retry: { maxRetries: 0 } } },
    },
    factories: mockFactories,
    env: {},
  });
}

describe('notifyCustomer, tested with mocks', () => {
  let patchbay: Patchbay | undefined;
  afterEach(() => patchbay?.close());

  it('texts the customer and speaks a confirmation', async () => {
    patchbay = build([{ messageId: 'primary-1' }]);
    const result = await notifyCustomer(patchbay, {
      phone: '+14155550100',
      text: 'Your order shipped',
      correlationId: 'order-7',
    });

    expect(result).toMatchObject({ messageId: 'primary-1', sentBy: 'sms-primary' });
    expect(new TextDecoder().decode(result.confirmation)).toBe('We have texted you: Your order shipped');
    const sms = patchbay.provider('sms-primary') as MockMessagingProvider;
    expect(sms.calls).toHaveLength(1);
    expect(sms.calls[0]).toMatchObject({
      request: { to: '+14155550100', body: 'Your order shipped' },
      correlationId: 'order-7',
    });
    expect((patchbay.provider('voice') as MockSpeechSynthesizer).calls[0]?.correlationId).toBe('order-7');
  });

  it('fails over to the backup SMS provider when the primary is unavailable', async () => {
    patchbay = build([{ error: 'unavailable', status: 503 }]);
    const attempts: AttemptEvent[] = [];
    patchbay.on('attempt', (event) => attempts.push(event));

    const result = await notifyCustomer(patchbay, { phone: '+14155550100', text: 'Hi' });

    expect(result).toMatchObject({ messageId: 'backup-1', sentBy: 'sms-backup' });
    expect(
      attempts.filter((attempt) => attempt.kind === 'sms').map((a) => [a.provider, a.outcome, a.errorCode]),
    ).toEqual([
      ['sms-primary', 'error', 'unavailable'],
      ['sms-backup', 'success', undefined],
    ]);
    expect((patchbay.provider('sms-primary') as MockMessagingProvider).calls[0]?.outcome).toBe('error');
    expect((patchbay.provider('sms-backup') as MockMessagingProvider).sent).toEqual([
      { to: '+14155550100', body: 'Hi' },
    ]);
  });

  it('does not speak when no SMS provider could send, and reports every attempt', async () => {
    patchbay = build([{ error: 'unavailable' }]);
    const backup = patchbay.provider('sms-backup') as MockMessagingProvider;
    backup.setScript({ error: 'rate_limited', retryAfterMs: 60_000 });

    const error = await notifyCustomer(patchbay, { phone: '+14155550100', text: 'Hi' }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect((error as AllProvidersFailedError).attempts.map((attempt) => [attempt.provider, attempt.code])).toEqual([
      ['sms-primary', 'unavailable'],
      ['sms-backup', 'rate_limited'],
    ]);
    expect((patchbay.provider('voice') as MockSpeechSynthesizer).callCount).toBe(0);
  });
});
