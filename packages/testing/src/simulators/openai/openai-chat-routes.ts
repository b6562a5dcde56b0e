import { type SimulatorExchange, type SimulatorRoute, sendJson } from '../framework/index.js';
import {
  argumentsText,
  type LanguageModelSimulator,
  type ScriptedResponse,
  sendScriptedError,
  textDeltas,
  usageOf,
  writeEventStream,
} from './llm-script.js';

let sequence = 0;

function completionUsage(response: ScriptedResponse) {
  const usage = usageOf(response);
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function finishReason(response: ScriptedResponse): string {
  return response.finishReason ?? (response.toolCalls?.length ? 'tool_calls' : 'stop');
}

function toolCallId(index: number, id: string | undefined): string {
  return id ?? `call_sim_${sequence}_${index}`;
}

/** The chat completion object of a non-streaming answer. */
function completion(response: ScriptedResponse, model: string, id: string) {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: response.text ?? null,
          refusal: null,
          annotations: [],
          ...(response.toolCalls?.length
            ? {
                tool_calls: response.toolCalls.map((call, index) => ({
                  id: toolCallId(index, call.id),
                  type: 'function',
                  function: { name: call.name, arguments: argumentsText(call.arguments) },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: finishReason(response),
      },
    ],
    usage: completionUsage(response),
    service_tier: 'default',
    system_fingerprint: null,
  };
}

/** The `data:` chunks of a streamed answer, ending with the usage chunk when asked for and `[DONE]`. */
function* chunks(response: ScriptedResponse, model: string, id: string, includeUsage: boolean, leadingChunk: unknown) {
  const created = Math.floor(Date.now() / 1000);
  if (leadingChunk !== undefined) yield { data: JSON.stringify({ id: '', created: 0, model: '', ...leadingChunk }) };
  const chunk = (delta: unknown, finish: string | null = null) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    });
  yield { data: chunk({ role: 'assistant', content: '', refusal: null }) };
  for (const delta of textDeltas(response.text ?? '', response.chunkSize)) yield { data: chunk({ content: delta }) };
  for (const [index, call] of (response.toolCalls ?? []).entries()) {
    yield {
      data: chunk({
        tool_calls: [
          { index, id: toolCallId(index, call.id), type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    };
    for (const piece of textDeltas(argumentsText(call.arguments), 8)) {
      yield { data: chunk({ tool_calls: [{ index, function: { arguments: piece } }] }) };
    }
  }
  yield { data: chunk({}, finishReason(response)) };
  if (includeUsage) {
    yield {
      data: JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        system_fingerprint: null,
        choices: [],
        usage: completionUsage(response),
      }),
    };
  }
  yield { data: '[DONE]' };
}

/** Where a flavour of the Chat Completions API serves it, and what it adds. */
export interface ChatRouteOptions {
  /** Default `/v1/chat/completions`. */
  chatPath?: string | undefined;
  /** Default `/v1/models`. */
  modelsPath?: string | undefined;
  /** Checks the request first (Azure's `api-version`); true when it answered. */
  precheck?: ((exchange: SimulatorExchange) => boolean) | undefined;
  /** Extra members of a non-streamed completion (Azure's content filter results). */
  completionExtras?: Record<string, unknown> | undefined;
  /** A chunk sent before the first one (Azure's prompt filter results, with no choices). */
  leadingChunk?: Record<string, unknown> | undefined;
}

/** `POST /v1/chat/completions` (JSON and SSE) and `GET /v1/models`, as the Chat Completions API answers. */
export function openaiChatRoutes(
  simulator: () => LanguageModelSimulator,
  models: string[],
  options: ChatRouteOptions = {},
): SimulatorRoute[] {
  return [
    {
      method: 'POST',
      path: options.chatPath ?? '/v1/chat/completions',
      handler: async (exchange: SimulatorExchange) => {
        const body = (exchange.request.json ?? {}) as {
          model?: string;
          stream?: boolean;
          stream_options?: { include_usage?: boolean };
        };
        if (options.precheck?.(exchange)) return;
        const response = simulator().next();
        if (sendScriptedError(exchange, response)) return;
        const model = body.model ?? 'gpt-sim';
        const id = `chatcmpl-sim-${++sequence}`;
        exchange.response.setHeader('x-request-id', `req_sim_${sequence}`);
        if (!body.stream) {
          sendJson(exchange.response, 200, { ...completion(response, model, id), ...options.completionExtras });
          return;
        }
        await writeEventStream(
          exchange,
          chunks(response, model, id, body.stream_options?.include_usage === true, options.leadingChunk),
          {
            intervalMs: response.intervalMs,
          },
        );
      },
    },
    {
      method: 'GET',
      path: options.modelsPath ?? '/v1/models',
      handler: ({ response }) =>
        sendJson(response, 200, {
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })),
        }),
    },
  ];
}
