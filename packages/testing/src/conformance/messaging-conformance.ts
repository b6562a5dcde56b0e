import type { MessagingProvider, OutboundMessage } from '@patchbay/core';
import { type ConformanceOptions, commonCases } from './common-cases.js';
import type { ConformanceCase } from './conformance-case.js';
import { assert } from './lazy-node.js';

export interface MessagingConformanceOptions extends ConformanceOptions<MessagingProvider> {
  /** A message the simulator accepts (default: a short text to a US number). */
  message?: OutboundMessage | undefined;
}

/**
 * The cases every SMS/WhatsApp adapter must pass against its vendor simulator.
 * Sends have side effects, so a timeout after the request left must carry
 * `outcomeUnknown: true` (routing then never sends twice).
 */
export function defineMessagingConformance(options: MessagingConformanceOptions): ConformanceCase[] {
  const message = options.message ?? { to: '+14155550100', body: 'Patchbay conformance test' };
  return commonCases<MessagingProvider, Awaited<ReturnType<MessagingProvider['send']>>>(options, {
    kind: 'messaging',
    call: (provider, callOptions) => provider.send(message, callOptions),
    checkSuccess: (result, provider, expected) => {
      assert.equal(result.provider, expected.id, 'result.provider');
      assert.equal(result.vendor, expected.vendor, 'result.vendor');
      assert.ok(typeof result.messageId === 'string' && result.messageId.length > 0, 'result.messageId');
      assert.equal(result.channel, provider.kind, 'result.channel must be the provider kind');
      assert.ok(/^\+[1-9]\d{6,14}$/.test(result.to), `result.to must be E.164, got ${result.to}`);
      assert.ok(Number.isInteger(result.segments) && result.segments >= 1, `result.segments: ${result.segments}`);
      assert.ok(typeof result.status === 'string', 'result.status');
    },
    malformedMustFail: true,
    sideEffects: true,
  });
}
