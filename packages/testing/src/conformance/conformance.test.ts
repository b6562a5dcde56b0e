import type { BaseProvider } from '@patchbay/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceCase } from './conformance-case.js';
import { runConformance } from './conformance-case.js';
import { defineLanguageModelConformance } from './language-model-conformance.js';
import { defineMessagingConformance } from './messaging-conformance.js';
import {
  createReferenceSimulator,
  type ReferenceFlaw,
  ReferenceLanguageModel,
  type ReferenceOptions,
  ReferenceSms,
  ReferenceSpeechSynthesizer,
  ReferenceTranscriber,
  referenceKeys,
} from './reference-vendor.test-support.js';
import { assertNoLeakedResources, openResources } from './resource-check.js';
import { defineSpeechSynthesizerConformance } from './speech-synthesizer-conformance.js';
import { defineTranscriberConformance } from './transcriber-conformance.js';

const simulator = createReferenceSimulator();
let baseline: Record<string, number>;
beforeAll(async () => {
  baseline = openResources();
  await simulator.start();
});
afterAll(async () => {
  await simulator.close();
  // Hung, cut and aborted requests must not leave a socket, server or timer behind.
  await assertNoLeakedResources(baseline);
});

function suiteOptions<P extends BaseProvider>(
  create: (options: ReferenceOptions) => P,
  faultPath: string,
  flaw?: ReferenceFlaw,
) {
  return {
    simulator: () => simulator,
    create: (settings: Omit<ReferenceOptions, 'flaw'>) => create({ ...settings, flaw }),
    validApiKey: referenceKeys.valid,
    invalidApiKey: referenceKeys.invalid,
    faultPath,
    vendor: 'reference',
    environmentSecrets: true,
    apiKeyEnv: 'REFERENCE_API_KEY',
  };
}

const llm = (flaw?: ReferenceFlaw) =>
  defineLanguageModelConformance(suiteOptions((options) => new ReferenceLanguageModel(options), '/v1/generate', flaw));
const stt = (flaw?: ReferenceFlaw) =>
  defineTranscriberConformance(suiteOptions((options) => new ReferenceTranscriber(options), '/v1/transcribe', flaw));
const tts = (flaw?: ReferenceFlaw) =>
  defineSpeechSynthesizerConformance(
    suiteOptions((options) => new ReferenceSpeechSynthesizer(options), '/v1/speech', flaw),
  );
const sms = (flaw?: ReferenceFlaw) =>
  defineMessagingConformance(suiteOptions((options) => new ReferenceSms(options), '/v1/messages', flaw));

describe('conformance suites pass a correct adapter', () => {
  describe('language model', () => runConformance(llm(), { it }));
  describe('speech synthesizer', () => runConformance(tts(), { it }));
  describe('transcriber', () => runConformance(stt(), { it }));
  describe('messaging', () => runConformance(sms(), { it }));
});

function caseOf(cases: ConformanceCase[], id: string): ConformanceCase {
  const found = cases.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no case ${id}`);
  return found;
}

describe('conformance suites catch a flawed adapter', () => {
  const flaws: [string, () => ConformanceCase[], string, RegExp][] = [
    ['raw vendor errors', () => llm('raw-errors'), 'rate-limited', /expected a PatchbayError/],
    ['a lost Retry-After', () => llm('ignore-retry-after'), 'rate-limited', /retryAfterMs/],
    ['a key kept in a public field', () => llm('expose-key'), 'secrets', /reveals the API key/],
    ['a stream cut passed off as success', () => llm('silent-stream-cut'), 'stream-cut', /succeeded/],
    ['audio cut off passed off as complete', () => tts('silent-stream-cut'), 'stream-cut', /succeeded/],
    ['a speech key kept in a public field', () => tts('expose-key'), 'secrets', /reveals the API key/],
    ['raw speech vendor errors', () => tts('raw-errors'), 'status-503', /expected a PatchbayError/],
    ['a key cached across updateConfig', () => stt('cached-key'), 'update-config-rotation', /new key/],
    ['a send timeout without outcomeUnknown', () => sms('no-outcome-unknown'), 'timeout', /outcomeUnknown/],
    ['an environment printed with the provider', () => stt('print-runtime'), 'secrets-environment', /reveals/],
  ];
  for (const [flaw, cases, id, message] of flaws) {
    it(`fails "${id}" for ${flaw}`, async () => {
      await expect(caseOf(cases(), id).run()).rejects.toMatchObject({ code: 'ERR_ASSERTION', message });
    });
  }

  it('runs secrets-environment whenever apiKeyEnv names the variable, unless environmentSecrets is false', () => {
    const ids = (extra: { apiKeyEnv?: string; environmentSecrets?: boolean }) => {
      const {
        environmentSecrets: _on,
        apiKeyEnv: _name,
        ...base
      } = suiteOptions((options) => new ReferenceLanguageModel(options), '/v1/generate');
      return defineLanguageModelConformance({ ...base, ...extra }).map((candidate) => candidate.id);
    };
    expect(ids({ apiKeyEnv: 'REFERENCE_API_KEY' })).toContain('secrets-environment');
    expect(ids({})).not.toContain('secrets-environment');
    expect(ids({ apiKeyEnv: 'REFERENCE_API_KEY', environmentSecrets: false })).not.toContain('secrets-environment');
  });

  it('leaves skipped cases out and registers with any runner', () => {
    const names: string[] = [];
    const cases = defineMessagingConformance({
      ...suiteOptions((options) => new ReferenceSms(options), '/x'),
      skip: ['malformed'],
    });
    runConformance(cases, { it: (name) => names.push(name), prefix: '[sms]' });
    expect(cases.some((candidate) => candidate.id === 'malformed')).toBe(false);
    expect(names).toHaveLength(cases.length);
    expect(names[0]).toMatch(/^\[sms\] messaging conformance: /);
  });
});
