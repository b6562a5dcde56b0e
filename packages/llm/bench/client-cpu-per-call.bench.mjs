// What each layer adds to an SDK call's client CPU, with the network taken out. Method: the `openai` SDK and every
// Patchbay variant get the same `fetch` (the SDK's own `fetch` option), which answers at once with a canned Chat
// Completions response: no socket, no server, so a call's time is the client's own work (the SDK building the request
// and parsing the answer) plus what the variant adds. 16 calls in flight; each round runs BENCH_CALLS calls per
// variant, variants in a new order each round (interleaved); after BENCH_WARMUP_ROUNDS warm-up rounds it reports the
// median µs per call and the median of each round's difference to the SDK in that round (paired, which cancels drift
// between rounds). Variants as in routed-http-throughput.bench.mjs. Over real HTTP the same code costs several times
// more per call (the network stack runs between two calls); this bench measures what the layers add before that.
// Bounded, no network. Run after a build: `pnpm bench llm`.
import { interleavedRounds, median, openaiVariants } from './openai-variants.mjs';

const callsPerRound = Number(process.env.BENCH_CALLS ?? 2000);
const warmupRounds = Number(process.env.BENCH_WARMUP_ROUNDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 60);
const inFlight = 16;

const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 2, total_tokens: 14 },
});
const fetch = async () =>
  new Response(completion, { status: 200, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' } });
// Never contacted: the injected fetch answers every request.
const { variants, close } = openaiVariants({ baseURL: 'http://127.0.0.1:9/v1', fetch });

const names = Object.keys(variants);
let samples;
try {
  const milliseconds = await interleavedRounds(variants, { rounds, warmupRounds, callsPerRound, inFlight });
  samples = Object.fromEntries(
    names.map((name) => [name, milliseconds[name].map((ms) => (ms * 1000) / callsPerRound)]),
  );
} finally {
  close();
}

const direct = samples[names[0]];
// Each round's own difference to the SDK in that round, then their median: it cancels drift between rounds.
const added = (name) => median(samples[name].map((microseconds, round) => microseconds - direct[round]));
console.log(
  `client CPU per call, zero-latency fetch, ${inFlight} in flight: ${rounds} interleaved rounds × ${callsPerRound} calls per variant after ${warmupRounds} warm-up rounds; medians`,
);
console.table(
  names.map((name) => ({
    variant: name,
    'µs per call': median(samples[name]).toFixed(2),
    'added to the SDK call (paired per round)': `${added(name).toFixed(2)} µs`,
  })),
);
