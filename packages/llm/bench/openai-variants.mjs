// What the two OpenAI benches share: the variants they compare, built over one base URL (and, optionally, one
// injected `fetch`), and the interleaved rounds they run them in.
import { performance } from 'node:perf_hooks';
import { createPatchbay } from '@patchbay/core';
import OpenAI from 'openai';
import { roundOrder } from '../../../scripts/round-order.mjs';
import { createOpenAILanguageModel, openaiLanguageModelFactory } from '../dist/openai/index.js';

export const messages = [{ role: 'user', content: 'Say ok.' }];

/** An `openai` client as the direct variant uses it (`maxRetries: 0`, as the adapter configures its own). */
export function directClient({ baseURL, fetch }) {
  return new OpenAI({ apiKey: 'test-key', baseURL, maxRetries: 0, organization: null, project: null, fetch });
}

/** The direct variant's request on `client`. */
export const directCall = (client) => () => client.chat.completions.create({ model: 'gpt-4o-mini', messages });

/**
 * The same request with its body read as the Patchbay adapter reads it (`asResponse()` then `response.json()`),
 * skipping the SDK's own parse of a 200: the cheapest way to use the SDK, for reference.
 */
export const directCallReadingTheBody = (client) => () =>
  client.chat.completions
    .create({ model: 'gpt-4o-mini', messages })
    .asResponse()
    .then((response) => response.json());

/**
 * The `openai` SDK directly (`maxRetries: 0`, as the adapter configures it), the same SDK call with the body read by
 * the caller as the adapter reads it (`directCallReadingTheBody`), the Patchbay adapter alone, the route's
 * member instance called directly (`patchbay.provider('main')`: the adapter as createPatchbay builds it, unrouted),
 * `patchbay.llm.generate()` on the default route (no caller signal, no timeouts) and with attemptTimeoutMs +
 * deadlineMs. `close()` stops both routers.
 */
export function openaiVariants({ baseURL, fetch }) {
  const settings = { apiKey: 'test-key', baseURL, model: 'gpt-4o-mini' };
  const sdk = directClient({ baseURL, fetch });
  const adapter = createOpenAILanguageModel({ ...settings, env: {}, fetch });
  const provider = { kind: 'llm', vendor: 'openai', settings };
  const plain = createPatchbay({
    config: { providers: { main: provider } },
    factories: [openaiLanguageModelFactory],
    env: {},
    fetch,
  });
  const bounded = createPatchbay({
    config: {
      providers: { main: provider },
      routes: { llm: { providers: ['main'], attemptTimeoutMs: 30_000, deadlineMs: 60_000 } },
    },
    factories: [openaiLanguageModelFactory],
    env: {},
    fetch,
  });
  const member = plain.provider('main');
  return {
    sdk,
    variants: {
      'openai SDK directly': directCall(sdk),
      'SDK, body read by the caller': directCallReadingTheBody(directClient({ baseURL, fetch })),
      'Patchbay adapter alone': () => adapter.generate({ messages }),
      'route member called directly': () => member.generate({ messages }),
      'routed patchbay.llm.generate()': () => plain.llm.generate({ messages }),
      'routed, attemptTimeoutMs + deadlineMs': () => bounded.llm.generate({ messages }),
    },
    close() {
      plain.close();
      bounded.close();
    },
  };
}

/** Milliseconds to make `calls` calls of `run`, `inFlight` at a time. */
async function timeCalls(run, calls, inFlight) {
  let issued = 0;
  const worker = async () => {
    while (issued < calls) {
      issued++;
      await run();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - started;
}

/**
 * Runs every variant once per round, in a new order each round (interleaved, so drift and GC hit every variant
 * alike), and returns each variant's milliseconds per measured round (the warm-up rounds are dropped). `between`,
 * if given, runs untimed after each variant's turn.
 */
export async function interleavedRounds(variants, { rounds, warmupRounds, callsPerRound, inFlight, between }) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const name of roundOrder(names, round)) {
      const milliseconds = await timeCalls(variants[name], callsPerRound, inFlight);
      between?.();
      if (round >= warmupRounds) samples[name].push(milliseconds);
    }
  }
  return samples;
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The middle half of `values`: [first quartile, third quartile]. */
export const middleHalf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.floor(((sorted.length - 1) * 3) / 4)]];
};
