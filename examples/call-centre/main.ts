// A call-centre backend in one screen: configuration in, routed calls out, a failover you can see,
// then the live status view and a usage/cost summary. Every vendor is a local simulator on 127.0.0.1
// speaking the real wire format, driven through the real vendor SDKs — no account, no network.
import { randomBytes } from 'node:crypto';
import { createPatchbay, EncryptedCredentialStore, InMemorySealedStorage } from '@patchbay/core';
import { anthropicLanguageModelFactory } from '@patchbay/llm/anthropic';
import { openaiLanguageModelFactory } from '@patchbay/llm/openai';
import { closeMessagingAgent, createDualChannelMessenger, InMemoryRecipientPreferences } from '@patchbay/messaging';
import { metaWhatsAppProviderFactory } from '@patchbay/messaging/meta';
import { twilioSmsProviderFactory } from '@patchbay/messaging/twilio';
import { vonageSmsProviderFactory } from '@patchbay/messaging/vonage';
import { deepgramTranscriberFactory } from '@patchbay/stt/deepgram';
import { createAnthropicSimulator } from '@patchbay/testing/simulators/anthropic';
import { createDeepgramSimulator } from '@patchbay/testing/simulators/deepgram';
import {
  createElevenLabsSimulator,
  createElevenLabsStreamInputSimulator,
} from '@patchbay/testing/simulators/elevenlabs';
import { createMetaSimulator } from '@patchbay/testing/simulators/meta';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { createTwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { elevenlabsSpeechSynthesizerFactory } from '@patchbay/tts/elevenlabs';
import { monitorStep } from './monitor-step.ts';
import { policyStep } from './policy-step.ts';
import { openDemoStorage } from './storage-step.ts';
import { speakReplyOnPhoneLine } from './voice-step.ts';

// 1. Stand-ins for the vendors.
const vendors = {
  openai: createOpenAISimulator(),
  anthropic: createAnthropicSimulator({ response: { text: 'Your balance is 42 dollars. Anything else?' } }),
  elevenlabs: createElevenLabsSimulator(),
  elevenlabsStream: createElevenLabsStreamInputSimulator(),
  deepgram: createDeepgramSimulator({ transcript: 'what is my balance' }),
  twilio: createTwilioSimulator(),
  meta: createMetaSimulator(),
};
await Promise.all(Object.values(vendors).map((vendor) => vendor.start()));

// 2. Credentials are entered once per tenant and kept encrypted; every route then uses them.
const credentialStore = new EncryptedCredentialStore(new InMemorySealedStorage(), {
  primary: 'k1',
  keys: { k1: randomBytes(32) },
});
const tenant = 'acme-bank';
await credentialStore.set(tenant, 'openai-main', { apiKey: 'test-key' });
await credentialStore.set(tenant, 'claude-backup', { apiKey: 'test-key' });
await credentialStore.set(tenant, 'elevenlabs', { apiKey: 'test-key' });
await credentialStore.set(tenant, 'deepgram', { apiKey: 'test-key' });
await credentialStore.set(tenant, 'twilio-sms', {
  accountSid: vendors.twilio.accountSid,
  authToken: vendors.twilio.authToken,
});
await credentialStore.set(tenant, 'meta-whatsapp', {
  accessToken: vendors.meta.accessToken,
  phoneNumberId: vendors.meta.phoneNumberId,
});

// 3. The configuration: which vendor does what, in which order, at what price.
const patchbay = createPatchbay({
  factories: [
    openaiLanguageModelFactory,
    anthropicLanguageModelFactory,
    elevenlabsSpeechSynthesizerFactory,
    deepgramTranscriberFactory,
    twilioSmsProviderFactory,
    metaWhatsAppProviderFactory,
    vonageSmsProviderFactory,
  ],
  credentialStore,
  env: false,
  config: {
    providers: {
      'openai-main': {
        kind: 'llm',
        vendor: 'openai',
        settings: { baseURL: `${vendors.openai.url}/v1`, model: 'gpt-4o-mini' },
      },
      'claude-backup': {
        kind: 'llm',
        vendor: 'anthropic',
        settings: { baseURL: vendors.anthropic.url, model: 'claude-haiku-5-5' },
      },
      elevenlabs: {
        kind: 'tts',
        vendor: 'elevenlabs',
        settings: { baseURL: vendors.elevenlabs.url, streamingURL: vendors.elevenlabsStream.url },
      },
      deepgram: { kind: 'stt', vendor: 'deepgram', settings: { baseURL: vendors.deepgram.url } },
      'twilio-sms': { kind: 'sms', vendor: 'twilio', settings: { baseURL: vendors.twilio.url, from: '+15005550006' } },
      'meta-whatsapp': { kind: 'whatsapp', vendor: 'meta', settings: { baseURL: vendors.meta.url } },
      'vonage-sms': { kind: 'sms', vendor: 'vonage', settings: { from: 'AcmeBank' } },
    },
    routes: {
      llm: {
        providers: ['openai-main', 'claude-backup'],
        attemptTimeoutMs: 5_000,
        retry: { maxRetries: 1, initialDelayMs: 20 },
      },
      sms: { providers: ['twilio-sms'] },
    },
    pricing: [
      { vendor: 'openai', unit: 'input_tokens', price: 0.15, per: 1_000_000 },
      { vendor: 'anthropic', unit: 'input_tokens', price: 0.8, per: 1_000_000 },
      { vendor: 'anthropic', unit: 'output_tokens', price: 4, per: 1_000_000 },
      { vendor: 'elevenlabs', unit: 'characters', price: 0.3, per: 1_000 },
      { vendor: 'deepgram', unit: 'audio_seconds', price: 0.0043, per: 60 },
      { vendor: 'twilio', unit: 'segments', price: 0.0079 },
      { vendor: 'meta', unit: 'messages', price: 0.005 },
    ],
  },
});
const storage = await openDemoStorage(patchbay);
patchbay.on('failover', (event) =>
  console.log(`  ↪ failover ${event.from} → ${event.to ?? 'nobody'} (${event.errorCode})`),
);

// 4. One customer call. OpenAI is having a bad minute.
vendors.openai.inject({ type: 'status', status: 503 }, { times: 2 });
const acme = patchbay.tenant(tenant);
console.log('☎  A customer calls Acme Bank');
const heard = await acme.stt.transcribe({ audio: new Uint8Array(32_000), mimeType: 'audio/l16;rate=16000' });
console.log(`  STT: "${heard.text}" (${heard.durationSeconds} s, ${heard.provider})`);
const reply = await speakReplyOnPhoneLine(acme, heard.text);

// 5. The call summary goes out on WhatsApp where the customer has it, SMS otherwise.
const messenger = createDualChannelMessenger({
  whatsapp: acme.whatsapp,
  sms: acme.sms,
  deliveryLog: storage.deliveryLog,
  preferences: new InMemoryRecipientPreferences({
    '+250788123456': { hasWhatsApp: true, whatsappSessionOpenUntil: new Date(Date.now() + 3_600_000) },
    '+254712345678': { hasWhatsApp: false },
  }),
});
for (const to of ['+250788123456', '+254712345678']) {
  const sent = await messenger.send({ to, body: `Acme Bank: ${reply.text}` }, { tenant });
  console.log(`  ✉  ${to}: ${sent.status === 'sent' ? `${sent.channel} via ${sent.result.provider}` : sent.reason}`);
}

// 6. What operations sees: the live status view and what it cost.
const status = await acme.status();
console.log(`\nStatus — overall: ${status.overall_status}`);
console.table(
  Object.fromEntries(
    Object.entries(status.integrations).map(([id, line]) => [
      id,
      { kind: line.kind, vendor: line.vendor, status: line.status, 'latency ms': line.latency_ms },
    ]),
  ),
);
console.log('Usage and cost for acme-bank');
console.table(
  patchbay.usage.rows({ tenant }).map((row) => ({
    provider: row.provider,
    unit: row.unit,
    quantity: Number(row.quantity.toFixed(2)),
    cost: row.cost === null ? 'no price' : `$${row.cost.toFixed(6)}`,
    failed: row.failures,
  })),
);
await storage.report();

await policyStep(vendors);
await monitorStep({ patchbay, tenant, failing: vendors.anthropic });

await patchbay.close();
await closeMessagingAgent();
await Promise.all(Object.values(vendors).map((vendor) => vendor.close()));
