import type { ConformanceCase } from '../conformance-case.js';
import { assert } from '../lazy-node.js';
import { type StoreConformanceOptions, storeCases } from './store-under-test.js';

// The shapes of @patchbay/messaging's DualChannelStateStore, restated so this package does not
// depend on messaging (which depends on it for tests). Any DualChannelStateStore fits.
export interface SentWhatsAppMessageLike {
  messageId: string;
  to: string;
  /** The original message (a plain object); the store keeps it as given. */
  message: unknown;
  tenant?: string | undefined;
  correlationId?: string | undefined;
  provider: string;
  sentAt: Date;
  attempt: number;
}

export interface DualChannelStateLike {
  remember(record: SentWhatsAppMessageLike): void | Promise<void>;
  get(messageId: string): SentWhatsAppMessageLike | undefined | Promise<SentWhatsAppMessageLike | undefined>;
  claimFallback(messageId: string): boolean | Promise<boolean>;
  releaseFallback(messageId: string): void | Promise<void>;
}

export type DualChannelStateConformanceOptions = StoreConformanceOptions<DualChannelStateLike>;

function sent(messageId: string, overrides: Partial<SentWhatsAppMessageLike> = {}): SentWhatsAppMessageLike {
  return {
    messageId,
    to: '+27820000001',
    message: { to: '+27820000001', text: 'Your order has shipped' },
    tenant: 'tenant-a',
    correlationId: 'order-17',
    provider: 'meta-whatsapp',
    sentAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0)),
    attempt: 1,
    ...overrides,
  };
}

/**
 * What every dual-channel state store must do: give back a remembered message as it was sent
 * (so another instance can re-send it by SMS), and let exactly one caller claim its fallback
 * until the claim is released.
 */
export function defineDualChannelStateConformance(options: DualChannelStateConformanceOptions): ConformanceCase[] {
  return storeCases(options, 'dual-channel-state', {
    'round-trip': {
      name: 'returns a remembered message as it was sent, and nothing for an unknown id',
      check: async (state) => {
        await state.remember(sent('wamid.1'));
        const found = await state.get('wamid.1');
        assert.deepEqual(found, sent('wamid.1'));
        assert.ok(found?.sentAt instanceof Date);
        assert.equal(await state.get('wamid.unknown'), undefined);
      },
    },
    'remember-replaces': {
      name: 'remembering the same message id again keeps the latest record',
      check: async (state) => {
        await state.remember(sent('wamid.1'));
        await state.remember(sent('wamid.1', { attempt: 2, provider: 'twilio-whatsapp' }));
        assert.deepEqual(await state.get('wamid.1'), sent('wamid.1', { attempt: 2, provider: 'twilio-whatsapp' }));
      },
    },
    'claim-once': {
      name: 'of 20 concurrent fallback claims for one message exactly one wins; messages are separate',
      check: async (state) => {
        await state.remember(sent('wamid.1'));
        await state.remember(sent('wamid.2'));
        const claims = await Promise.all(Array.from({ length: 20 }, async () => state.claimFallback('wamid.1')));
        assert.equal(claims.filter(Boolean).length, 1);
        assert.equal(await state.claimFallback('wamid.1'), false);
        assert.equal(await state.claimFallback('wamid.2'), true);
      },
    },
    release: {
      name: 'a released claim can be taken again, once',
      check: async (state) => {
        await state.remember(sent('wamid.1'));
        assert.equal(await state.claimFallback('wamid.1'), true);
        await state.releaseFallback('wamid.1');
        assert.equal(await state.claimFallback('wamid.1'), true);
        assert.equal(await state.claimFallback('wamid.1'), false);
      },
    },
  });
}
