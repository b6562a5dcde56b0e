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
import { geminiErrorBody } from './gemini-error-body.js';

let sequence = 0;

function finishReason(response: ScriptedResponse): string {
  return response.finishReason ?? 'STOP';
}

/** The last candidate's finish reason, and its continuation token when the script gives one. */
function finish(response: ScriptedResponse): Record<string, unknown> {
  return {
    finishReason: finishReason(response),
    ...(response.continuationToken ? { continuationToken: response.continuationToken } : {}),
  };
}

function usageMetadata(response: ScriptedResponse) {
  const counts = usageOf(response);
  // Thinking tokens are reported apart from `candidatesTokenCount`.
  return {
    promptTokenCount: counts.inputTokens,
    candidatesTokenCount: counts.outputTokens - counts.reasoningTokens,
    totalTokenCount: counts.inputTokens + counts.outputTokens,
    ...(counts.cachedInputTokens ? { cachedContentTokenCount: counts.cachedInputTokens } : {}),
    ...(counts.reasoningTokens ? { thoughtsTokenCount: counts.reasoningTokens } : {}),
  };
}

function functionCallParts(response: ScriptedResponse) {
  return (response.toolCalls ?? []).map((call) => ({
    functionCall: {
      ...(call.id ? { id: call.id } : {}),
      name: call.name,
      args: typeof call.arguments === 'string' ? JSON.parse(call.arguments) : (call.arguments ?? {}),
    },
  }));
}

function answer(parts: unknown[], model: string, id: string, extra: Record<string, unknown> = {}) {
  return {
    candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }],
    modelVersion: model,
    responseId: id,
  };
}

/** A prompt blocked before any candidate: 200, no candidates, `promptFeedback.blockReason`. */
function blocked(response: ScriptedResponse, model: string, id: string) {
  return {
    promptFeedback: { blockReason: response.promptBlockReason },
    usageMetadata: usageMetadata(response),
    modelVersion: model,
    responseId: id,
  };
}

/** The error chunk Google sends inside a stream (`{ error: { code, status, … } }`); by default its overload (503). */
function streamError(status = 503): { data: string } {
  return { data: JSON.stringify(geminiErrorBody(status, `simulated in-stream error ${status}`)) };
}

/** Stream chunks: one per text delta, the function calls whole, then the finish reason with the usage. */
function* chunks(response: ScriptedResponse, model: string, id: string) {
  if (response.promptBlockReason) {
    yield { data: JSON.stringify(blocked(response, model, id)) };
    return;
  }
  for (const delta of textDeltas(response.text ?? '', response.chunkSize)) {
    yield { data: JSON.stringify(answer([{ text: delta }], model, id)) };
  }
  const calls = functionCallParts(response);
  yield {
    data: JSON.stringify({
      ...answer(calls.length ? calls : [{ text: '' }], model, id, finish(response)),
      usageMetadata: usageMetadata(response),
    }),
  };
}

/**
 * `POST /v1beta/models/{model}:generateContent`, `…:streamGenerateContent?alt=sse`
 * and `GET /v1beta/models`, as the Gemini API answers.
 */
export function geminiGenerateRoutes(simulator: () => LanguageModelSimulator, models: string[]): SimulatorRoute[] {
  const generate = async (exchange: SimulatorExchange) => {
    const [model = '', method] = (exchange.params.action ?? '').split(':');
    if (method !== 'generateContent' && method !== 'streamGenerateContent') {
      sendJson(exchange.response, 404, geminiErrorBody(404, `Method ${method} not found`));
      return;
    }
    const response = simulator().next();
    if (sendScriptedError(exchange, response)) return;
    const id = `resp_sim_${++sequence}`;
    if (method === 'generateContent') {
      if (response.promptBlockReason) {
        sendJson(exchange.response, 200, blocked(response, model, id));
        return;
      }
      const parts = [...(response.text ? [{ text: response.text }] : []), ...functionCallParts(response)];
      sendJson(exchange.response, 200, {
        ...answer(parts, model, id, finish(response)),
        usageMetadata: usageMetadata(response),
      });
      return;
    }
    await writeEventStream(exchange, withStreamError(response, chunks(response, model, id), streamError), {
      intervalMs: response.intervalMs,
    });
  };
  return [
    { method: 'POST', path: '/v1beta/models/:action', handler: generate },
    {
      method: 'GET',
      path: '/v1beta/models',
      handler: ({ response }) =>
        sendJson(response, 200, {
          models: models.map((name) => ({
            name: `models/${name}`,
            displayName: name,
            supportedGenerationMethods: ['generateContent', 'countTokens'],
          })),
        }),
    },
  ];
}
