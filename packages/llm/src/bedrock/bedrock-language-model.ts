import type { BedrockRuntimeClient, ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type {
  CredentialStore,
  LanguageModelRequest,
  LanguageModelStreamPart,
  LanguageModelUsage,
  PatchbayError,
  Secret,
} from '@patchbay/core';
import {
  ClientCache,
  type ConnectionCheck,
  defineProviderFactory,
  type ProviderFactory,
  type ProviderRuntime,
  type ResolvedCredentials,
} from '@patchbay/core/adapter';
import {
  type CallContext,
  LanguageModelAdapter,
  StreamEndedEarly,
  type VendorResult,
} from '../shared/language-model-adapter.js';
import { lazySdk } from '../shared/sdk.js';
import { ToolCallCollector, toToolCall } from '../shared/tool-calls.js';
import { malformedBodyError } from '../shared/vendor-errors.js';
import { bedrockServiceError, isAwsServiceError } from './bedrock-error.js';
import { fetchRequestHandler } from './bedrock-fetch-handler.js';
import { converseFinishReason, converseUsage, toConverseInput } from './bedrock-request.js';
import {
  type BedrockLanguageModelSettings,
  bedrockCredentials,
  bedrockLanguageModelSettingsSchema,
} from './bedrock-settings.js';

type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  region: string;
};

/** The optional `@aws-sdk/client-bedrock-runtime` package, loaded on first use, once. */
const sdk = lazySdk('@aws-sdk/client-bedrock-runtime', () => import('@aws-sdk/client-bedrock-runtime'));

export interface BedrockLanguageModelOptions {
  /** Provider id within a configuration (default `bedrock`). */
  id?: string | undefined;
  region?: string | undefined;
  accessKeyId?: string | Secret | undefined;
  secretAccessKey?: string | Secret | undefined;
  sessionToken?: string | Secret | undefined;
  model: string;
  endpoint?: string | undefined;
  fetch?: typeof globalThis.fetch | undefined;
  credentialStore?: CredentialStore | undefined;
  env?: Readonly<Record<string, string | undefined>> | false | undefined;
}

/**
 * A model on AWS Bedrock through the Converse API, with the official
 * `@aws-sdk/client-bedrock-runtime` (SigV4, the event-stream decoder) and its
 * retries off: routing owns retries.
 */
export class BedrockLanguageModel extends LanguageModelAdapter<BedrockLanguageModelSettings, Credentials> {
  // Converse has no JSON output mode; a `responseFormat` becomes a warning.
  readonly capabilities = { streaming: true, tools: true, images: true, jsonOutput: false };
  readonly #clients = new ClientCache<BedrockRuntimeClient>();

  constructor(id: string, settings: unknown, runtime: ProviderRuntime) {
    super({
      id,
      vendor: 'bedrock',
      schema: bedrockLanguageModelSettingsSchema,
      settings,
      credentials: bedrockCredentials,
      runtime,
    });
  }

