import { type SimulatorExchange, sendJson } from '../framework/index.js';
import {
  bearerToken,
  createLanguageModelSimulator,
  headerValue,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from '../openai/llm-script.js';
import { openaiChatRoutes } from '../openai/openai-chat-routes.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from '../openai/llm-script.js';

/**
 * Azure OpenAI's error body. Unlike OpenAI's, `code` is often the status as a
 * string (`"401"`, `"429"`), and a content filter refusal adds `innererror`.
 */
export function azureOpenaiErrorBody(status: number, message: string): unknown {
  return { error: { code: String(status), message } };
}

const safe = { filtered: false, severity: 'safe' };
const filterResults = { hate: safe, self_harm: safe, sexual: safe, violence: safe };

/**
 * The 400 Azure answers when its content filter blocks a prompt
 * (`code: content_filter`, `innererror.code: ResponsibleAIPolicyViolation`).
 */
export function azureOpenaiContentFilterBody(): unknown {
  return {
    error: {
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
      type: null,
      param: 'prompt',
      code: 'content_filter',
      status: 400,
      innererror: {
        code: 'ResponsibleAIPolicyViolation',
        content_filter_result: { ...filterResults, violence: { filtered: true, severity: 'medium' } },
      },
    },
  };
}

export interface AzureOpenAISimulatorOptions extends LanguageModelSimulatorOptions {
  /** Deployments that exist (default `['gpt-4o-mini']`); another name answers 404 `DeploymentNotFound`. */
  deployments?: string[] | undefined;
  /** Entra ID access tokens accepted as `Authorization: Bearer` (default none). */
  bearerTokens?: string[] | undefined;
}

/**
 * A simulated Azure OpenAI resource on 127.0.0.1:
 * `POST /openai/deployments/{deployment}/chat/completions?api-version=…` (JSON and SSE,
 * with Azure's prompt and completion filter results) and `GET /openai/models`.
 * Authenticates the `api-key` header, or `Authorization: Bearer` for Entra ID tokens.
 * Not started: `await sim.start()`, then use `endpoint: sim.url`.
 */
export function createAzureOpenAISimulator(options: AzureOpenAISimulatorOptions = {}): LanguageModelSimulator {
  const deployments = new Set(options.deployments ?? ['gpt-4o-mini']);
  const bearerTokens = new Set(options.bearerTokens ?? []);
  const precheck = (exchange: SimulatorExchange): boolean => {
    if (!exchange.request.query.get('api-version')) {
      sendJson(exchange.response, 404, { error: { code: '404', message: 'Resource not found' } });
      return true;
    }
    if (exchange.params.deployment !== undefined && !deployments.has(exchange.params.deployment)) {
      sendJson(exchange.response, 404, {
        error: {
          code: 'DeploymentNotFound',
          message:
            'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        },
      });
      return true;
    }
    return false;
  };
  return createLanguageModelSimulator(options, {
    name: 'azure-openai',
    defaultModels: ['gpt-4o-mini', 'gpt-4o'],
    routes: (simulator, models) => {
      const [chat, list] = openaiChatRoutes(simulator, models, {
        chatPath: '/openai/deployments/:deployment/chat/completions',
        modelsPath: '/openai/models',
        precheck,
        completionExtras: { prompt_filter_results: [{ prompt_index: 0, content_filter_results: filterResults }] },
        leadingChunk: {
          object: '',
          choices: [],
          prompt_filter_results: [{ prompt_index: 0, content_filter_results: filterResults }],
        },
      });
      if (!chat || !list) throw new Error('the Chat Completions routes changed');
      return [chat, { ...list, handler: (exchange) => (precheck(exchange) ? undefined : list.handler(exchange)) }];
    },
    errorBody: azureOpenaiErrorBody,
    headers: { 'apim-request-id': 'sim-apim', 'x-ms-region': 'Sweden Central' },
    // The key check accepts `apiKeys`; a known Entra token stands for the first of them.
    readKey: ({ request }) => {
      const token = bearerToken(request);
      if (token === undefined) return headerValue(request, 'api-key');
      return bearerTokens.has(token) ? (options.apiKeys ?? ['test-key'])[0] : undefined;
    },
    rejectKey: ({ response }) =>
      sendJson(
        response,
        401,
        azureOpenaiErrorBody(
          401,
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        ),
      ),
  });
}
