import { type SimulatorExchange, type SimulatorRoute, sendJson } from '../framework/index.js';
import {
  type LanguageModelSimulator,
  type ScriptedResponse,
  sendScriptedError,
  textDeltas,
  usageOf,
  withStreamError,
  writeEventStream,
} from '../openai/llm-script.js';
import { anthropicErrorBody } from './anthropic-error-body.js';

let sequence = 0;

function stopReason(response: ScriptedResponse): string {
  return response.finishReason ?? (response.toolCalls?.length ? 'tool_use' : 'end_turn');
}

function toolInput(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : (value ?? {});
}

function usage(response: ScriptedResponse) {
  const counts = usageOf(response);
  // Anthropic reports cache reads and writes apart from `input_tokens`.
  return {
    input_tokens: counts.inputTokens - counts.cachedInputTokens - counts.cacheWriteInputTokens,
    cache_read_input_tokens: counts.cachedInputTokens,
    cache_creation_input_tokens: counts.cacheWriteInputTokens,
    output_tokens: counts.outputTokens,
    service_tier: 'standard',
  };
}

function content(response: ScriptedResponse, id: number) {
  const blocks: unknown[] = [];
  if (response.text) blocks.push({ type: 'text', text: response.text, citations: null });
  for (const [index, call] of (response.toolCalls ?? []).entries()) {
    blocks.push({
      type: 'tool_use',
      id: call.id ?? `toolu_sim_${id}_${index}`,
      name: call.name,
      input: toolInput(call.arguments),
    });
  }
  return blocks;
}

function message(response: ScriptedResponse, model: string, id: number) {
  return {
    id: `msg_sim_${id}`,
    type: 'message',
    role: 'assistant',
    model,
    content: content(response, id),
    stop_reason: stopReason(response),
    stop_sequence: null,
    usage: usage(response),
  };
}

/** The named events of a streamed Messages answer, from `message_start` to `message_stop`. */
function* events(response: ScriptedResponse, model: string, id: number) {
  const event = (name: string, data: Record<string, unknown>) => ({
    event: name,
    data: JSON.stringify({ type: name, ...data }),
  });
  const full = usage(response);
  yield event('message_start', {
    message: { ...message(response, model, id), content: [], stop_reason: null, usage: { ...full, output_tokens: 1 } },
  });
  let index = 0;
  if (response.text) {
    yield event('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
    yield event('ping', {});
    for (const delta of textDeltas(response.text, response.chunkSize)) {
      yield event('content_block_delta', { index, delta: { type: 'text_delta', text: delta } });
    }
    yield event('content_block_stop', { index });
    index++;
  }
  for (const [callIndex, call] of (response.toolCalls ?? []).entries()) {
    yield event('content_block_start', {
      index,
      content_block: { type: 'tool_use', id: call.id ?? `toolu_sim_${id}_${callIndex}`, name: call.name, input: {} },
    });
    const json = JSON.stringify(toolInput(call.arguments));
    for (const piece of textDeltas(json, 8)) {
      yield event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    }
    yield event('content_block_stop', { index });
    index++;
  }
  yield event('message_delta', {
    delta: { stop_reason: stopReason(response), stop_sequence: null },
    usage: { output_tokens: full.output_tokens },
  });
  yield event('message_stop', {});
}

/** Anthropic's in-stream `event: error`: its mid-stream overload (529), or the error type of `status`. */
function streamError(status = 529): { event: string; data: string } {
  const message = status === 529 ? 'Overloaded' : `simulated in-stream error ${status}`;
  return { event: 'error', data: JSON.stringify(anthropicErrorBody(status, message)) };
}

/** `POST /v1/messages` (JSON and named SSE events) and `GET /v1/models`, as the Messages API answers. */
export function anthropicMessagesRoutes(simulator: () => LanguageModelSimulator, models: string[]): SimulatorRoute[] {
  return [
    {
      method: 'POST',
      path: '/v1/messages',
      handler: async (exchange: SimulatorExchange) => {
        const body = (exchange.request.json ?? {}) as { model?: string; stream?: boolean };
        const response = simulator().next();
        if (sendScriptedError(exchange, response)) return;
        const model = body.model ?? 'claude-sim';
        const id = ++sequence;
        exchange.response.setHeader('request-id', `req_sim_${id}`);
        if (!body.stream) {
          sendJson(exchange.response, 200, message(response, model, id));
          return;
        }
        await writeEventStream(exchange, withStreamError(response, events(response, model, id), streamError), {
          intervalMs: response.intervalMs,
        });
      },
    },
    {
      method: 'GET',
      path: '/v1/models',
      handler: ({ response }) =>
        sendJson(response, 200, {
          data: models.map((id) => ({
            type: 'model',
            id,
            display_name: id,
            created_at: '2026-01-01T00:00:00Z',
          })),
          has_more: false,
          first_id: models[0] ?? null,
          last_id: models.at(-1) ?? null,
        }),
    },
  ];
}
