import { sendJson } from '../framework/index.js';
import { LanguageModelSimulator, type LanguageModelSimulatorOptions } from '../openai/llm-script.js';
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
  const simulator: LanguageModelSimulator = new LanguageModelSimulator({
    name: 'anthropic',
    apiKeys: options.apiKeys,
    requireKey: options.requireKey,
    response: options.response,
    routes: anthropicMessagesRoutes(() => simulator, options.models ?? ['claude-sonnet-5-5', 'claude-haiku-5-5']),
    errorBody: anthropicErrorBody,
    readKey: ({ request }) => {
      const header = request.headers['x-api-key'];
      const key = Array.isArray(header) ? header[0] : header;
      if (key) return key;
      const authorization = request.headers.authorization;
      const value = Array.isArray(authorization) ? authorization[0] : authorization;
      return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
    },
    rejectKey: ({ response }) => sendJson(response, 401, anthropicErrorBody(401, 'invalid x-api-key')),
  });
  return simulator;
}
