import type { MessagingProvider } from '@patchbay/core';
import {
  type ConformanceSettings,
  defineMessagingConformance,
  type MessagingConformanceOptions,
  runConformance,
} from '@patchbay/testing';
import { createAfricasTalkingSimulator } from '@patchbay/testing/simulators/africas-talking';
import type { VendorSimulator } from '@patchbay/testing/simulators/framework';
import { createMetaSimulator, type MetaSimulator } from '@patchbay/testing/simulators/meta';
import { createTwilioSimulator, type TwilioSimulator } from '@patchbay/testing/simulators/twilio';
import { createVonageSimulator, type VonageSimulator } from '@patchbay/testing/simulators/vonage';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createAfricasTalkingSmsProvider } from './africas-talking/index.js';
import { createMetaWhatsAppProvider } from './meta/index.js';
import { createTwilioSmsProvider, createTwilioWhatsAppProvider } from './twilio/index.js';
import { createVonageSmsProvider } from './vonage/index.js';

// Each adapter's secret plays the suite's "API key": Twilio's auth token, Meta's access
// token, Vonage's API secret, Africa's Talking's API key.
const message = { to: '+447911123456', body: 'Patchbay conformance test' };

interface AdapterUnderTest<S extends VendorSimulator>
  extends Pick<MessagingConformanceOptions, 'message' | 'validApiKey' | 'invalidApiKey' | 'rotate'> {
  name: string;
  /** The adapter's simulator, not yet started. */
  simulator: () => S;
  create: (simulator: S, settings: ConformanceSettings) => MessagingProvider;
}

/** Runs the messaging conformance suite against one adapter and its own simulator. */
function conformance<S extends VendorSimulator>(adapter: AdapterUnderTest<S>): void {
  describe(`${adapter.name} conformance`, () => {
    let sim: S;
    beforeAll(async () => {
      sim = await adapter.simulator().start();
    });
    afterAll(() => sim.close());
    runConformance(
      defineMessagingConformance({
        simulator: () => sim,
        message: adapter.message ?? message,
        validApiKey: adapter.validApiKey,
        invalidApiKey: adapter.invalidApiKey,
        rotate: adapter.rotate,
        create: (settings) => adapter.create(sim, settings),
      }),
      { it },
    );
  });
}

conformance<TwilioSimulator>({
  name: 'Twilio SMS',
  simulator: () => createTwilioSimulator({ authToken: 'conformance-twilio-token' }),
  validApiKey: 'conformance-twilio-token',
  invalidApiKey: 'conformance-wrong-token',
  rotate: (authToken) => ({ authToken }),
  create: (sim, { baseURL, apiKey, env, id }) =>
    createTwilioSmsProvider({ id, baseURL, accountSid: sim.accountSid, authToken: apiKey, from: '+15005550006', env }),
});

conformance<TwilioSimulator>({
  name: 'Twilio WhatsApp',
  simulator: () => createTwilioSimulator({ authToken: 'conformance-twilio-token' }),
  validApiKey: 'conformance-twilio-token',
  invalidApiKey: 'conformance-wrong-token',
  rotate: (authToken) => ({ authToken }),
  create: (sim, { baseURL, apiKey, env, id }) =>
    createTwilioWhatsAppProvider({
      id,
      baseURL,
      accountSid: sim.accountSid,
      authToken: apiKey,
      from: '+14155238886',
      env,
    }),
});

conformance<MetaSimulator>({
  name: 'Meta WhatsApp',
  simulator: () => createMetaSimulator({ accessToken: 'conformance-meta-token' }),
  validApiKey: 'conformance-meta-token',
  invalidApiKey: 'conformance-wrong-token',
  rotate: (accessToken) => ({ accessToken }),
  create: (sim, { baseURL, apiKey, env, id }) =>
    createMetaWhatsAppProvider({ id, baseURL, accessToken: apiKey, phoneNumberId: sim.phoneNumberId, env }),
});

conformance<VonageSimulator>({
  name: 'Vonage SMS',
  simulator: () => createVonageSimulator({ apiSecret: 'conformance-vonage-secret' }),
  // No invalidApiKey: Vonage answers a wrong secret with HTTP 200 and status 4 (mapped to
  // auth in the adapter's own tests); the suite's 401 case then runs on an injected 401.
  validApiKey: 'conformance-vonage-secret',
  rotate: (apiSecret) => ({ apiSecret }),
  create: (sim, { baseURL, apiKey, env, id }) =>
    createVonageSmsProvider({ id, baseURL, apiKey: sim.apiKey, apiSecret: apiKey, from: 'Patchbay', env }),
});

conformance({
  name: "Africa's Talking SMS",
  simulator: () => createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'conformance-at-key' }),
  message: { to: '+254711082123', body: 'Patchbay conformance test' },
  validApiKey: 'conformance-at-key',
  invalidApiKey: 'conformance-wrong-key',
  create: (_sim, { baseURL, apiKey, env, id }) =>
    createAfricasTalkingSmsProvider({ id, baseURL, username: 'patchbay', apiKey, env }),
});
