import { bedrockError, createBedrockSimulator, parseSigV4Authorization } from '@patchbay/testing/simulators/bedrock';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  abortAfter,
  abortMidStream,
  collect,
  collectUntilFailure,
  failure,
  serveSimulator,
  user,
} from '../shared/test-support.js';
import { tool } from '../tool.js';
import { createBedrockLanguageModel } from './index.js';

const secretAccessKey = 'bedrock-secret-access-key-0123456789';
// The simulator recomputes every signature with this secret: a request signed with any other fails.
const simulator = createBedrockSimulator({
  accessKeyIds: ['AKIDBEDROCKTEST'],
  secretAccessKeys: { AKIDBEDROCKTEST: secretAccessKey },
  region: 'eu-west-1',
});
const modelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const conversePath = /^\/model\/[^/]+\/converse$/;
const streamPath = /^\/model\/[^/]+\/converse-stream$/;

function model(overrides: Record<string, unknown> = {}) {
  return createBedrockLanguageModel({
    id: 'bedrock-main',
    region: 'eu-west-1',
    accessKeyId: 'AKIDBEDROCKTEST',
    secretAccessKey,
    endpoint: simulator.url,
    model: modelId,
    env: {},
    ...overrides,
  });
}

serveSimulator(simulator, {
  text: 'Hello from Bedrock',
  usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10 },
});

