import { defineMessagingConformance, runConformance } from '@patchbay/testing';
import {
  type AfricasTalkingSimulator,
  createAfricasTalkingSimulator,
} from '@patchbay/testing/simulators/africas-talking';
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

describe('Twilio SMS conformance', () => {
  let sim: TwilioSimulator;
  beforeAll(async () => {
    sim = await createTwilioSimulator({ authToken: 'conformance-twilio-token' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message,
      validApiKey: 'conformance-twilio-token',
      invalidApiKey: 'conformance-wrong-token',
      rotate: (authToken) => ({ authToken }),
      create: ({ baseURL, apiKey, env, id }) =>
        createTwilioSmsProvider({
          id,
          baseURL,
          accountSid: sim.accountSid,
          authToken: apiKey,
          from: '+15005550006',
          env,
        }),
    }),
    { it },
  );
});

describe('Twilio WhatsApp conformance', () => {
  let sim: TwilioSimulator;
  beforeAll(async () => {
    sim = await createTwilioSimulator({ authToken: 'conformance-twilio-token' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message,
      validApiKey: 'conformance-twilio-token',
      invalidApiKey: 'conformance-wrong-token',
      rotate: (authToken) => ({ authToken }),
      create: ({ baseURL, apiKey, env, id }) =>
        createTwilioWhatsAppProvider({
          id,
          baseURL,
          accountSid: sim.accountSid,
          authToken: apiKey,
          from: '+14155238886',
          env,
        }),
    }),
    { it },
  );
});

describe('Meta WhatsApp conformance', () => {
  let sim: MetaSimulator;
  beforeAll(async () => {
    sim = await createMetaSimulator({ accessToken: 'conformance-meta-token' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message,
      validApiKey: 'conformance-meta-token',
      invalidApiKey: 'conformance-wrong-token',
      rotate: (accessToken) => ({ accessToken }),
      create: ({ baseURL, apiKey, env, id }) =>
        createMetaWhatsAppProvider({ id, baseURL, accessToken: apiKey, phoneNumberId: sim.phoneNumberId, env }),
    }),
    { it },
  );
});

describe('Vonage SMS conformance', () => {
  let sim: VonageSimulator;
  beforeAll(async () => {
    sim = await createVonageSimulator({ apiSecret: 'conformance-vonage-secret' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message,
      // No invalidApiKey: Vonage answers a wrong secret with HTTP 200 and status 4 (mapped to
      // auth in the adapter's own tests); the suite's 401 case then runs on an injected 401.
      validApiKey: 'conformance-vonage-secret',
      rotate: (apiSecret) => ({ apiSecret }),
      create: ({ baseURL, apiKey, env, id }) =>
        createVonageSmsProvider({ id, baseURL, apiKey: sim.apiKey, apiSecret: apiKey, from: 'Patchbay', env }),
    }),
    { it },
  );
});

describe("Africa's Talking SMS conformance", () => {
  let sim: AfricasTalkingSimulator;
  beforeAll(async () => {
    sim = await createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'conformance-at-key' }).start();
  });
  afterAll(() => sim.close());
  runConformance(
    defineMessagingConformance({
      simulator: () => sim,
      message: { to: '+254711082123', body: 'Patchbay conformance test' },
      validApiKey: 'conformance-at-key',
      invalidApiKey: 'conformance-wrong-key',
      create: ({ baseURL, apiKey, env, id }) =>
        createAfricasTalkingSmsProvider({ id, baseURL, username: 'patchbay', apiKey, env }),
    }),
    { it },
  );
});
