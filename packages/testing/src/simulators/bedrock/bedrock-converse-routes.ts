import { randomUUID } from 'node:crypto';
import { type SimulatorExchange, type SimulatorRoute, sendChunks, sendJson } from '../framework/index.js';
import {
  argumentsText,
  type LanguageModelSimulator,
  type ScriptedResponse,
  sendScriptedError,
  textDeltas,
  usageOf,
} from '../openai/llm-script.js';
import { converseEvent, converseException } from './bedrock-event-stream.js';

/** The HTTP status each Bedrock Runtime error type is sent with (from the service model). */
export const bedrockErrorStatus: Readonly<Record<string, number>> = {
  ValidationException: 400,
  ServiceQuotaExceededException: 400,
  ConflictException: 400,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelNotReadyException: 429,
  ThrottlingException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
};

/** A Bedrock error answer as `ScriptedResponse.error`: the type in `x-amzn-ErrorType`, the text in `message`. */
export function bedrockError(type: string, message = `simulated ${type}`): NonNullable<ScriptedResponse['error']> {
  return {
    status: bedrockErrorStatus[type] ?? 400,
    headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
    body: { message },
  };
}

function stopReason(response: ScriptedResponse): string {
  return response.finishReason ?? (response.toolCalls?.length ? 'tool_use' : 'end_turn');
}

/** Bedrock counts cache reads and writes apart from `inputTokens`. */
function converseUsage(response: ScriptedResponse) {
  const usage = usageOf(response);
  const cached = usage.cachedInputTokens || usage.cacheWriteInputTokens;
  return {
    inputTokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteInputTokens,
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    ...(cached
      ? { cacheReadInputTokens: usage.cachedInputTokens, cacheWriteInputTokens: usage.cacheWriteInputTokens }
      : {}),
  };
}

let sequence = 0;

function toolUseId(index: number, id: string | undefined): string {
  return id ?? `tooluse_sim${sequence}_${index}`;
}

function validationError(exchange: SimulatorExchange, message: string): true {
  const error = bedrockError('ValidationException', message);
  sendJson(exchange.response, error.status, error.body, error.headers);
  return true;
}

/** Bedrock's checks of a Converse body that the adapter's mapping must satisfy. */
function rejectsBody(exchange: SimulatorExchange, models: Set<string> | undefined): boolean {
  const body = exchange.request.json as { messages?: Array<{ role?: string; content?: unknown[] }> } | undefined;
  if (models && !models.has(exchange.params.modelId ?? '')) {
    return validationError(exchange, 'The provided model identifier is invalid.');
  }
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return validationError(
      exchange,
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  for (const [index, message] of messages.entries()) {
    if (message.role !== (index % 2 === 0 ? 'user' : 'assistant')) {
      return validationError(
        exchange,
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    if (!Array.isArray(message.content) || message.content.length === 0) {
      return validationError(
        exchange,
        `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
  }
  return false;
}

function* streamEvents(response: ScriptedResponse, inStreamException: string | undefined) {
  const events: Buffer[] = [converseEvent('messageStart', { role: 'assistant' })];
  let index = 0;
  const deltas = textDeltas(response.text ?? '', response.chunkSize);
  if (deltas.length) {
    for (const text of deltas)
      events.push(converseEvent('contentBlockDelta', { contentBlockIndex: index, delta: { text } }));
    events.push(converseEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  for (const [position, call] of (response.toolCalls ?? []).entries()) {
    events.push(
      converseEvent('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: toolUseId(position, call.id), name: call.name } },
      }),
    );
    for (const input of textDeltas(argumentsText(call.arguments), 8)) {
      events.push(converseEvent('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }));
    }
    events.push(converseEvent('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  events.push(converseEvent('messageStop', { stopReason: stopReason(response) }));
  events.push(converseEvent('metadata', { usage: converseUsage(response), metrics: { latencyMs: 42 } }));
  for (const [position, event] of events.entries()) {
    if (response.streamErrorAfter !== undefined && position === response.streamErrorAfter) {
      yield converseException(inStreamException ?? 'serviceUnavailableException', 'simulated in-stream failure');
      return;
    }
    yield event;
  }
}

export interface BedrockRouteOptions {
  /** Model ids the runtime accepts (default: any). */
  models?: string[] | undefined;
  /** The in-stream exception `streamErrorAfter` sends (default `serviceUnavailableException`). */
  streamException: () => string | undefined;
}

/** `POST /model/{modelId}/converse` (JSON) and `/converse-stream` (`application/vnd.amazon.eventstream`). */
export function bedrockConverseRoutes(
  simulator: () => LanguageModelSimulator,
  options: BedrockRouteOptions,
): SimulatorRoute[] {
  const models = options.models ? new Set(options.models) : undefined;
  return [
    {
      method: 'POST',
      path: '/model/:modelId/converse',
      handler: (exchange) => {
        if (rejectsBody(exchange, models)) return;
        const response = simulator().next();
        if (sendScriptedError(exchange, response)) return;
        const content: unknown[] = [];
        if (response.text) content.push({ text: response.text });
        for (const [index, call] of (response.toolCalls ?? []).entries()) {
          const input = typeof call.arguments === 'string' ? JSON.parse(call.arguments) : (call.arguments ?? {});
          content.push({ toolUse: { toolUseId: toolUseId(index, call.id), name: call.name, input } });
        }
        sequence++;
        sendJson(
          exchange.response,
          200,
          {
            output: { message: { role: 'assistant', content } },
            stopReason: stopReason(response),
            usage: converseUsage(response),
            metrics: { latencyMs: 42 },
          },
          { 'x-amzn-requestid': randomUUID() },
        );
      },
    },
    {
      method: 'POST',
      path: '/model/:modelId/converse-stream',
      handler: async (exchange) => {
        if (rejectsBody(exchange, models)) return;
        const response = simulator().next();
        if (sendScriptedError(exchange, response)) return;
        sequence++;
        await sendChunks(
          exchange,
          'application/vnd.amazon.eventstream',
          streamEvents(response, options.streamException()),
          {
            intervalMs: response.intervalMs,
            headers: { 'x-amzn-requestid': randomUUID() },
          },
        );
      },
    },
  ];
}