  /**
   * One client per (credentials, region, endpoint). Every option the SDK would
   * otherwise look up (credentials, region, retries, FIPS/dual-stack, app id,
   * auth scheme, defaults mode) is given, so it never reads `~/.aws`, the
   * environment or instance metadata: our credential chain is the only one.
   */
  #client(settings: BedrockLanguageModelSettings, credentials: ResolvedCredentials<Credentials>) {
    const { accessKeyId, secretAccessKey, sessionToken, region } = credentials.values;
    return this.#clients.get([accessKeyId, secretAccessKey, sessionToken, region, settings.endpoint], async () => {
      const { BedrockRuntimeClient } = await sdk.load();
      return new BedrockRuntimeClient({
        region,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
        maxAttempts: 1,
        retryMode: 'standard',
        useFipsEndpoint: false,
        useDualstackEndpoint: false,
        userAgentAppId: 'patchbay',
        authSchemePreference: ['sigv4'],
        defaultsMode: 'standard',
        requestHandler: fetchRequestHandler(this.runtime.fetch),
      });
    });
  }

  protected mapError(error: unknown, context: { signal: AbortSignal | undefined; secrets: string[] }): PatchbayError {
    const target = { provider: this.id, vendor: this.vendor, secrets: context.secrets };
    if (context.signal?.aborted) return this.toError(error, context.signal);
    if (isAwsServiceError(error)) {
      // An answer the SDK could not parse carries its 200 status: a malformed body, not a vendor error.
      if (error.$metadata?.httpStatusCode === 200) return malformedBodyError(target);
      return bedrockServiceError(error, target);
    }
    if (error instanceof SyntaxError) return malformedBodyError(target);
    return this.toError(error, context.signal);
  }

  protected async doGenerate(
    request: LanguageModelRequest,
    context: CallContext<BedrockLanguageModelSettings, Credentials>,
  ): Promise<VendorResult> {
    const client = await this.#client(context.settings, context.credentials);
    const { ConverseCommand } = await sdk.load();
    const input = toConverseInput(request, context.model, context.warnings);
    const output = await client.send(new ConverseCommand(input), { abortSignal: context.signal });
    const content = output.output?.message?.content;
    if (!Array.isArray(content)) throw new SyntaxError('converse answer without message content');
    let text = '';
    const toolCalls = [];
    for (const block of content) {
      if (block.text !== undefined) text += block.text;
      else if (block.toolUse) {
        toolCalls.push(
          toToolCall({
            toolCallId: block.toolUse.toolUseId ?? '',
            toolName: block.toolUse.name ?? '',
            input: block.toolUse.input ?? {},
          }),
        );
      }
    }
    return {
      text,
      toolCalls,
      finishReason: converseFinishReason(output.stopReason),
      usage: converseUsage(output.usage),
      model: context.model,
      responseId: output.$metadata.requestId,
    };
  }

  protected async doStream(
    request: LanguageModelRequest,
    context: CallContext<BedrockLanguageModelSettings, Credentials>,
  ): Promise<AsyncIterable<LanguageModelStreamPart>> {
    const client = await this.#client(context.settings, context.credentials);
    const { ConverseStreamCommand } = await sdk.load();
    const input = toConverseInput(request, context.model, context.warnings);
    const output = await client.send(new ConverseStreamCommand(input), { abortSignal: context.signal });
    if (!output.stream) throw new SyntaxError('converse-stream answer without a stream');
    return this.#parts(output.stream);
  }

  async *#parts(stream: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<LanguageModelStreamPart> {
    const tools = new ToolCallCollector();
    let stopReason: string | undefined;
    let usage: LanguageModelUsage | undefined;
    for await (const event of stream) {
      if (event.contentBlockStart?.start?.toolUse) {
        const { toolUseId, name } = event.contentBlockStart.start.toolUse;
        yield tools.start(event.contentBlockStart.contentBlockIndex ?? 0, toolUseId ?? '', name ?? '');
      } else if (event.contentBlockDelta) {
        const { delta, contentBlockIndex = 0 } = event.contentBlockDelta;
        if (delta?.text) yield { type: 'text-delta', delta: delta.text };
        else if (delta?.toolUse?.input) {
          const part = tools.delta(contentBlockIndex, delta.toolUse.input);
          if (part) yield part;
        }
      } else if (event.contentBlockStop) {
        const call = tools.finish(event.contentBlockStop.contentBlockIndex ?? 0);
        if (call) yield call;
      } else if (event.messageStop) {
        stopReason = event.messageStop.stopReason ?? 'end_turn';
      } else if (event.metadata) {
        usage = converseUsage(event.metadata.usage);
        yield { type: 'usage', usage };
      }
    }
    // The decoder ends quietly when the connection closes between frames: messageStop and metadata are the proof.
    if (!stopReason) throw new StreamEndedEarly('messageStop');
    if (!usage) throw new StreamEndedEarly('its metadata event');
    yield* tools.finishAll();
    yield { type: 'finish', finishReason: converseFinishReason(stopReason), usage };
  }

  /**
   * A one-token Converse with the configured model. Bedrock has no free call
   * that proves what a real call needs: `ListFoundationModels` is the control
   * plane (another client, another IAM action, and it says nothing about
   * access to this model), and `CountTokens` supports only some models and
   * needs its own permission. One output token proves the credentials, the
   * region and `bedrock:InvokeModel` on this model, for a handful of tokens.
   */
  protected async checkConnection(context: {
    settings: BedrockLanguageModelSettings;
    credentials: ResolvedCredentials<Credentials>;
    signal: AbortSignal | undefined;
  }): Promise<ConnectionCheck> {
    return this.mapFailures(context, async () => {
      const client = await this.#client(context.settings, context.credentials);
      const { ConverseCommand } = await sdk.load();
      const output = await client.send(
        new ConverseCommand({
          modelId: context.settings.model,
          messages: [{ role: 'user', content: [{ text: 'ping' }] }],
          inferenceConfig: { maxTokens: 1 },
        }),
        { abortSignal: context.signal },
      );
      return {
        details: {
          model: context.settings.model,
          region: context.credentials.values.region,
          stopReason: output.stopReason,
        },
      };
    });
  }
}

/**
 * A Bedrock language model. Constructing never throws for missing credentials:
 * they resolve per call (settings, tenant store, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`, `AWS_REGION`).
 */
export function createBedrockLanguageModel(options: BedrockLanguageModelOptions): BedrockLanguageModel {
  const { id = 'bedrock', fetch, credentialStore, env, ...settings } = options;
  return new BedrockLanguageModel(id, settings, { fetch, credentialStore, env });
}

/** Builds Bedrock language models from configuration (`{ kind: 'llm', vendor: 'bedrock' }`). */
export const bedrockLanguageModelFactory: ProviderFactory<BedrockLanguageModel> = defineProviderFactory({
  kind: 'llm',
  vendor: 'bedrock',
  label: 'AWS Bedrock (language models)',
  docsUrl: 'https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html',
  create: ({ id, settings, runtime }) => new BedrockLanguageModel(id, settings, runtime),
});
