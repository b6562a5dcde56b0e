// One voice-agent turn, end of the caller's audio → first byte of the agent's audio, through the simulators on
// loopback: Deepgram live STT (final result) → OpenAI chat completion streamed (OpenAI simulator) → text
// streamed into ElevenLabs' websocket input streaming. Variants, interleaved (a new order each round) after a warm-up:
//   1. Patchbay routed: `patchbay.stt.transcribeLive` → `speakLanguageModelStream({ llm: patchbay.llm,
//      tts: patchbay.tts })` (routes over one member each).
//   2. Hand-wired on the vendor SDKs: `@deepgram/sdk` live socket → `openai` SDK stream → `ws` to ElevenLabs
//      (its SDK has no input-streaming client), text flushed at the same sentence ends as Patchbay's chunker.
//   3. Patchbay routed with a failing primary TTS: Deepgram Aura's speak socket refuses the upgrade (503) in
//      every round, the route fails over to ElevenLabs.
// Each turn opens its own STT session and TTS socket in every variant (the LLM and STT HTTP clients are reused).
// Reported: median and p95 of end-of-audio → first agent audio byte, and the difference with the hand-wired
// median. Run after a build: `./run bench voice-turn` (or `node packages/tts/bench/voice-turn.bench.mjs`).
// Options (env): BENCH_ROUNDS (default 40).
import { DeepgramClient } from '@deepgram/sdk';
import { createPatchbay } from '@patchbay/core';
import { createDeepgramSimulator, createDeepgramSpeakSocketSimulator } from '@patchbay/testing/simulators/deepgram';
import { createElevenLabsStreamInputSimulator } from '@patchbay/testing/simulators/elevenlabs';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { roundOrder } from '../../../scripts/round-order.mjs';
// Sibling packages by their built files: @patchbay/tts itself depends on neither.
import { openaiLanguageModelFactory } from '../../llm/dist/openai/index.js';
import { deepgramTranscriberFactory } from '../../stt/dist/deepgram/index.js';
import { deepgramSpeechSynthesizerFactory } from '../dist/deepgram/index.js';
import { elevenlabsSpeechSynthesizerFactory } from '../dist/elevenlabs/index.js';
import { speakLanguageModelStream } from '../dist/index.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const warmupRounds = 5;
const chunk = new Uint8Array(16_000); // 0.5 s of 16 kHz PCM: one simulated word
const chunks = 5;
const reply = 'Your order shipped yesterday. It arrives on Friday. Is there anything else I can help you with today?';
const voice = 'JBFqnCBsd6RMkjVDRZzb';

const [stt, llm, eleven, aura] = await Promise.all([
  createDeepgramSimulator().start(),
  createOpenAISimulator({ response: { text: reply } }).start(),
  createElevenLabsStreamInputSimulator().start(),
  createDeepgramSpeakSocketSimulator().start(),
]);

function patchbayWith(ttsProviders) {
  return createPatchbay({
    config: {
      providers: {
        listen: { kind: 'stt', vendor: 'deepgram', settings: { apiKey: 'test-key', baseURL: stt.url } },
        chat: {
          kind: 'llm',
          vendor: 'openai',
          settings: { apiKey: 'test-key', baseURL: `${llm.url}/v1`, model: 'gpt-4o-mini' },
        },
        aura: { kind: 'tts', vendor: 'deepgram', settings: { apiKey: 'test-key', streamingURL: aura.url } },
        eleven: { kind: 'tts', vendor: 'elevenlabs', settings: { apiKey: 'test-key', streamingURL: eleven.url } },
      },
      routes: {
        stt: { providers: ['listen'], attemptTimeoutMs: 10_000 },
        llm: { providers: ['chat'], attemptTimeoutMs: 10_000 },
        tts: { providers: ttsProviders, attemptTimeoutMs: 10_000, retry: { maxRetries: 0 } },
      },
    },
    factories: [
      deepgramTranscriberFactory,
      openaiLanguageModelFactory,
      deepgramSpeechSynthesizerFactory,
      elevenlabsSpeechSynthesizerFactory,
    ],
    env: false,
  });
}
const routedPatchbay = patchbayWith(['eleven']);
const failoverPatchbay = patchbayWith(['aura', 'eleven']);

const deepgram = new DeepgramClient({
  apiKey: 'test-key',
  environment: { base: stt.url, production: stt.wsURL, agent: stt.wsURL, agentRest: stt.url },
  maxRetries: 0,
  reconnect: false,
});
const openai = new OpenAI({ apiKey: 'test-key', baseURL: `${llm.url}/v1`, maxRetries: 0 });

/** Caller audio into a routed live session; resolves [end-of-audio time, final transcript]. */
async function listenRouted(patchbay) {
  const session = await patchbay.stt.transcribeLive({ encoding: 'pcm_s16le', sampleRate: 16_000 });
  const iterator = session.events[Symbol.asyncIterator]();
  for (let index = 0; index < chunks - 1; index++) session.send(chunk);
  const ended = performance.now();
  session.send(chunk);
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    if (next.value.type === 'transcript' && next.value.isFinal) {
      // The session is closed after the turn's measurement, outside the timed path.
      return { ended, text: next.value.text, close: () => session.finish().then(() => iterator.return?.()) };
    }
  }
  throw new Error('no final transcript');
}

