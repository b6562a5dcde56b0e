import { sendJson } from '../framework/index.js';
import {
  bearerToken,
  createLanguageModelSimulator,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from './llm-script.js';
import { openaiAudioRoutes } from './openai-audio-routes.js';
import { openaiChatRoutes } from './openai-chat-routes.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from './llm-script.js';

const errorTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export function openaiErrorBody(status: number, message: string): unknown {
  const known = errorTypes[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  return { error: { message, type: known.type, param: null, code: known.code } };
}

export interface OpenAISimulatorOptions extends LanguageModelSimulatorOptions {
  /** Options of the audio (speech) routes. */
  audio?: Parameters<typeof openaiAudioRoutes>[0] | undefined;
}

/**
 * A simulated OpenAI API on 127.0.0.1: Chat Completions (JSON and SSE), the
 * models list, and the audio routes. Authenticates `Authorization: Bearer` keys.
 * Not started: `await sim.start()`, then point the SDK's `baseURL` at `${sim.url}/v1`.
 */
export function createOpenAISimulator(options: OpenAISimulatorOptions = {}): LanguageModelSimulator {
  return createLanguageModelSimulator(options, {
    name: 'openai',
    defaultModels: ['gpt-4o-mini', 'gpt-4o'],
    routes: (simulator, models) => [...openaiChatRoutes(simulator, models), ...openaiAudioRoutes(options.audio)],
    errorBody: openaiErrorBody,
    headers: { 'openai-version': '2020-10-01' },
    readKey: ({ request }) => bearerToken(request),
    rejectKey: ({ response }) =>
      sendJson(
        response,
        401,
        openaiErrorBody(
          401,
          'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
        ),
      ),
  });
}
