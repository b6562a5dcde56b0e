import { type SimulatorExchange, type SimulatorRoute, sendJson } from '../framework/index.js';
import {
  type LanguageModelSimulator,
  type ScriptedResponse,
  sendScriptedError,
  textDeltas,
  usageOf,
  writeEventStream,
} from '../openai/llm-script.js';
import { geminiErrorBody } from './gemini-error-body.js';

let sequence = 0;

function finishReason(response: ScriptedResponse): string {
  return response.finishReason ?? 'STOP';
}

function usageMetadata(response: ScriptedResponse) {
  const counts = usageOf(response);
  return {
    promptTokenCount: counts.inputTokens,
    candidatesTokenCount: counts.outputTokens,
    totalTokenCount: counts.inputTokens + counts.outputTokens,
    ...(counts.cachedInputTokens ? { cachedContentTokenCount: counts.cachedInputTokens } : {}),
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

/** Stream chunks: one per text delta, the function calls whole, then the finish reason with the usage. */
function* chunks(response: ScriptedResponse, model: string, id: string) {
  for (const delta of textDeltas(response.text ?? '', response.chunkSize)) {
    yield { data: JSON.stringify(answer([{ text: delta }], model, id)) };
  }
  const calls = functionCallParts(response);
  yield {
    data: JSON.stringify({
      ...answer(calls.length ? calls : [{ text: '' }], model, id, { finishReason: finishReason(response) }),
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
      const parts = [...(response.text ? [{ text: response.text }] : []), ...functionCallParts(response)];
      sendJson(exchange.response, 200, {
        ...answer(parts, model, id, { finishReason: finishReason(response) }),
        usageMetadata: usageMetadata(response),
      });
      return;
    }
    await writeEventStream(exchange, chunks(response, model, id), { intervalMs: response.intervalMs });
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
