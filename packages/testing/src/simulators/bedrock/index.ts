import { sendJson } from '../framework/index.js';
import {
  createLanguageModelSimulator,
  headerValue,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from '../openai/llm-script.js';
import { bedrockConverseRoutes, bedrockError } from './bedrock-converse-routes.js';
import { parseSigV4Authorization, verifySigV4 } from './bedrock-sigv4.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from '../openai/llm-script.js';
export { bedrockError, bedrockErrorStatus } from './bedrock-converse-routes.js';
export { encodeEventStreamMessage } from './bedrock-event-stream.js';
export { parseSigV4Authorization, type SigV4Scope, verifySigV4 } from './bedrock-sigv4.js';

/** The error type the simulator names for a status fault (`x-amzn-ErrorType`). */
const typeByStatus: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

export interface BedrockSimulatorOptions extends Omit<LanguageModelSimulatorOptions, 'apiKeys'> {
  /** Access key ids whose SigV4 signatures the simulator accepts (default `['AKIDSIMULATOR']`). */
  accessKeyIds?: string[] | undefined;
  /**
   * Secret access keys by access key id: a request signed by one of these ids must carry the
   * signature this secret gives (else 403 `InvalidSignatureException`). Ids without one are checked
   * for the shape and scope of their signature only.
   */
  secretAccessKeys?: Record<string, string> | undefined;
  /** The region requests must be signed for (default `us-east-1`). */
  region?: string | undefined;
}

export type BedrockSimulator = LanguageModelSimulator & {
  /** The exception the next stream with `streamErrorAfter` sends (`throttlingException`, …). */
  failStreamWith(exceptionType: string): void;
};

/**
 * A simulated Bedrock Runtime on 127.0.0.1 for the real `@aws-sdk/client-bedrock-runtime`:
 * Converse (JSON) and ConverseStream (AWS event stream frames with CRC32s), errors
 * with `x-amzn-ErrorType`, and in-stream exception events. Requests must carry a
 * SigV4 `Authorization` whose credential scope names a known access key id, the
 * simulator's region and the `bedrock` service; with `secretAccessKeys`, the signature
 * itself is recomputed and must match.
 * Not started: `await sim.start()`, then use `endpoint: sim.url`.
 */
export function createBedrockSimulator(options: BedrockSimulatorOptions = {}): BedrockSimulator {
  const region = options.region ?? 'us-east-1';
  const secrets = new Map(Object.entries(options.secretAccessKeys ?? {}));
  let streamException: string | undefined;
  const simulator = createLanguageModelSimulator(
    { ...options, apiKeys: options.accessKeyIds ?? ['AKIDSIMULATOR'] },
    {
      name: 'bedrock',
      defaultModels: [],
      routes: (current) =>
        bedrockConverseRoutes(current, {
          models: options.models,
          streamException: () => {
            const type = streamException;
            streamException = undefined;
            return type;
          },
        }),
      errorBody: (_status, message) => ({ message }),
      errorHeaders: (status) => ({
        'x-amzn-errortype': `${typeByStatus[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException')}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      }),
      readKey: ({ request }) => {
        const scope = parseSigV4Authorization(headerValue(request, 'authorization'));
        if (!scope || scope.region !== region || scope.service !== 'bedrock' || !headerValue(request, 'x-amz-date')) {
          return undefined;
        }
        const secret = secrets.get(scope.accessKeyId);
        if (secret !== undefined && !verifySigV4(request, scope, secret)) return undefined;
        return scope.accessKeyId;
      },
      rejectKey: ({ request, response }) => {
        const scope = parseSigV4Authorization(headerValue(request, 'authorization'));
        const error =
          scope && secrets.has(scope.accessKeyId) && scope.region === region
            ? bedrockError(
                'InvalidSignatureException',
                'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
              )
            : bedrockError('UnrecognizedClientException', 'The security token included in the request is invalid.');
        sendJson(response, error.status, error.body, error.headers);
      },
    },
  );
  const reset = simulator.reset.bind(simulator);
  return Object.assign(simulator, {
    failStreamWith(exceptionType: string) {
      streamException = exceptionType;
    },
    reset() {
      reset();
      streamException = undefined;
    },
  });
}
