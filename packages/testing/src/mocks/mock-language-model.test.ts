import { inspect } from 'node:util';
import { InMemoryCredentialStore, type Secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { failureOf as failure } from '../conformance/conformance-assertions.js';
import { MockLanguageModel } from './mock-language-model.js';

const request = { messages: [{ role: 'user' as const, content: 'Hello there, model' }] };

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of iterable) parts.push(part);
  return parts;
}

describe('MockLanguageModel', () => {
  it('answers ok by default and reports provider, vendor, model and token usage', async () => {
    const llm = new MockLanguageModel();
    const result = await llm.generate(request, { tenant: 'acme', correlationId: 'c-1' });
    expect(result).toMatchObject({ text: 'ok', provider: 'mock-llm', vendor: 'mock', model: 'mock-model' });
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 1, cachedInputTokens: 0 });
    expect(llm.callCount).toBe(1);
    expect(llm.calls[0]).toMatchObject({
      index: 0,
      method: 'generate',
      request,
      tenant: 'acme',
      correlationId: 'c-1',
      outcome: 'success',
    });
  });

  it('follows a sequence and repeats its last step', async () => {
    const llm = new MockLanguageModel({
      script: [{ error: 'rate_limited', retryAfterMs: 1500, status: 429 }, { text: 'second' }],
    });
    const first = await failure(llm.generate(request));
    expect(first).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 1500, status: 429 });
    expect(first.provider).toBe('mock-llm');
    expect((await llm.generate(request)).text).toBe('second');
    expect((await llm.generate(request)).text).toBe('second');
    expect(llm.calls.map((call) => call.outcome)).toEqual(['error', 'success', 'success']);
    expect(llm.calls[0]?.error?.code).toBe('rate_limited');
  });

  it('takes a function script that sees the call', async () => {
    const llm = new MockLanguageModel({
      script: (call) => ({ text: `call ${call.index} for ${call.tenant}` }),
    });
    expect((await llm.generate(request, { tenant: 't1' })).text).toBe('call 0 for t1');
    llm.setScript({ error: 'content_policy' });
    expect((await failure(llm.generate(request))).code).toBe('content_policy');
    llm.reset();
    expect(llm.callCount).toBe(0);
  });

  it('streams text deltas then a finish part', async () => {
    const llm = new MockLanguageModel({ script: { text: 'abcdef', usage: { outputTokens: 7 } } });
    const result = await llm.stream(request);
    const parts = await collect(result.stream);
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.delta)).toEqual(['ab', 'cd', 'ef']);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop', usage: { outputTokens: 7 } });
    expect(llm.calls[0]?.outcome).toBe('success');
  });

  it('cuts a stream with stream_cut after the scripted parts, never a short success', async () => {
    const llm = new MockLanguageModel({ script: { chunks: ['a', 'b', 'c'], cutAfter: 2 } });
    const result = await llm.stream(request);
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const part of result.stream) if (part.type === 'text-delta') seen.push(part.delta);
      })(),
    );
    expect(seen).toEqual(['a', 'b']);
    expect(error.code).toBe('stream_cut');
    expect(llm.calls[0]).toMatchObject({ outcome: 'error', error: { code: 'stream_cut' } });
    llm.setScript({ cutAfter: 0 });
    expect((await failure(llm.stream(request))).code).toBe('stream_cut');
  });

  it('reports tool calls in generate and stream', async () => {
    const toolCalls = [{ toolCallId: 't1', toolName: 'lookup', input: { id: 3 } }];
    const llm = new MockLanguageModel({ script: { text: '', toolCalls } });
    const result = await llm.generate(request);
    expect(result).toMatchObject({ toolCalls, finishReason: 'tool-calls' });
    const parts = await collect((await llm.stream(request)).stream);
    expect(parts.map((part) => part.type)).toEqual(['tool-call-start', 'tool-call-delta', 'tool-call', 'finish']);
  });

  it('delays, and a hang ends with aborted or timeout per the signal reason', async () => {
    const llm = new MockLanguageModel({ script: [{ text: 'late', delayMs: 30 }, { hang: true }] });
    const started = Date.now();
    await llm.generate(request);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const controller = new AbortController();
    const pending = llm.generate(request, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('aborted');

    const timed = new AbortController();
    const pendingTimeout = llm.generate(request, { signal: timed.signal });
    setTimeout(() => timed.abort(new DOMException('slow', 'TimeoutError')), 10);
    const timeout = await failure(pendingTimeout);
    expect(timeout.code).toBe('timeout');
    expect(timeout.provider).toBe('mock-llm');
    expect(llm.calls.at(-1)).toMatchObject({ outcome: 'error', error: { code: 'timeout' } });
  });

  it('aborts a delayed call promptly', async () => {
    const llm = new MockLanguageModel({ script: { delayMs: 10_000 } });
    const controller = new AbortController();
    const pending = llm.generate(request, { signal: controller.signal });
    const started = Date.now();
    setTimeout(() => controller.abort(), 5);
    expect((await failure(pending)).code).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reports health from its credentials and scripted health', async () => {
    const llm = new MockLanguageModel({ requireApiKey: true, env: {} });
    expect(await llm.test()).toMatchObject({ status: 'not_configured', healthy: false, code: 'not_configured' });
    expect((await failure(llm.generate(request))).code).toBe('not_configured');
    await llm.updateConfig({ apiKey: 'sk-mock-1' });
    expect(await llm.test()).toMatchObject({ status: 'connected', healthy: true });
    llm.setHealth('error');
    expect(await llm.test()).toMatchObject({ status: 'error', code: 'unavailable' });
    llm.setHealth('not_configured');
    expect(await llm.test()).toMatchObject({ status: 'not_configured' });
  });

  it('rejects keys outside acceptedApiKeys with auth', async () => {
    const llm = new MockLanguageModel({ acceptedApiKeys: ['good'], apiKey: 'bad', env: {} });
    expect(await llm.test()).toMatchObject({ status: 'error', code: 'auth' });
    const error = await failure(llm.generate(request));
    expect(error).toMatchObject({ code: 'auth', status: 401, retryable: false });
    await llm.updateConfig({ apiKey: 'good' });
    expect((await llm.generate(request)).text).toBe('ok');
  });

  it('resolves the key per call from settings, tenant store or MOCK_API_KEY, and never prints it', async () => {
    const store = new InMemoryCredentialStore({ acme: { 'mock-llm': { apiKey: 'tenant-key' } } });
    const llm = new MockLanguageModel({ credentialStore: store, env: { MOCK_API_KEY: 'env-key' } });
    await llm.generate(request);
    await llm.generate(request, { tenant: 'acme' });
    await llm.updateConfig({ apiKey: 'settings-key' });
    await llm.generate(request, { tenant: 'acme' });
    expect(llm.calls.map((call) => (call.apiKey as Secret).reveal())).toEqual([
      'env-key',
      'tenant-key',
      'settings-key',
    ]);
    expect(llm.calls.map((call) => call.credentialSources?.apiKey)).toEqual([
      'environment',
      'tenant-store',
      'explicit',
    ]);
    for (const text of [JSON.stringify(llm), inspect(llm, { depth: 10 }), JSON.stringify(llm.getConfig())]) {
      expect(text).not.toContain('settings-key');
      expect(text).not.toContain('tenant-key');
      expect(text).not.toContain('env-key');
    }
    expect(llm.getConfig()).toMatchObject({ apiKey: '[redacted]', id: 'mock-llm', kind: 'llm', vendor: 'mock' });
  });

  it('updates settings atomically, naming an invalid field', async () => {
    const llm = new MockLanguageModel({ model: 'first' });
    const error = await failure(llm.updateConfig({ model: 42 }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('model');
    expect(llm.getConfig().model).toBe('first');
    const scriptError = await failure(llm.updateConfig({ model: 'second', script: [{ error: 'nope' }] }));
    expect(scriptError.message).toContain('script.0.error');
    expect(llm.getConfig().model).toBe('first');
    await llm.updateConfig({ model: 'second', script: { text: 'patched' } });
    expect(await llm.generate(request)).toMatchObject({ model: 'second', text: 'patched' });
  });

  it('overrides capabilities', () => {
    const llm = new MockLanguageModel({ capabilities: { streaming: false } });
    expect(llm.capabilities).toEqual({ streaming: false, tools: true, images: true, jsonOutput: true });
  });
});
