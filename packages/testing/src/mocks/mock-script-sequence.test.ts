// README (packages/testing/README.md, "Scripts"): `setScript()` restarts the sequence and `reset()` forgets
// calls and restarts it too; a call is recorded when it starts (`pending`) and updated when it settles, a
// stream when it ends; credentials are resolved before the step is taken, so a `not_configured` call does
// not consume a step.
import { describe, expect, it } from 'vitest';
import { failureOf as failure } from '../conformance/conformance-assertions.js';
import { MockLanguageModel } from './mock-language-model.js';
import { MockMessagingProvider } from './mock-messaging-provider.js';

const request = { messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('mock script sequence', () => {
  it('a call refused for missing credentials does not consume a step', async () => {
    const llm = new MockLanguageModel({
      requireApiKey: true,
      env: {},
      script: [{ text: 'first' }, { text: 'second' }],
    });
    expect((await failure(llm.generate(request))).code).toBe('not_configured');
    await llm.updateConfig({ apiKey: 'sk-mock-sequence' });
    expect((await llm.generate(request)).text).toBe('first');
    expect((await llm.generate(request)).text).toBe('second');
    expect(llm.calls.map((call) => call.outcome)).toEqual(['error', 'success', 'success']);
  });

  it('setScript() restarts the sequence at its first step', async () => {
    const sms = new MockMessagingProvider({ channel: 'sms', script: [{ messageId: 'a1' }, { messageId: 'a2' }] });
    expect((await sms.send({ to: '+14155550100', body: 'x' })).messageId).toBe('a1');
    sms.setScript([{ messageId: 'b1' }, { messageId: 'b2' }]);
    expect((await sms.send({ to: '+14155550100', body: 'x' })).messageId).toBe('b1');
    expect((await sms.send({ to: '+14155550100', body: 'x' })).messageId).toBe('b2');
    expect(sms.callCount).toBe(3);
  });

  it('reset() forgets the calls and restarts the sequence', async () => {
    const llm = new MockLanguageModel({ script: [{ text: 'one' }, { text: 'two' }] });
    await llm.generate(request);
    await llm.generate(request);
    llm.reset();
    expect(llm.calls).toEqual([]);
    expect((await llm.generate(request)).text).toBe('one');
    expect(llm.calls.map((call) => call.index)).toEqual([0]);
  });

  it('records a call as pending when it starts and settles it when it ends; a stream when it is read to its end', async () => {
    const llm = new MockLanguageModel({ script: [{ hang: true }, { text: 'streamed' }] });
    const controller = new AbortController();
    const hanging = failure(llm.generate(request, { signal: controller.signal }));
    // Recorded at once, before any await: the call has started.
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]).toMatchObject({ outcome: 'pending', method: 'generate' });
    expect(llm.calls[0]?.settledAt).toBeUndefined();
    controller.abort();
    expect((await hanging).code).toBe('aborted');
    expect(llm.calls[0]).toMatchObject({ outcome: 'error', error: expect.objectContaining({ code: 'aborted' }) });

    const { stream } = await llm.stream(request);
    expect(llm.calls[1]?.outcome).toBe('pending');
    for await (const _part of stream) {
      // read to the end
    }
    expect(llm.calls[1]?.outcome).toBe('success');
    expect(llm.calls[1]?.settledAt).toEqual(expect.any(Number));
  });
});
