// Operations: a status monitor polls every provider, notices an outage (a `status_changed` event),
// and the status endpoint answers over HTTP on 127.0.0.1 in the integration-status shape.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStatusMonitor, type Patchbay } from '@patchbay/core';
import { createStatusHandler, toNodeListener } from '@patchbay/core/http';
import type { VendorSimulator } from '@patchbay/testing/simulators/framework';

export async function monitorStep(options: { patchbay: Patchbay; tenant: string; failing: VendorSimulator }) {
  const { patchbay, tenant, failing } = options;
  console.log('\n📟 The status monitor watches every provider');
  const monitor = createStatusMonitor(patchbay, {
    intervalMs: 30_000,
    tenants: [tenant],
    checks: { database: async () => ({ status: 'connected', message: 'Database connected' }) },
  });
  monitor.on('status_changed', (event) => {
    const what = event.target === 'overall' ? 'overall' : event.integration;
    console.log(`  ⚠ status_changed (${event.tenant ?? 'platform'}) ${what}: ${event.previous} → ${event.current}`);
  });
  await monitor.report({ tenant });
  // The backup LLM vendor starts failing; the next check (forced here, on the interval otherwise) notices.
  failing.inject({ type: 'status', status: 503 }, { times: 10 });
  await monitor.refresh({ tenant });

  const handler = createStatusHandler({ patchbay, monitor, tenant: () => tenant });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  const body = (await (await fetch(url)).json()) as {
    overall_status: string;
    integrations: Record<string, { status: string }>;
  };
  const lines = Object.entries(body.integrations).map(([id, line]) => `${id}=${line.status}`);
  console.log(`  GET ${url} → overall_status ${body.overall_status}; ${lines.join(', ')}`);
  await new Promise((resolve) => server.close(resolve));
  failing.clearFaults();
  monitor.stop();
}
