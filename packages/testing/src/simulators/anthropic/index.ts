import { sendJson } from '../framework/index.js';
import {
  bearerToken,
  createLanguageModelSimulator,
  headerValue,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from '../openai/llm-script.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import { anthropicMessagesRoutes } from './anthropic-messages-routes.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from '../openai/llm-script.js';
export { anthropicErrorBody } from './anthropic-error-body.js';

/**
 * A simulated Anthropic API on 127.0.0.1: Messages (JSON and named SSE events)
 * and the models list. Authenticates `x-api-key` (or `Authorization: Bearer`).
 * Not started: `await sim.start()`, then use `baseURL: sim.url`.
 */
export function createAnthropicSimulator(options: LanguageModelSimulatorOptions = {}): LanguageModelSimulator {
  return createLanguageModelSimulator(options, {
    name: 'anthropic',
    defaultModels: ['claude-sonnet-5-5', 'claude-haiku-5-5'],
    routes: anthropicMessagesRoutes,
    errorBody: anthropicErrorBody,
    readKey: ({ request }) => headerValue(request, 'x-api-key') || bearerToken(request),
    rejectKey: ({ response }) => sendJson(response, 401, anthropicErrorBody(401, 'invalid x-api-key')),
  });
}
