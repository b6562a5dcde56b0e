import {
  type RecordedRequest,
  type SimulatorExchange,
  type SimulatorRoute,
  sendJson,
  VendorSimulator,
  type VendorSimulatorOptions,
} from '../framework/index.js';

/** A tool call the simulated model makes; `arguments` is sent as JSON text. */
export interface ScriptedToolCall {
  id?: string | undefined;
  name: string;
  arguments: unknown;
}

/** Token counts the simulated vendor reports (its own field names are filled from these). */
export interface ScriptedUsage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cachedInputTokens?: number | undefined;
  /**
   * Of `inputTokens`, those written to the prompt cache (Anthropic `cache_creation_input_tokens`,
   * Bedrock `cacheWriteInputTokens`: both report them apart from their own input count). Default 0.
   */
  cacheWriteInputTokens?: number | undefined;
  /** Of `outputTokens`, the model's thinking (Gemini `thoughtsTokenCount`, reported apart). Default 0. */
  reasoningTokens?: number | undefined;
}

/**
 * One scripted answer of a simulated language model. Shared by the OpenAI,
 * Anthropic and Gemini simulators; each renders it in its own wire format.
 */
export interface ScriptedResponse {
  text?: string | undefined;
  toolCalls?: ScriptedToolCall[] | undefined;
  usage?: ScriptedUsage | undefined;
  /** The vendor's own finish/stop reason; derived from the content when absent. */
  finishReason?: string | undefined;
  /** Characters per streamed text delta (default: one word per delta). */
  chunkSize?: number | undefined;
  /** Pause between streamed events, to make a stream slow enough to abort. */
  intervalMs?: number | undefined;
  /** Streams only: after this many events, send the vendor's in-stream error event (overloaded) and end. */
  streamErrorAfter?: number | undefined;
  /**
   * The HTTP status whose vendor error the `streamErrorAfter` event carries (Anthropic: the error type
   * of that status, e.g. 504 `timeout_error`; Gemini: e.g. 504 `DEADLINE_EXCEEDED`). Default: the
   * vendor's overload (Anthropic 529, Gemini 503).
   */
  streamErrorStatus?: number | undefined;
  /** Gemini: answer 200 with no candidate and `promptFeedback.blockReason` set to this (a blocked prompt). */
  promptBlockReason?: string | undefined;
  /**
   * Gemini: the (last) candidate carries this `continuationToken`, which asks a client with automatic
   * continuation on to request the rest (with `finishReason: 'CONTINUATION'`).
   */
  continuationToken?: string | undefined;
  /** Answer with this status and raw vendor body instead (e.g. OpenAI `insufficient_quota`). */
  error?: { status: number; body: unknown; headers?: Record<string, string> } | undefined;
}

export const defaultScriptedResponse: ScriptedResponse = {
  text: 'Hello from the simulator.',
  usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 0 },
};

export interface LanguageModelSimulatorOptions {
  /** API keys the simulator accepts (default `['test-key']`). */
  apiKeys?: string[] | undefined;
  /** False: accept requests with any key or none (a local OpenAI-compatible server). Default true. */
  requireKey?: boolean | undefined;
  /** The answer given when the queue is empty. */
  response?: ScriptedResponse | undefined;
  /** Model ids the models endpoint lists. */
  models?: string[] | undefined;
}

