import { mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { AllProvidersFailedError, PatchbayError } from '../errors/patchbay-error.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';

const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
let open: Patchbay[] = [];
afterEach(async () => {
  await Promise.all(open.map((pb) => pb.close()));
  open = [];
});

function patchbay(config: Parameters<typeof createPatchbay>[0]['config']): Patchbay {
  const pb = createPatchbay({ factories: mockFactories, env: false, config });
  open.push(pb);
  return pb;
}

async function failure(promise: Promise<unknown>): Promise<PatchbayError> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!PatchbayError.isInstance(caught)) throw new Error(`expected a PatchbayError, got ${String(caught)}`);
  return caught;
}

/** docs/architecture.md, Errors: which failures are AllProvidersFailedError and which are plain refusals. */
describe('a routed call that fails on its members, and one refused before any member', () => {
  it('every member failed or was skipped: AllProvidersFailedError listing the attempts', async () => {
    const pb = patchbay({
      providers: {
        a: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'unavailable' } } },
        b: { kind: 'llm', vendor: 'mock', settings: { script: { error: 'rate_limited' } } },
      },
      routes: { llm: { providers: ['a', 'b'], retry: { maxRetries: 0 } } },
    });
    const error = await failure(pb.llm.generate(request));
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error.code).toBe('rate_limited');
    expect((error as AllProvidersFailedError).attempts.map((attempt) => [attempt.provider, attempt.code])).toEqual([
      ['a', 'unavailable'],
      ['b', 'rate_limited'],
    ]);
  });

  it('an invalid request and a route-wide limit are plain refusals, with no member called', async () => {
    const pb = patchbay({
      providers: { a: { kind: 'llm', vendor: 'mock' } },
      routes: { llm: { providers: ['a'] } },
      limits: { once: { metric: 'requests', max: 1, window: 'minute' } },
    });
    const invalid = await failure(pb.llm.generate({ messages: [] }));
    expect(invalid.code).toBe('invalid_request');
    expect(invalid).not.toBeInstanceOf(AllProvidersFailedError);
    await pb.llm.generate(request);
    const limited = await failure(pb.llm.generate(request));
    expect(limited.code).toBe('limit_exceeded');
    expect(limited).not.toBeInstanceOf(AllProvidersFailedError);
  });
});

/** docs/architecture.md, Routing: which route `patchbay.llm` is. */
describe('patchbay.llm', () => {
  const providers = {
    a: { kind: 'llm' as const, vendor: 'mock', settings: { model: 'model-a' } },
    b: { kind: 'llm' as const, vendor: 'mock', settings: { model: 'model-b' } },
  };
  const servedBy = async (pb: Patchbay) => (await pb.llm.generate(request)).model;

  it('is the only LLM route when none is named llm, and an implicit priority route when there is none', async () => {
    expect(await servedBy(patchbay({ providers, routes: { smart: { providers: ['b', 'a'] } } }))).toBe('model-b');
    expect(await servedBy(patchbay({ providers }))).toBe('model-a');
  });

  it('is not_configured with several LLM routes and none named llm', () => {
    const pb = patchbay({ providers, routes: { fast: { providers: ['a'] }, smart: { providers: ['b'] } } });
    let caught: unknown;
    try {
      void pb.llm;
    } catch (error) {
      caught = error;
    }
    expect(PatchbayError.isInstance(caught) && caught.code).toBe('not_configured');
  });
});
