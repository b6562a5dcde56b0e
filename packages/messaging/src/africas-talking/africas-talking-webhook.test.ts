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

  it('maps delivery reports Rejected → failed and AbsentSubscriber, Expired → undelivered, with failureReason', async () => {
    sim = await createAfricasTalkingSimulator({ username: 'patchbay', apiKey: 'at-key' }).start();
    const events: MessagingWebhookEvent[] = [];
    const base = await serve(
      createAfricasTalkingWebhookHandler({ pathToken, onEvent: (event) => void events.push(event) }),
    );
    sim.deliveryReportUrl = `${base}?token=${pathToken}`;
    const sms = createAfricasTalkingSmsProvider({
      baseURL: sim.url,
      username: 'patchbay',
      apiKey: 'at-key',
      env: false,
    });
    const sent = await sms.send({ to: '+254711082123', body: 'Habari' });
    const reports = [
      ['Rejected', 'InvalidSenderId'],
      ['AbsentSubscriber', 'AbsentSubscriber'],
      ['Expired', 'DeliveryFailure'],
    ] as const;
    for (const [status, failureReason] of reports) {
      expect((await sim.deliverStatus(sent.messageId, status, { failureReason })).status).toBe(200);
    }
    expect(
      events.map((event) => (event.type === 'delivery-status' ? [event.status, event.errorCode] : event.type)),
    ).toEqual([
      ['failed', 'InvalidSenderId'],
      ['undelivered', 'AbsentSubscriber'],
      ['undelivered', 'DeliveryFailure'],
    ]);
  });

  it('refuses a missing or wrong token, or a failed authorize check, before reading the body', async () => {
    const events: MessagingWebhookEvent[] = [];
    const handler = createAfricasTalkingWebhookHandler({
      pathToken,
      authorize: (request) => request.headers.get('x-forwarded-for') !== '203.0.113.9',
      onEvent: (event) => void events.push(event),
    });
    /** A delivery report whose body records whether anything pulled it. */
    function report(url: string, headers: Record<string, string> = {}) {
      const body = { read: false };
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            body.read = true;
            controller.enqueue(new TextEncoder().encode('id=ATXid_1&status=Success&phoneNumber=%2B254711082123'));
            controller.close();
          },
        },
        // highWaterMark 0: nothing is pulled ahead of a read.
        { highWaterMark: 0 },
      );
      const request = new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      return { body, request };
    }
    const endpoint = 'https://hooks.example.com/africas-talking';
    for (const [url, headers] of [
      [endpoint, {}],
      [`${endpoint}?token=${pathToken}x`, {}],
      [`${endpoint}?token=${pathToken.slice(0, -1)}`, {}],
      [`${endpoint}?other=${pathToken}`, {}],
      [`${endpoint}?token=${pathToken}`, { 'x-forwarded-for': '203.0.113.9' }],
    ] as const) {
      const { body, request } = report(url, headers);
      const response = await handler(request);
      expect([url, response.status, body.read]).toEqual([url, 403, false]);
    }
    // Control: the right token reads the body (so the probe does see reads) and delivers the report.
    const { body, request } = report(`${endpoint}?token=${pathToken}`);
    expect((await handler(request)).status).toBe(200);
    expect(body.read).toBe(true);
    expect(events).toEqual([
      expect.objectContaining({ type: 'delivery-status', messageId: 'ATXid_1', status: 'delivered' }),
    ]);
  });
});
