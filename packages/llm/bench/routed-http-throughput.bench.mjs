// Routed `generate` against the `openai` SDK used directly, over loopback HTTP, at 16 requests in flight. Method:
// one OpenAI simulator on 127.0.0.1 serves all variants (its request log is cleared, untimed, after each variant's
// turn, so the heap does not grow through the run); each round runs BENCH_REQUESTS requests per variant with 16 in
// flight, variants in a new order each round (interleaved, so drift and GC hit every variant alike); after
// BENCH_WARMUP_ROUNDS warm-up rounds the median requests/s of the measured rounds is reported, and the ratio to the
// direct SDK, both as the ratio of the medians and as the median of each round's own ratio (with the middle half of
// those ratios). Variants: the SDK directly (maxRetries 0, as our adapter configures it); a second, identical SDK
// client (the A/A control: it differs from the first in nothing, so how far it reads from 100 % is the run's noise);
// the same call awaited through three extra async functions (the cost of suspensions alone); the same call with its
// body read by the caller (`asResponse()` then `response.json()`, as the adapter reads it: the SDK's own parse of a
// 200 skipped, so the router's cost shows against the cheapest use of the SDK too); the Patchbay adapter alone; the
// route's member instance called directly (`patchbay.provider('main')`: the adapter as createPatchbay builds it,
// unrouted); `patchbay.llm.generate` with the default route (no caller signal, no timeouts), and with
// attemptTimeoutMs + deadlineMs set. Target (issue 10): routed ≥ 97 % of direct. Bounded. Run after a build:
// `pnpm bench llm` (or `node packages/llm/bench/routed-http-throughput.bench.mjs`).
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { directCall, directClient, interleavedRounds, median, middleHalf, openaiVariants } from './openai-variants.mjs';

const requestsPerRound = Number(process.env.BENCH_REQUESTS ?? 400);
const warmupRounds = Number(process.env.BENCH_WARMUP_ROUNDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const inFlight = 16;

const simulator = createOpenAISimulator({ response: { text: 'ok', usage: { inputTokens: 12, outputTokens: 2 } } });
await simulator.start();
const baseURL = `${simulator.url}/v1`;
const { sdk, variants: compared, close } = openaiVariants({ baseURL });
const { 'openai SDK directly': sdkDirectly, ...patchbay } = compared;
const sdkCall = directCall(sdk);
const awaitedThrice = async () => await (async () => await (async () => await sdkCall())())();
const variants = {
  'openai SDK directly': sdkDirectly,
  'second SDK client (A/A control)': directCall(directClient({ baseURL })),
  // What suspensions alone cost: the same SDK call awaited through three more async functions (a routed call has
  // three the bare SDK call does not: the router's first-call frame, the skeleton's generate, the adapter's).
  'SDK through 3 extra async layers': () => awaitedThrice(),
  ...patchbay,
};

const names = Object.keys(variants);
let samples;
try {
  const milliseconds = await interleavedRounds(variants, {
    rounds,
    warmupRounds,
    callsPerRound: requestsPerRound,
    inFlight,
    between: () => simulator.reset(),
  });
  samples = Object.fromEntries(
    names.map((name) => [name, milliseconds[name].map((ms) => requestsPerRound / (ms / 1000))]),
  );
} finally {
  close();
  await simulator.close();
}

const direct = median(samples[names[0]]);
// Each round also gives a ratio of its own (the variant against the SDK, or another `base`, in the same round): its
// median cancels drift between rounds, so it moves less from run to run than the ratio of the two medians.
const ratios = (name, base = names[0]) => samples[name].map((perSecond, round) => perSecond / samples[base][round]);
const paired = (name, base) => median(ratios(name, base));
const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`;
console.log(
  `loopback HTTP, ${inFlight} in flight: ${rounds} interleaved rounds × ${requestsPerRound} requests per variant after ${warmupRounds} warm-up rounds; medians`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'requests/s': Math.round(median(samples[name])),
    'of direct SDK': percent(median(samples[name]) / direct),
    'paired per round': percent(paired(name)),
    'middle half of rounds': middleHalf(ratios(name)).map(percent).join(' – '),
  })),
);
const control = 'second SDK client (A/A control)';
const bodyRead = 'SDK, body read by the caller';
const routed = 'routed patchbay.llm.generate()';
const timed = 'routed, attemptTimeoutMs + deadlineMs';
console.log(
  `routed ÷ direct SDK: ${percent(median(samples[routed]) / direct)} (paired ${percent(paired(routed))}; target ≥ 97 %); ` +
    `with timeouts: ${percent(median(samples[timed]) / direct)} (paired ${percent(paired(timed))}); ` +
    `A/A control, this run's noise: ${percent(median(samples[control]) / direct)} (paired ${percent(paired(control))})`,
);
// Against the SDK with the body read by the caller, round by round: what the router and the adapter cost over the
// cheapest use of the SDK.
console.log(
  `routed ÷ SDK with the body read by the caller (paired): ${percent(paired(routed, bodyRead))}; ` +
    `with timeouts: ${percent(paired(timed, bodyRead))}; ` +
    `the route member: ${percent(paired('route member called directly', bodyRead))}`,
);
