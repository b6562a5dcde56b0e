import { sendJson } from '../framework/index.js';
import {
  createLanguageModelSimulator,
  headerValue,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from '../openai/llm-script.js';
import { geminiErrorBody } from './gemini-error-body.js';
import { geminiGenerateRoutes } from './gemini-generate-routes.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from '../openai/llm-script.js';
export { geminiErrorBody } from './gemini-error-body.js';

/**
 * A simulated Gemini API on 127.0.0.1: generateContent, streamGenerateContent
 * (`alt=sse`) and the models list. Authenticates `x-goog-api-key` (or `?key=`);
 * like the real API, a wrong key is a 400 `INVALID_ARGUMENT` with reason
 * `API_KEY_INVALID`, not a 401. Not started: `await sim.start()`, then use
 * `httpOptions.baseUrl: sim.url`.
 */
export function createGeminiSimulator(options: LanguageModelSimulatorOptions = {}): LanguageModelSimulator {
  return createLanguageModelSimulator(options, {
    name: 'gemini',
    defaultModels: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    routes: geminiGenerateRoutes,
    errorBody: (status, message) => geminiErrorBody(status, message),
    readKey: ({ request }) => headerValue(request, 'x-goog-api-key') ?? request.query.get('key') ?? undefined,
    rejectKey: ({ response }) =>
      sendJson(
        response,
        400,
        geminiErrorBody(400, 'API key not valid. Please pass a valid API key.', [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ]),
      ),
  });
}