describe('Bedrock Converse over the real AWS SDK', () => {
  it('sends a SigV4-signed Converse request and reads text, usage and the stop reason', async () => {
    const result = await model().generate({
      messages: [{ role: 'system', content: 'Be brief' }, ...user],
      temperature: 0.3,
      topP: 0.9,
      maxOutputTokens: 64,
      stopSequences: ['END'],
    });
    expect(result).toMatchObject({
      text: 'Hello from Bedrock',
      finishReason: 'stop',
      provider: 'bedrock-main',
      vendor: 'bedrock',
      model: modelId,
      // All input tokens, the 10 cache reads among them.
      usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10 },
      warnings: [],
    });
    const [request] = simulator.requestsTo(conversePath);
    expect(request?.path).toBe(`/model/${encodeURIComponent(modelId)}/converse`);
    expect(request?.json).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief' }],
      inferenceConfig: { maxTokens: 64, temperature: 0.3, topP: 0.9, stopSequences: ['END'] },
    });
    const scope = parseSigV4Authorization(request?.headers.authorization as string);
    expect(scope).toMatchObject({ accessKeyId: 'AKIDBEDROCKTEST', region: 'eu-west-1', service: 'bedrock' });
    expect(scope?.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
    // The secret key signs; it never travels.
    expect(request?.body.toString() + JSON.stringify(request?.headers)).not.toContain('bedrock-secret-access-key');
  });

  it('sends a session token as x-amz-security-token', async () => {
    await model({ sessionToken: 'session-token-abcdef' }).generate({ messages: user });
    expect(simulator.requestsTo(conversePath)[0]?.headers['x-amz-security-token']).toBe('session-token-abcdef');
  });

  it('maps tools, tool choice, tool calls and tool results, merging turns so roles alternate', async () => {
    simulator.respondWith({ toolCalls: [{ id: 'tooluse_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const result = await model().generate({
      messages: [
        ...user,
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 't0', toolName: 'get_weather', input: { city: 'Rome' } }],
        },
        {
          role: 'tool',
          content: [{ type: 'tool-result', toolCallId: 't0', toolName: 'get_weather', output: { temp: 21 } }],
        },
        { role: 'user', content: 'And Paris?' },
      ],
      tools: [tool({ name: 'get_weather', description: 'Weather', parameters: z.object({ city: z.string() }) })],
      toolChoice: { type: 'tool', toolName: 'get_weather' },
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([{ toolCallId: 'tooluse_1', toolName: 'get_weather', input: { city: 'Paris' } }]);
    const body = simulator.requestsTo(conversePath)[0]?.json as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Hi' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't0', name: 'get_weather', input: { city: 'Rome' } } }] },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 't0', content: [{ json: { temp: 21 } }] } }, { text: 'And Paris?' }],
      },
    ]);
    expect(body.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather',
            inputSchema: {
              json: {
                type: 'object',
                properties: { city: { type: 'string' } },
                required: ['city'],
                additionalProperties: false,
              },
            },
          },
        },
      ],
      toolChoice: { tool: { name: 'get_weather' } },
    });
  });

  it('sends images as bytes and refuses a remote URL before any request', async () => {
    await model().generate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', image: new Uint8Array([1, 2]), mimeType: 'image/jpeg' },
          ],
        },
      ],
    });
    const body = simulator.requestsTo(conversePath)[0]?.json as { messages: Array<{ content: unknown[] }> };
    expect(body.messages[0]?.content[1]).toEqual({ image: { format: 'jpeg', source: { bytes: 'AQI=' } } });
    const error = await failure(
      model().generate({
        messages: [{ role: 'user', content: [{ type: 'image', image: 'https://example.com/a.png' }] }],
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect(error.message).toContain('messages[0].content[0].image');
    expect(simulator.requestsTo(conversePath)).toHaveLength(1);
  });

  it('unsupported settings become warnings: JSON output, toolChoice none', async () => {
    const result = await model().generate({
      messages: user,
      responseFormat: { type: 'json' },
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: 'none',
    });
    expect(result.warnings.map((warning) => warning.setting)).toEqual(['toolChoice', 'responseFormat']);
  });

  it('streams ConverseStream event frames: text, usage and finish', async () => {
    const result = await model().stream({ messages: user });
    expect(result).toMatchObject({ provider: 'bedrock-main', vendor: 'bedrock', model: modelId });
    const parts = await collect(result.stream);
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello ' },
      { type: 'text-delta', delta: 'from ' },
      { type: 'text-delta', delta: 'Bedrock' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10 } },
      { type: 'finish', finishReason: 'stop', usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10 } },
    ]);
    expect(simulator.requestsTo(streamPath)).toHaveLength(1);
  });

  it('streams tool calls as start, input deltas and the parsed call', async () => {
    simulator.respondWith({
      toolCalls: [{ id: 'tooluse_9', name: 'lookup', arguments: { query: 'patchbay routers' } }],
    });
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts[0]).toEqual({ type: 'tool-call-start', toolCallId: 'tooluse_9', toolName: 'lookup' });
    const joined = parts
      .filter((part) => part.type === 'tool-call-delta')
      .map((part) => part.argumentsDelta)
      .join('');
    expect(JSON.parse(joined)).toEqual({ query: 'patchbay routers' });
    expect(parts).toContainEqual({
      type: 'tool-call',
      toolCallId: 'tooluse_9',
      toolName: 'lookup',
      input: { query: 'patchbay routers' },
    });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('guardrail_intervened and content_filtered finish with content-filter', async () => {
    simulator.respondWith({ text: 'Sorry', finishReason: 'guardrail_intervened' });
    expect((await model().generate({ messages: user })).finishReason).toBe('content-filter');
    simulator.respondWith({ text: 'Sorry', finishReason: 'content_filtered' });
    expect((await model().generate({ messages: user })).finishReason).toBe('content-filter');
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'content-filter' });
  });

  it('adds cache reads and writes into inputTokens; cachedInputTokens is the reads', async () => {
    // On the wire: inputTokens 12, cacheReadInputTokens 10, cacheWriteInputTokens 8.
    simulator.respondWith({
      text: 'Hello from Bedrock',
      usage: { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10, cacheWriteInputTokens: 8 },
    });
    const usage = { inputTokens: 30, outputTokens: 4, cachedInputTokens: 10 };
    expect((await model().generate({ messages: user })).usage).toEqual(usage);
    const parts = await collect((await model().stream({ messages: user })).stream);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage });
  });

  it('merges providerOptions.bedrock into the Converse input, generating and streaming', async () => {
    const bedrock = {
      guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '2', trace: 'enabled' },
      additionalModelRequestFields: { top_k: 40 },
    };
    await model().generate({ messages: user, providerOptions: { bedrock } });
    await collect((await model().stream({ messages: user, providerOptions: { bedrock } })).stream);
    for (const request of [simulator.requestsTo(conversePath)[0], simulator.requestsTo(streamPath)[0]]) {
      expect(request?.json).toMatchObject(bedrock);
    }
  });

  it('resolves keys and region from AWS_* variables, never from the process or ~/.aws', async () => {
    const fromEnv = model({
      region: undefined,
      accessKeyId: undefined,
      secretAccessKey: undefined,
      env: {
        AWS_ACCESS_KEY_ID: 'AKIDBEDROCKTEST',
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_SESSION_TOKEN: 'env-session-token',
        AWS_REGION: 'eu-west-1',
      },
    });
    expect((await fromEnv.generate({ messages: user })).text).toBe('Hello from Bedrock');
    expect(simulator.requestsTo(conversePath)[0]?.headers['x-amz-security-token']).toBe('env-session-token');
    const previous = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMPROCESS';
    try {
      const missing = model({ accessKeyId: undefined, secretAccessKey: undefined, env: {} });
      const error = await failure(missing.generate({ messages: user }));
      expect(error).toMatchObject({ code: 'not_configured', provider: 'bedrock-main' });
      expect(error.message).toContain('AWS_SECRET_ACCESS_KEY');
    } finally {
      if (previous === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = previous;
    }
    expect(simulator.requestsTo(conversePath)).toHaveLength(1);
  });

  it('the SDK takes nothing from the process: AWS_MAX_ATTEMPTS, AWS_REGION, AWS_PROFILE are ignored', async () => {
    const names = ['AWS_MAX_ATTEMPTS', 'AWS_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_RETRY_MODE'] as const;
    const previous = Object.fromEntries(names.map((name) => [name, process.env[name]]));
    Object.assign(process.env, {
      AWS_MAX_ATTEMPTS: '3',
      AWS_REGION: 'ap-south-1',
      AWS_PROFILE: 'no-such-profile',
      AWS_ACCESS_KEY_ID: 'AKIDFROMPROCESS',
      AWS_RETRY_MODE: 'adaptive',
    });
    try {
      simulator.inject({ type: 'status', status: 503 });
      expect((await failure(model().generate({ messages: user }))).code).toBe('unavailable');
      // One attempt: routing owns retries, whatever the process environment says.
      expect(simulator.requestsTo(conversePath)).toHaveLength(1);
      await model().generate({ messages: user });
      const scope = parseSigV4Authorization(simulator.requestsTo(conversePath)[1]?.headers.authorization as string);
      expect(scope).toMatchObject({ accessKeyId: 'AKIDBEDROCKTEST', region: 'eu-west-1' });
    } finally {
      for (const name of names) {
        if (previous[name] === undefined) delete process.env[name];
        else process.env[name] = previous[name];
      }
    }
  });

  it('a wrong secret access key fails the signature check: 403 InvalidSignatureException → auth', async () => {
    const error = await failure(model({ secretAccessKey: 'not-the-secret-0123456789' }).generate({ messages: user }));
    expect(error).toMatchObject({ code: 'auth', status: 403, vendorCode: 'InvalidSignatureException' });
    // Streams, images and tool results are signed the same way: the verified path covers them too.
    await collect((await model().stream({ messages: user })).stream);
  });

  it('a request signed for another region is refused as auth', async () => {
    const error = await failure(model({ region: 'us-west-2' }).generate({ messages: user }));
    expect(error).toMatchObject({ code: 'auth', status: 403, vendorCode: 'UnrecognizedClientException' });
  });

  it('test() makes a one-token Converse with the configured model', async () => {
    const health = await model().test();
    expect(health).toMatchObject({ status: 'connected', healthy: true });
    expect(simulator.requestsTo(conversePath)[0]?.json).toMatchObject({ inferenceConfig: { maxTokens: 1 } });
    const denied = await model().test();
    expect(denied.status).toBe('connected');
    simulator.enqueue({
      error: bedrockError('AccessDeniedException', "You don't have access to the model with the specified model ID."),
    });
    expect(await model().test()).toMatchObject({ status: 'error', code: 'auth' });
  });

  it('getConfig redacts every AWS credential', () => {
    const config = model({ sessionToken: 'session-token-abcdef' }).getConfig();
    expect(config).toMatchObject({
      accessKeyId: '[redacted]',
      secretAccessKey: '[redacted]',
      sessionToken: '[redacted]',
      region: 'eu-west-1',
    });
  });
});

