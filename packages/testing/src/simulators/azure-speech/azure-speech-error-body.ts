import type { RecordedRequest } from '../framework/index.js';

const codes: Record<number, string> = {
  400: 'InvalidRequest',
  404: 'NotFound',
  409: 'Conflict',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
};

/**
 * Azure Speech's error bodies: the API gateway answers 401/403 with
 * `{ error: { code: "401", message } }`; speech-to-text with
 * `{ error: { code, message, innererror? } }`.
 */
export function azureSpeechErrorBody(status: number, message: string, innerCode?: string): unknown {
  if (status === 401) {
    return {
      error: {
        code: '401',
        message:
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      },
    };
  }
  if (status === 403) return { error: { code: '403', message } };
  return {
    error: {
      code: codes[status] ?? (status >= 500 ? 'InternalServerError' : 'InvalidRequest'),
      message,
      ...(innerCode ? { innererror: { code: innerCode, message } } : {}),
    },
  };
}

/** The key a request carries (`Ocp-Apim-Subscription-Key`). */
export function azureKeyOf(request: RecordedRequest): string | undefined {
  const key = request.headers['ocp-apim-subscription-key'];
  return typeof key === 'string' ? key : undefined;
}