async function turnRouted(patchbay) {
  const heard = await listenRouted(patchbay);
  const turn = await speakLanguageModelStream({
    llm: patchbay.llm,
    tts: patchbay.tts,
    request: { messages: [{ role: 'user', content: heard.text }] },
    speech: { format: { encoding: 'mulaw', sampleRate: 8000 } },
  });
  let firstByte;
  for await (const _audio of turn.audio) firstByte ??= performance.now() - heard.ended;
  await heard.close();
  return firstByte;
}

/** The same turn hand-wired on the SDKs (and `ws` for ElevenLabs). */
async function turnDirect() {
  const socket = await deepgram.listen.v1.connect({
    model: 'nova-3',
    encoding: 'linear16',
    sample_rate: 16_000,
    reconnectAttempts: 0,
  });
  let ended = 0;
  const final = new Promise((resolve) => {
    socket.on('message', (message) => {
      if (message.type === 'Results' && message.is_final) resolve(message.channel.alternatives[0].transcript);
    });
  });
  const closed = new Promise((resolve) => socket.on('close', () => resolve()));
  socket.connect();
  await socket.waitForOpen();
  for (let index = 0; index < chunks - 1; index++) socket.sendMedia(chunk);
  ended = performance.now();
  socket.sendMedia(chunk);
  const transcript = await final;

  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: transcript }],
    stream: true,
  });
  const tts = new WebSocket(
    `${eleven.url}/v1/text-to-speech/${voice}/stream-input?model_id=eleven_multilingual_v2&output_format=ulaw_8000`,
    { headers: { 'xi-api-key': 'test-key' }, perMessageDeflate: false },
  );
  let firstByte;
  const done = new Promise((resolve, reject) => {
    tts.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.audio) firstByte ??= performance.now() - ended;
      if (message.isFinal) resolve();
    });
    tts.on('error', reject);
  });
  await new Promise((resolve, reject) => {
    tts.once('open', resolve);
    tts.once('error', reject);
  });
  tts.send(JSON.stringify({ text: ' ' }));
  let pending = '';
  for await (const part of completion) {
    pending += part.choices[0]?.delta?.content ?? '';
    // Flush at a sentence end followed by whitespace, as Patchbay's chunker does.
    const match = /^[\s\S]*[.!?]\s/.exec(pending);
    if (match) {
      tts.send(JSON.stringify({ text: match[0], flush: true }));
      pending = pending.slice(match[0].length);
    }
  }
  if (pending) tts.send(JSON.stringify({ text: pending, flush: true }));
  tts.send(JSON.stringify({ text: '' }));
  await done;
  tts.terminate();
  socket.sendCloseStream({ type: 'CloseStream' });
  await closed;
  return firstByte;
}

const variants = {
  'Patchbay routed': () => turnRouted(routedPatchbay),
  'hand-wired SDKs': turnDirect,
  'Patchbay routed, primary TTS refuses (503) → failover': () => {
    aura.inject({ type: 'status', status: 503 });
    return turnRouted(failoverPatchbay);
  },
};
const names = Object.keys(variants);
const samples = Object.fromEntries(names.map((name) => [name, []]));
try {
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Interleaved, in a new order each round, so drift on a shared machine hits every variant alike.
    for (const name of roundOrder(names, round)) {
      const firstByte = await variants[name]();
      if (firstByte === undefined) throw new Error(`${name}: no audio`);
      if (round >= warmupRounds) samples[name].push(firstByte);
    }
    aura.reset();
  }
} finally {
  routedPatchbay.close();
  failoverPatchbay.close();
  await Promise.all([stt.close(), llm.close(), eleven.close(), aura.close()]);
}

const quantile = (values, share) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
};
const reference = quantile(samples['hand-wired SDKs'], 0.5);
const routedMedian = quantile(samples['Patchbay routed'], 0.5);
console.log(
  `Voice turn on loopback (Deepgram live final → OpenAI stream → ElevenLabs input streaming, μ-law 8 kHz), ` +
    `Node ${process.version}: ${warmupRounds} warm-up rounds, then ${rounds} interleaved rounds (a new order each round). ` +
    'Figure: end of caller audio → first agent audio byte.',
);
console.table(
  names.map((name) => ({
    variant: name,
    'p50 ms': quantile(samples[name], 0.5).toFixed(2),
    'p95 ms': quantile(samples[name], 0.95).toFixed(2),
    'p50 − hand-wired ms': (quantile(samples[name], 0.5) - reference).toFixed(2),
    'p50 − Patchbay routed ms': (quantile(samples[name], 0.5) - routedMedian).toFixed(2),
  })),
);