describe('Bedrock error mapping (x-amzn-ErrorType)', () => {
  const cases: Array<[string, string, number]> = [
    ['AccessDeniedException', 'auth', 403],
    ['UnrecognizedClientException', 'auth', 403],
    ['ValidationException', 'invalid_request', 400],
    ['ResourceNotFoundException', 'invalid_request', 404],
    ['ThrottlingException', 'rate_limited', 429],
    ['ServiceQuotaExceededException', 'quota_exceeded', 400],
    ['ModelNotReadyException', 'unavailable', 429],
    ['ModelErrorException', 'unavailable', 424],
    ['ModelTimeoutException', 'timeout', 408],
    ['InternalServerException', 'unavailable', 500],
    ['ServiceUnavailableException', 'unavailable', 503],
  ];
  for (const [type, code, status] of cases) {
    it(`${type} → ${code}`, async () => {
      simulator.enqueue({ error: bedrockError(type) });
      const error = await failure(model().generate({ messages: user }));
      expect(error).toMatchObject({ code, status, vendorCode: type, provider: 'bedrock-main', vendor: 'bedrock' });
      expect(simulator.requestsTo(conversePath)).toHaveLength(1);
    });
  }

  it('ValidationException "Input is too long" → context_length', async () => {
    simulator.enqueue({ error: bedrockError('ValidationException', 'Input is too long for requested model.') });
    expect((await failure(model().generate({ messages: user }))).code).toBe('context_length');
  });

  it('429 with Retry-After → rate_limited with retryAfterMs', async () => {
    simulator.inject({ type: 'status', status: 429, retryAfterSeconds: 3 });
    const error = await failure(model().generate({ messages: user }));
    expect(error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 3000,
      vendorCode: 'ThrottlingException',
    });
  });

  it('reset → connection; malformed 200 → unavailable; hang + abort → aborted', async () => {
    simulator.inject({ type: 'reset' });
    expect((await failure(model().generate({ messages: user }))).code).toBe('connection');
    simulator.inject({ type: 'malformed' });
    expect((await failure(model().generate({ messages: user }))).code).toBe('unavailable');
    simulator.inject({ type: 'hang' });
    expect((await failure(model().generate({ messages: user }, { signal: abortAfter(50) }))).code).toBe('aborted');
  });

  for (const [exception, code] of [
    ['throttlingException', 'rate_limited'],
    ['serviceUnavailableException', 'unavailable'],
    ['modelStreamErrorException', 'unavailable'],
    ['validationException', 'invalid_request'],
    ['internalServerException', 'unavailable'],
  ] as const) {
    it(`an in-stream ${exception} before any part → ${code}; after a part → stream_cut`, async () => {
      simulator.enqueue({ text: 'one two three', streamErrorAfter: 1 });
      simulator.failStreamWith(exception);
      const early = await failure(model().stream({ messages: user }));
      expect(early).toMatchObject({ code, provider: 'bedrock-main' });
      simulator.enqueue({ text: 'one two three', streamErrorAfter: 3 });
      simulator.failStreamWith(exception);
      const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
      expect(parts.length).toBeGreaterThan(0);
      expect(error).toMatchObject({ code: 'stream_cut', retryable: true });
    });
  }

  it('a stream cut between frames → stream_cut, never a short success', async () => {
    simulator.respondWith({ text: 'one two three four five' });
    simulator.inject({ type: 'stream-cut', afterChunks: 4 });
    const { parts, error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error.code).toBe('stream_cut');
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
  });

  it('a stream cut after messageStop but before metadata → stream_cut', async () => {
    simulator.respondWith({ text: 'a b' });
    // messageStart, 'a ', 'b', contentBlockStop, messageStop: cut before metadata.
    simulator.inject({ type: 'stream-cut', afterChunks: 5 });
    const { error } = await collectUntilFailure((await model().stream({ messages: user })).stream);
    expect(error.code).toBe('stream_cut');
  });

  it('abort mid-stream → aborted', async () => {
    simulator.respondWith({ text: 'one two three four five six seven eight', intervalMs: 30 });
    expect((await abortMidStream(model())).code).toBe('aborted');
  });
});
