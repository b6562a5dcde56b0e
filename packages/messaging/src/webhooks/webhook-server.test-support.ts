// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { toNodeListener } from './node-http.js';
import type { WebhookHandler } from './webhook-http.js';

/**
 * Serves a webhook handler on 127.0.0.1 for a vendor's end-to-end tests. After each test the
 * vendor simulator (`simulator()`, if any) and then the server are closed.
 */
export function useWebhookServer(
  path: string,
  simulator: () => { close(): Promise<void> } | undefined,
): (handler: WebhookHandler) => Promise<string> {
  let server: Server | undefined;
  afterEach(async () => {
    await simulator()?.close();
    const current = server;
    server = undefined;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  });
  return async (handler) => {
    const listener = toNodeListener(handler);
    server = createServer((request, response) => void listener(request, response));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  };
}
