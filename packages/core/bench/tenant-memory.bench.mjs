// Retained heap after 200k distinct tenants call through each way of naming a tenant:
// `patchbay.tenant(id).llm.generate()` and `patchbay.llm.generate(request, { tenant })`.
// Method: one fresh Patchbay per path; every tenant has its own key in the credential store (so the
// credential cache is exercised); force GC before and after (node --expose-gc) and report the
// difference in heapUsed while the Patchbay is still referenced. Target: ≤ 50 MB per path.
// Run after a build: `pnpm bench core` (or `node packages/core/bench/tenant-memory.bench.mjs`).
import { spawnSync } from 'node:child_process';

if (typeof globalThis.gc !== 'function') {
  // Re-run with the collector exposed: a retained-heap figure without forced GC is noise.
  const result = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1]], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const { createPatchbay, InMemoryUsageAggregator } = await import('../dist/index.js');
const { mockFactories } = await import('../../testing/dist/index.js');

const tenants = Number(process.env.BENCH_TENANTS ?? 200_000);
const request = { messages: [{ role: 'user', content: 'hi' }] };
const store = { get: (tenant, provider) => (provider === 'main' ? { apiKey: `key-${tenant}` } : undefined) };

function heapUsed() {
  for (let round = 0; round < 4; round++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

async function measure(name, call) {
  const patchbay = createPatchbay({
    factories: mockFactories,
    env: false,
    credentialStore: store,
    config: {
      providers: { main: { kind: 'llm', vendor: 'mock', settings: { requireApiKey: true } } },
      tenants: { vip: { providers: { main: { settings: { model: 'vip-model' } } } } },
    },
  });
  await call(patchbay, 'warm-up');
  // The mock records every call for assertions; that list is the mock's, not the router's: cleared as we go.
  const main = patchbay.provider('main');
  const before = heapUsed();
  const started = performance.now();
  for (let index = 0; index < tenants; index++) {
    await call(patchbay, `tenant-${index}`);
    if (index % 1_000 === 0) main.calls.length = 0;
  }
  main.calls.length = 0;
  const elapsed = performance.now() - started;
  const retained = heapUsed() - before;
  const sizes = patchbay[Symbol.for('patchbay.sizes')]();
  await patchbay.close();
  return {
    path: name,
    tenants,
    'retained MB': (retained / 1024 / 1024).toFixed(1),
    'µs per call': ((elapsed * 1000) / tenants).toFixed(1),
    views: sizes.views,
    handles: sizes.routeHandles,
    'credential cache': sizes.credentialCacheTenants,
  };
}

/**
 * The built-in usage aggregator keeps rows per tenant by design (bounded by its `maxKeys`, see metering);
 * its own retained heap for the same records is measured alone so the router's share can be told apart.
 */
function measureAggregatorAlone() {
  const aggregator = new InMemoryUsageAggregator();
  const before = heapUsed();
  for (let index = 0; index < tenants; index++) {
    for (const unit of ['input_tokens', 'output_tokens']) {
      aggregator.record({
        tenant: `tenant-${index}`,
        kind: 'llm',
        provider: 'main',
        vendor: 'mock',
        model: 'mock-model',
        unit,
        quantity: 1,
        cost: null,
        currency: null,
        latencyMs: 1,
        outcome: 'success',
        errorCode: undefined,
        correlationId: undefined,
        route: 'llm',
        attempt: 1,
        timestamp: '2026-01-01T00:00:00.000Z',
      });
    }
  }
  const retained = heapUsed() - before;
  void aggregator.size;
  return retained / 1024 / 1024;
}

const rows = [
  await measure('tenant(id).llm.generate()', (patchbay, tenant) => patchbay.tenant(tenant).llm.generate(request)),
  await measure('llm.generate(request, { tenant })', (patchbay, tenant) => patchbay.llm.generate(request, { tenant })),
];
const aggregatorMB = measureAggregatorAlone();
for (const row of rows) row['without aggregator MB'] = (Number(row['retained MB']) - aggregatorMB).toFixed(1);
console.table(rows);
console.log(`usage aggregator alone, same records: ${aggregatorMB.toFixed(1)} MB`);
const worst = Math.max(...rows.map((row) => Number(row['retained MB'])));
const worstRouter = Math.max(...rows.map((row) => Number(row['without aggregator MB'])));
console.log(
  `tenant memory: worst path retains ${worst.toFixed(1)} MB in total, ${worstRouter.toFixed(1)} MB without the usage aggregator, for ${tenants} tenants (target ≤ 50 MB)`,
);
