import { createFakeClock, type MockLanguageModel, mockFactories } from '@patchbay/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { CallOptions } from '../spec/provider.js';
import type { PatchbayConfigInput } from './routing-config.js';

const request = { messages: [{ role: 'user' as const, content: 'hello' }] };
let open: Patchbay[] = [];
afterEach(async () => {
  for (const instance of open) await instance.close();
  open = [];
});

/** A patchbay over one mock LLM, with the options its member is called with recorded. */
function recording(route: Partial<NonNullable<PatchbayConfigInput['routes']>[string]> = {}) {
  const pb = createPatchbay({
    config: { providers: { a: { kind: 'llm', vendor: 'mock' } }, routes: { llm: { providers: ['a'], ...route } } },
    factories: mockFactories,
    env: false,
  });
  open.push(pb);
  const generate = vi.spyOn(pb.provider('a') as MockLanguageModel, 'generate');
  const received = (): (CallOptions | undefined)[] => generate.mock.calls.map((call) => call[1]);
  return { pb, received };
}

describe('the signal an attempt hands its member', () => {
  it('is absent with no caller signal, no attempt timeout and no deadline', async () => {
    const { pb, received } = recording();
    await pb.llm.generate(request);
    await pb.llm.generate(request, { tenant: 'acme', correlationId: 'c-1' });
    expect(received()).toHaveLength(2);
    for (const options of received()) {
      expect(options === undefined || !('signal' in options)).toBe(true);
      expect(options?.signal).toBeUndefined();
    }
    expect(received()[1]).toMatchObject({ tenant: 'acme', correlationId: 'c-1' });
  });

  it('is there with a caller signal, and aborts when the caller does', async () => {
    const { pb, received } = recording({ retry: { maxRetries: 0 } });
    (pb.provider('a') as MockLanguageModel).setScript([{ text: 'ok' }, { hang: true }]);
    await pb.llm.generate(request, { signal: new AbortController().signal });
    expect(received()[0]?.signal).toBeInstanceOf(AbortSignal);
    const controller = new AbortController();
    const hanging = pb.llm.generate(request, { signal: controller.signal }).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    expect(received()[1]?.signal?.aborted).toBe(false);
    controller.abort();
    expect(await hanging).toMatchObject({ code: 'aborted' });
    expect(received()[1]?.signal?.aborted).toBe(true);
  });

  it('is there with an attempt timeout, and aborts when it fires (fake clock)', async () => {
    using clock = createFakeClock();
    const { pb, received } = recording({ attemptTimeoutMs: 1_000, retry: { maxRetries: 0 } });
    (pb.provider('a') as MockLanguageModel).setScript([{ text: 'ok' }, { hang: true }]);
    await pb.llm.generate(request);
    expect(received()[0]?.signal).toBeInstanceOf(AbortSignal);
    const hanging = pb.llm.generate(request).catch((error: unknown) => error);
    await clock.advance(1_000);
    expect(await hanging).toMatchObject({ code: 'timeout' });
    expect(received()[1]?.signal?.aborted).toBe(true);
  });

  it('is there with only a deadline', async () => {
    const { pb, received } = recording({ deadlineMs: 60_000 });
    await pb.llm.generate(request);
    expect(received()[0]?.signal).toBeInstanceOf(AbortSignal);
  });
});
