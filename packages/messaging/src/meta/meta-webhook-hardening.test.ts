import { createHmac } from 'node:crypto';
import { Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import {
  computeMetaSignature,
  createMetaWebhookHandler,
  parseMetaWebhook,
  verifyMetaSignature,
} from './meta-webhook.js';

const appSecret = 'meta-hardening-secret';

function statusPayload(status: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.1', status }] } }] }],
  };
}

function post(body: string, signature: string): Request {
  return new Request('https://hooks.example.com/meta', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  });
}

describe('Meta webhook hardening', () => {
  it('never emits a prototype member as a status', async () => {
    for (const status of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(parseMetaWebhook(statusPayload(status))).toEqual([]);
    }
    const events: MessagingWebhookEvent[] = [];
    const handler = createMetaWebhookHandler({
      appSecret,
      verifyToken: 'v',
      onEvent: (event) => void events.push(event),
    });
    const body = JSON.stringify(statusPayload('constructor'));
    expect((await handler(post(body, computeMetaSignature(appSecret, body)))).status).toBe(200);
    expect(events).toEqual([]);
  });

  it('refuses a body signed with an empty app secret, whatever form the empty secret takes', async () => {
    const body = JSON.stringify(statusPayload('delivered'));
    const signature = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`;
    for (const resolution of ['', Secret.from(''), { appSecret: '' }, { appSecret: Secret.from(''), tenant: 't' }]) {
      const events: MessagingWebhookEvent[] = [];
      const handler = createMetaWebhookHandler({
        appSecret: () => resolution,
        verifyToken: 'v',
        onEvent: (event) => void events.push(event),
      });
      expect((await handler(post(body, signature))).status).toBe(403);
      expect(events).toEqual([]);
    }
    expect(verifyMetaSignature('', body, signature)).toBe(false);
    expect(() => computeMetaSignature('', body)).toThrow('empty');
  });

  it('carries its body limit for toNodeListener (4 MiB by default)', () => {
    const handler = createMetaWebhookHandler({ appSecret, verifyToken: 'v', onEvent: () => undefined });
    expect(handler.maxBodyBytes).toBe(4 * 1024 * 1024);
  });
});
