import { sendJson } from '../framework/index.js';
import {
  createLanguageModelSimulator,
  headerValue,
  type LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
} from '../openai/llm-script.js';
import { bedrockConverseRoutes, bedrockError } from './bedrock-converse-routes.js';

export {
  LanguageModelSimulator,
  type LanguageModelSimulatorOptions,
  type ScriptedResponse,
  type ScriptedToolCall,
  type ScriptedUsage,
} from '../openai/llm-script.js';
export { bedrockError, bedrockErrorStatus } from './bedrock-converse-routes.js';
export { encodeEventStreamMessage } from './bedrock-event-stream.js';

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

const signature =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** What a SigV4 `Authorization` header says about who signed, and where for. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

/** Parses a SigV4 `Authorization` header; undefined when it is not one. */
export function parseSigV4Authorization(value: string | undefined): SigV4Scope | undefined {
  const match = value ? signature.exec(value) : null;
  if (!match) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders] = match as unknown as string[];
  return {
    accessKeyId: accessKeyId as string,
    date: date as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(';'),
  };
}

export interface BedrockSimulatorOptions extends Omit<LanguageModelSimulatorOptions, 'apiKeys'> {
  /** Access key ids whose SigV4 signatures the simulator accepts (default `['AKIDSIMULATOR']`). */
  accessKeyIds?: string[] | undefined;
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
 * simulator's region and the `bedrock` service (the signature itself is not recomputed).
 * Not started: `await sim.start()`, then use `endpoint: sim.url`.
 */
export function createBedrockSimulator(options: BedrockSimulatorOptions = {}): BedrockSimulator {
  const region = options.region ?? 'us-east-1';
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
        return scope.accessKeyId;
      },
      rejectKey: ({ response }) => {
        const error = bedrockError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
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
