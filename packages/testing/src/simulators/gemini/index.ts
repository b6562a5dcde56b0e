import { sendJson } from '../framework/index.js';
import { LanguageModelSimulator, type LanguageModelSimulatorOptions } from '../openai/llm-script.js';
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
  const simulator: LanguageModelSimulator = new LanguageModelSimulator({
    name: 'gemini',
    apiKeys: options.apiKeys,
    requireKey: options.requireKey,
    response: options.response,
    routes: geminiGenerateRoutes(() => simulator, options.models ?? ['gemini-2.5-flash', 'gemini-2.5-pro']),
    errorBody: (status, message) => geminiErrorBody(status, message),
    readKey: ({ request }) => {
      const header = request.headers['x-goog-api-key'];
      return (Array.isArray(header) ? header[0] : header) ?? request.query.get('key') ?? undefined;
    },
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
  return simulator;
}
