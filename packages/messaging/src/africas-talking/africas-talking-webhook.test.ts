import {
  type AfricasTalkingSimulator,
  createAfricasTalkingSimulator,
} from '@patchbay/testing/simulators/africas-talking';
import { describe, expect, it } from 'vitest';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { useWebhookServer } from '../webhooks/webhook-server.test-support.js';
import { createAfricasTalkingSmsProvider } from './africas-talking-sms-provider.js';
import { createAfricasTalkingWebhookHandler } from './africas-talking-webhook.js';

const pathToken = 'at-callback-token-5f0c1e9b7a';

let sim: AfricasTalkingSimulator | undefined;
const serve = useWebhookServer('/webhooks/africas-talking', () => sim);

describe("Africa's Talking callbacks", () => {
  it('end to end: delivery reports and an incoming message through the token-protected callback URL', async () => {
    sim = await createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'at-key' }).start();
    const events: MessagingWebhookEvent[] = [];
    const base = await serve(
      createAfricasTalkingWebhookHandler({ pathToken, tenant: 'acme', onEvent: (event) => void events.push(event) }),
    );
    const url = `${base}?token=${pathToken}`;
    sim.deliveryReportUrl = url;
    const sms = createAfricasTalkingSmsProvider({
      baseURL: sim.url,
      username: 'patchbay',
      apiKey: 'at-key',
      env: false,
    });
    const sent = await sms.send({ to: '+254711082123', body: 'Habari' });
    expect(sent.cost).toEqual({ amount: 0.8, currency: 'KES' });
    expect((await sim.deliverStatus(sent.messageId, 'Success')).status).toBe(200);
    expect((await sim.deliverStatus(sent.messageId, 'Failed', { failureReason: 'UserInBlacklist' })).status).toBe(200);
    expect((await sim.sendInbound({ from: '+254711082123', to: '20880', text: 'Asante', url })).status).toBe(200);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'delivery-status',
        vendor: 'africas-talking',
        messageId: sent.messageId,
        status: 'delivered',
        to: '+254711082123',
        tenant: 'acme',
      }),
      expect.objectContaining({ type: 'delivery-status', status: 'failed', errorCode: 'UserInBlacklist' }),
      expect.objectContaining({ type: 'inbound-message', from: '+254711082123', to: '20880', text: 'Asante' }),
    ]);
  });

  it('refuses callbacks without the token, with a wrong one, or failing the allowlist check', async () => {
    sim = await createAfricasTalkingSimulator().start();
    const events: MessagingWebhookEvent[] = [];
    const base = await serve(
      createAfricasTalkingWebhookHandler({
        pathToken,
        authorize: (request) => request.headers.get('x-forwarded-for') !== '203.0.113.9',
        onEvent: (event) => void events.push(event),
      }),
    );
    expect((await sim.sendInbound({ from: '+254711082123', to: '20880', text: 'x', url: base })).status).toBe(403);
    expect(
      (await sim.sendInbound({ from: '+254711082123', to: '20880', text: 'x', url: `${base}?token=${pathToken}x` }))
        .status,
    ).toBe(403);
    const blocked = await fetch(`${base}?token=${pathToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.9' },
      body: 'id=1&from=%2B254711082123&to=20880&text=x',
    });
    expect(blocked.status).toBe(403);
    const empty = createAfricasTalkingWebhookHandler({ pathToken: '', onEvent: (event) => void events.push(event) });
    expect(
      (await empty(new Request('https://h.example.com/at?token=', { method: 'POST', body: 'id=1&from=1' }))).status,
    ).toBe(403);
    expect(events).toEqual([]);
  });
});
