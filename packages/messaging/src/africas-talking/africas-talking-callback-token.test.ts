import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerTokenMatches } from '../mtn/mtn-webhook.js';
import type { MessagingWebhookEvent } from '../webhooks/webhook-events.js';
import { secretMatches } from '../webhooks/webhook-http.js';
import { createAfricasTalkingWebhookHandler } from './africas-talking-webhook.js';

// Watch the comparison itself (no timing measurement): every token, whatever its length, must reach
// `timingSafeEqual` as a fixed-length digest, never be refused early on a length mismatch.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

const pathToken = 'at-callback-token-5f0c1e9b7a';
const inboundForm = 'from=%2B254711082123&to=20880&text=Habari&id=ATXid_1&date=2026-01-10+12%3A00%3A00';

function handler(events: MessagingWebhookEvent[]) {
  return createAfricasTalkingWebhookHandler({ pathToken, onEvent: (event) => void events.push(event) });
}

function callback(token: string): Request {
  return new Request(`https://hooks.example.com/africas-talking?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: inboundForm,
  });
}

describe("Africa's Talking callback token (README: compared in constant time)", () => {
  beforeEach(() => {
    timingSafeEqual.mockClear();
  });

  it('accepts the equal token and refuses shorter, longer and same-length wrong ones', async () => {
    const events: MessagingWebhookEvent[] = [];
    const handle = handler(events);
    expect((await handle(callback(pathToken))).status).toBe(200);
    for (const wrong of ['x', pathToken.slice(0, -1), `${pathToken}0`, `${pathToken.slice(0, -1)}X`]) {
      expect([wrong, (await handle(callback(wrong))).status]).toEqual([wrong, 403]);
    }
    expect(events).toHaveLength(1);
  });

  it('compares hashes of both sides, so a token of another length takes the same path', async () => {
    const handle = handler([]);
    for (const presented of ['x', `${pathToken}-and-much-longer-than-the-real-one`, pathToken]) {
      timingSafeEqual.mockClear();
      await handle(callback(presented));
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
      const [left, right] = timingSafeEqual.mock.calls[0] as [Uint8Array, Uint8Array];
      expect([left.byteLength, right.byteLength]).toEqual([32, 32]);
    }
  });

  it('is the helper the MTN Bearer check uses', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abc', 'abcd')).toBe(false);
    timingSafeEqual.mockClear();
    expect(bearerTokenMatches('Bearer short', 'a-much-longer-token')).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
