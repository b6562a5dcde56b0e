import type { CredentialStore, LanguageModel, Secret } from '@patchbay/core';
import {
  defineProviderFactory,
  PatchbayError,
  type ProviderFactory,
  type ProviderRuntime,
  relayingFetch,
} from '@patchbay/core/adapter';
import {
  type ChatClientFactory,
  ChatCompletionsLanguageModel,
  type ChatModelInit,
} from '../shared/chat-completions-language-model.js';
import { noTimeout } from '../shared/sdk.js';
import { azureOpenaiApiError } from './azure-openai-error.js';
import {
  type AzureOpenAILanguageModelSettings,
  azureOpenaiCredentials,
  azureOpenaiEndpointEnv,
  azureOpenaiLanguageModelSettingsSchema,
} from './azure-openai-settings.js';

export interface AzureOpenAILanguageModelOptions {
  /** Provider id within a configuration (default `azure-openai`). */
  id?: string | undefined;
  /** `https://<resource>.openai.azure.com` (or `resourceName`); else `AZURE_OPENAI_ENDPOINT`. */
  endpoint?: string | undefined;
  resourceName?: string | undefined;
  /** The deployment a request without `model` goes to. */
  deployment: string;
  /** Default `2024-10-21`. */
  apiVersion?: string | undefined;
  apiKey?: string | Secret | undefined;
  /** An Entra ID access token (Bearer), used when there is no `apiKey`. */
  bearerToken?: string | Secret | undefined;
  headers?: Record<string, string> | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

type Credentials = { apiKey?: string | undefined; bearerToken?: string | undefined };

export type AzureOpenAILanguageModel = LanguageModel &
  ChatCompletionsLanguageModel<AzureOpenAILanguageModelSettings, Credentials>;

/** The resource endpoint: the setting, then the resource name, then `AZURE_OPENAI_ENDPOINT` (a URL, or nothing). */
function endpointOf(settings: AzureOpenAILanguageModelSettings, runtime: ProviderRuntime): string | undefined {
  if (settings.endpoint) return settings.endpoint;
  if (settings.resourceName) return `https://${settings.resourceName}.openai.azure.com`;
  const env = runtime.env === false ? undefined : (runtime.env ?? process.env);
  const fromEnv = env?.[azureOpenaiEndpointEnv];
  return fromEnv && URL.canParse(fromEnv) ? fromEnv : undefined;
}

function notConfigured(missing: string, tried: string): PatchbayError {
  return new PatchbayError({
    code: 'not_configured',
    message: `Azure OpenAI needs ${missing} (${tried})`,
    details: { missing: [missing] },
  });
}

/**
 * The SDK's `AzureOpenAI` client, every option given explicitly so that the
 * SDK reads no environment variable of its own (`OPENAI_BASE_URL`,
 * `OPENAI_API_VERSION`, `OPENAI_ORG_ID`…): credentials come only from our chain.
 */
const azureClient: ChatClientFactory<AzureOpenAILanguageModelSettings, Credentials> = {
  parts: (settings, credentials, runtime) => [
    credentials.values.apiKey,
    credentials.values.bearerToken,
    endpointOf(settings, runtime),
    settings.apiVersion,
    JSON.stringify(settings.headers),
  ],
  create: ({ AzureOpenAI }, settings, credentials, runtime) => {
    const endpoint = endpointOf(settings, runtime);
    if (!endpoint) throw notConfigured('an endpoint', 'endpoint, resourceName, AZURE_OPENAI_ENDPOINT');
    const { apiKey, bearerToken } = credentials.values;
    if (!apiKey && !bearerToken) {
      throw notConfigured(
        'an API key or an Entra ID token',
        'apiKey, AZURE_OPENAI_API_KEY, bearerToken, AZURE_OPENAI_AD_TOKEN',
      );
    }
    return new AzureOpenAI({
      // The key goes as `api-key`; without one, the token as `Authorization: Bearer`. `null`, not
      // `undefined`, so the SDK does not fall back to AZURE_OPENAI_API_KEY from the process.
      apiKey: (apiKey ?? null) as string | undefined,
      ...(apiKey ? {} : { azureADTokenProvider: async () => bearerToken as string }),
      baseURL: `${endpoint.replace(/\/+$/, '')}/openai`,
      apiVersion: settings.apiVersion,
      organization: null,
      project: null,
      webhookSecret: null,
      adminAPIKey: null,
      maxRetries: 0,
      timeout: noTimeout,
      logLevel: 'off',
      // The call's signal travels through fetch: see `SignalRelay`.
      fetch: relayingFetch(runtime.fetch),
      ...(settings.headers ? { defaultHeaders: settings.headers } : {}),
    });
  },
};

function build(id: string, settings: unknown, runtime: ProviderRuntime): AzureOpenAILanguageModel {
  return new ChatCompletionsLanguageModel({
    id,
    vendor: 'azure-openai',
    schema: azureOpenaiLanguageModelSettingsSchema as ChatModelInit<AzureOpenAILanguageModelSettings>['schema'],
    settings,
    credentials: azureOpenaiCredentials as ChatModelInit<AzureOpenAILanguageModelSettings, Credentials>['credentials'],
    runtime,
    dialect: { maxTokensField: 'max_completion_tokens', providerOptionsKey: 'azure-openai' },
    // Azure sends the usage chunk when asked (api-version 2024-10-21 and later).
    requireUsageChunk: true,
    capabilities: { streaming: true, tools: true, images: true, jsonOutput: true },
    client: azureClient,
    apiError: azureOpenaiApiError,
  });
}

/**
 * A model deployed on Azure OpenAI (Chat Completions through the `openai`
 * SDK's `AzureOpenAI` client, retries off). Requests go to
 * `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`.
 * Constructing never throws for missing credentials: they resolve per call.
 */
export function createAzureOpenAILanguageModel(options: AzureOpenAILanguageModelOptions): AzureOpenAILanguageModel {
  const { id = 'azure-openai', fetch, credentialStore, env, ...settings } = options;
  return build(id, settings, { fetch, credentialStore, env });
}

/** Builds Azure OpenAI language models from configuration (`{ kind: 'llm', vendor: 'azure-openai' }`). */
export const azureOpenaiLanguageModelFactory: ProviderFactory<AzureOpenAILanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'azure-openai',
  label: 'Azure OpenAI (language models)',
  docsUrl: 'https://learn.microsoft.com/azure/ai-services/openai/reference',
  create: ({ id, settings, runtime }) => build(id, settings, runtime),
});
