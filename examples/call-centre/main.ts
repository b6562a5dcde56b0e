// A call-centre backend in one screen: configuration in, routed calls out, a failover you can see,
// then the live status view and a usage/cost summary. Everything runs locally on mock providers.
import { createPatchbay } from '@patchbay/core';
import { mockFactories } from '@patchbay/testing';

const patchbay = createPatchbay({
  factories: mockFactories,
  env: false,
  config: {
    providers: {
      'llm-primary': {
        kind: 'llm',
        vendor: 'mock',
        settings: { script: { error: 'unavailable', message: 'vendor overloaded' } },
      },
      'llm-backup': {
        kind: 'llm',
        vendor: 'mock',
        settings: { script: { text: 'Your balance is 42.00. Anything else?' } },
      },
      'tts-main': { kind: 'tts', vendor: 'mock' },
      'sms-main': { kind: 'sms', vendor: 'mock' },
      'sms-unset': { kind: 'sms', vendor: 'mock', settings: { requireApiKey: true } },
    },
    routes: {
      llm: { providers: ['llm-primary', 'llm-backup'], retry: { maxRetries: 1, initialDelayMs: 10 } },
      sms: { providers: ['sms-main'] },
    },
    pricing: [
      { provider: 'llm-backup', unit: 'input_tokens', price: 3, per: 1_000_000 },
      { provider: 'llm-backup', unit: 'output_tokens', price: 15, per: 1_000_000 },
      { provider: 'tts-main', unit: 'characters', price: 30, per: 1_000_000 },
    ],
  },
});

patchbay.on('failover', (event) => console.log(`  ↪ failover ${event.from} → ${event.to} (${event.errorCode})`));

const caller = patchbay.tenant('acme-bank');
console.log('Caller asks for their balance…');
const reply = await caller.llm.generate({ messages: [{ role: 'user', content: 'What is my balance?' }] });
console.log(`  LLM: "${reply.text}" (served by ${reply.provider})`);
const speech = await caller.tts.synthesize({ text: reply.text });
console.log(`  TTS: ${speech.audio.byteLength} bytes of ${speech.format.encoding} from ${speech.provider}`);
const sms = await caller.sms.send({ to: '+250788123456', body: `Summary: ${reply.text}` });
console.log(`  SMS: ${sms.messageId} ${sms.status} via ${sms.provider}`);

console.log('\nStatus');
const status = await patchbay.status();
console.table(
  Object.fromEntries(
    Object.entries(status.integrations).map(([id, line]) => [
      id,
      { status: line.status, healthy: line.healthy, vendor: line.vendor },
    ]),
  ),
);
console.log(`overall: ${status.overall_status}`);

console.log('\nUsage and cost');
console.table(
  patchbay.usage
    .rows()
    .map((row) => ({
      tenant: row.tenant,
      provider: row.provider,
      unit: row.unit,
      quantity: row.quantity,
      cost: row.cost,
      failures: row.failures,
    })),
);
patchbay.close();
