import { failureOf as failure } from '@patchbay/testing/conformance';

export { failure };

// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeliveryStatusEvent } from './webhooks/webhook-events.js';

/** Aborts once the simulator holds the request, so no aborted request reaches it late and eats the next test's fault. */
export function abortWhenReceived(simulator: { requests: readonly unknown[] }, controller: AbortController): void {
  const poll = () => {
    if (simulator.requests.length > 0) controller.abort();
    else setTimeout(poll, 5);
  };
  poll();
}

/** A server on 127.0.0.1 standing in for the app's callback endpoint. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

export async function startLoopbackServer(listener: RequestListener): Promise<LoopbackServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A callback endpoint that answers 200 and keeps each form-encoded body it receives (delivery reports). */
export async function startFormReceiver(): Promise<LoopbackServer & { received: URLSearchParams[] }> {
  const received: URLSearchParams[] = [];
  const server = await startLoopbackServer(async (request, response) => {
    received.push(new URLSearchParams((await readBody(request)).toString('utf8')));
    response.writeHead(200).end();
  });
  return { ...server, received };
}

/** Seeded PRNG (mulberry32) so a failing fuzz case can be reproduced. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Meta's webhook saying a WhatsApp message failed (131047: the 24-hour window closed), at `timestamp`. */
export function whatsappFailure(
  messageId: string,
  timestamp: Date,
  overrides: Partial<DeliveryStatusEvent> = {},
): DeliveryStatusEvent {
  return {
    type: 'delivery-status',
    channel: 'whatsapp',
    vendor: 'meta',
    messageId,
    status: 'failed',
    errorCode: '131047',
    timestamp,
    ...overrides,
  };
}