/** Splits text into stream deltas: one word (with its trailing space) per delta, or fixed-size slices. */
export function textDeltas(text: string, chunkSize?: number): string[] {
  if (!text) return [];
  if (chunkSize && chunkSize > 0) {
    const slices: string[] = [];
    for (let index = 0; index < text.length; index += chunkSize) slices.push(text.slice(index, index + chunkSize));
    return slices;
  }
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** Tool arguments as the JSON text vendors send. */
export function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

export function usageOf(response: ScriptedResponse): Required<ScriptedUsage> {
  const words = textDeltas(response.text ?? '').length;
  return {
    inputTokens: response.usage?.inputTokens ?? 12,
    outputTokens: response.usage?.outputTokens ?? Math.max(1, words),
    cachedInputTokens: response.usage?.cachedInputTokens ?? 0,
    cacheWriteInputTokens: response.usage?.cacheWriteInputTokens ?? 0,
    reasoningTokens: response.usage?.reasoningTokens ?? 0,
  };
}

/**
 * Stream items, cut short when the script asks for it: after `streamErrorAfter` items, the vendor's in-stream
 * error item for `streamErrorStatus` (`errorItem(undefined)`: the vendor's default), then the end.
 */
export function* withStreamError<T>(
  response: ScriptedResponse,
  source: Iterable<T>,
  errorItem: (status: number | undefined) => T,
): Generator<T> {
  let sent = 0;
  for (const item of source) {
    if (response.streamErrorAfter !== undefined && sent >= response.streamErrorAfter) {
      yield errorItem(response.streamErrorStatus);
      return;
    }
    yield item;
    sent++;
  }
}

/**
 * A VendorSimulator for a language model vendor: routes are wrapped with the
 * vendor's API-key check, and answers come from a script (a queue, then a default).
 */
export class LanguageModelSimulator extends VendorSimulator {
  readonly #queue: ScriptedResponse[] = [];
  #default: ScriptedResponse;
  readonly apiKeys: Set<string>;

  constructor(
    options: VendorSimulatorOptions & {
      apiKeys?: string[] | undefined;
      requireKey?: boolean | undefined;
      response?: ScriptedResponse | undefined;
      /** Returns the API key the request carries, or undefined. */
      readKey(exchange: SimulatorExchange): string | undefined;
      /** Sends the vendor's answer to a missing or wrong key. */
      rejectKey(exchange: SimulatorExchange): void;
    },
  ) {
    const apiKeys = new Set(options.apiKeys ?? ['test-key']);
    const routes: SimulatorRoute[] = options.routes.map((route) => ({
      ...route,
      handler: (exchange) => {
        const key = options.readKey(exchange);
        if (options.requireKey !== false && (key === undefined || !apiKeys.has(key)))
          return options.rejectKey(exchange);
        return route.handler(exchange);
      },
    }));
    super({ ...options, routes });
    this.apiKeys = apiKeys;
    this.#default = options.response ?? defaultScriptedResponse;
  }

  /** Sets the answer given whenever the queue is empty. */
  respondWith(response: ScriptedResponse): this {
    this.#default = response;
    return this;
  }

  /** Queues answers for the next requests, in order. */
  enqueue(...responses: ScriptedResponse[]): this {
    this.#queue.push(...responses);
    return this;
  }

  /** The answer for the request being handled. */
  next(): ScriptedResponse {
    return this.#queue.shift() ?? this.#default;
  }

  override reset(): void {
    super.reset();
    this.#queue.length = 0;
  }
}

/** How one vendor's API differs: its routes and default models, where its key travels, and its error bodies. */
export interface LanguageModelVendor {
  name: string;
  defaultModels: string[];
  /** The vendor's routes; `simulator` returns the simulator they belong to (it exists once they run). */
  routes(simulator: () => LanguageModelSimulator, models: string[]): SimulatorRoute[];
  errorBody: VendorSimulatorOptions['errorBody'];
  errorHeaders?: VendorSimulatorOptions['errorHeaders'];
  headers?: Record<string, string> | undefined;
  readKey(exchange: SimulatorExchange): string | undefined;
  rejectKey(exchange: SimulatorExchange): void;
}

/** A language model simulator for one vendor, with the caller's keys, default answer and models. */
export function createLanguageModelSimulator(
  options: LanguageModelSimulatorOptions,
  vendor: LanguageModelVendor,
): LanguageModelSimulator {
  const simulator: LanguageModelSimulator = new LanguageModelSimulator({
    name: vendor.name,
    apiKeys: options.apiKeys,
    requireKey: options.requireKey,
    response: options.response,
    routes: vendor.routes(() => simulator, options.models ?? vendor.defaultModels),
    errorBody: vendor.errorBody,
    errorHeaders: vendor.errorHeaders,
    headers: vendor.headers,
    readKey: vendor.readKey,
    rejectKey: vendor.rejectKey,
  });
  return simulator;
}

/** The first value of a request header. */
export function headerValue(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(request: RecordedRequest): string | undefined {
  const value = headerValue(request, 'authorization');
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
}

/**
 * Writes server-sent events, honouring a stream cut. Unlike a bare
 * `socket.destroy()` after `write()`, it waits for the events before the cut to
 * be flushed, so the client really receives them and then loses the connection.
 */
export async function writeEventStream(
  exchange: SimulatorExchange,
  events: Iterable<{ event?: string; data: string }>,
  options: { intervalMs?: number | undefined; headers?: Record<string, string> } = {},
): Promise<void> {
  const { response, streamCut } = exchange;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...options.headers,
  });
  let sent = 0;
  for (const item of events) {
    if (streamCut && sent >= streamCut.afterChunks) {
      response.socket?.destroy();
      return;
    }
    if (response.destroyed) return;
    const text = `${item.event ? `event: ${item.event}\n` : ''}data: ${item.data}\n\n`;
    if (streamCut) await new Promise<void>((resolve) => response.write(text, () => resolve()));
    else response.write(text);
    sent++;
    if (options.intervalMs) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  response.end();
}

/** Sends a scripted error answer; returns true when the response was one. */
export function sendScriptedError(exchange: SimulatorExchange, response: ScriptedResponse): boolean {
  if (!response.error) return false;
  sendJson(exchange.response, response.error.status, response.error.body, response.error.headers);
  return true;
}
