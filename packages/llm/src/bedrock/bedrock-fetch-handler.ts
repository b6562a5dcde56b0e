import { Readable } from 'node:stream';

/** The parts of the SDK's `HttpRequest` a handler reads. */
interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  query?: Record<string, string | Array<string | null> | null> | undefined;
  headers: Record<string, string>;
  body?: unknown;
}

/** Headers fetch sets itself from the URL and body; passing them would conflict. */
const ownHeaders = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

function urlOf(request: SdkHttpRequest): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, item ?? '');
  }
  const search = query.size ? `?${query}` : '';
  return `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}${search}`;
}

/**
 * The SDK's request handler, over fetch. The SDK's default handler speaks
 * HTTP/2, which only the bidirectional stream needs; Converse and
 * ConverseStream work over HTTP/1.1, and fetch gives this adapter the same
 * transport (and the same injectable `fetch`) as every other one. Signing
 * happened before: the signed headers are sent unchanged.
 */
export function fetchRequestHandler(fetchImplementation: typeof globalThis.fetch | undefined) {
  const fetcher = fetchImplementation ?? globalThis.fetch;
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkHttpRequest, options: { abortSignal?: unknown } = {}) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (!ownHeaders.has(name.toLowerCase())) headers.set(name, value);
      }
      const signal = options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
      const response = await fetcher(urlOf(request), {
        method: request.method,
        headers,
        body: request.body as RequestInit['body'],
        signal,
      });
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        responseHeaders[name] = value;
      });
      return {
        response: {
          statusCode: response.status,
          reason: response.statusText,
          headers: responseHeaders,
          body: response.body ? Readable.fromWeb(response.body as never) : Readable.from([]),
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
}
