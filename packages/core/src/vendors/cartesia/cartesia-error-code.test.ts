import { describe, expect, it } from 'vitest';
import { cartesiaSpeechError } from '../../../../tts/src/cartesia/cartesia-error.js';
import { CartesiaStreamError } from '../../../../tts/src/cartesia/cartesia-websocket.js';
import { VendorHttpFailure } from '../../provider/vendor-fetch.js';
import { cartesiaErrorCode } from './cartesia-error-code.js';

const body = (code: string | null, title = 'Error') => ({
  error_code: code,
  title,
  message: 'from Cartesia',
  request_id: 'r-1',
});

const cases: [number, unknown, string][] = [
  [401, body(null, 'Unauthorized'), 'auth'],
  [403, body(null, 'Forbidden'), 'auth'],
  [402, body(null, 'Payment required'), 'quota_exceeded'],
  [400, body('insufficient_credits'), 'quota_exceeded'],
  [429, body('concurrency_limited', 'Too many concurrent requests'), 'rate_limited'],
  [400, body('model_not_found', 'Invalid model'), 'invalid_request'],
  [404, body('voice_not_found'), 'invalid_request'],
  [413, 'Payload Too Large: transcript too long', 'invalid_request'],
  [500, 'Internal Server Error: try again', 'unavailable'],
  [503, body(null), 'unavailable'],
];

describe('Cartesia: one error table for REST answers and websocket error events', () => {
  it.each(cases)('HTTP %i %j is %s both ways', (status, answer, code) => {
    const fromRest = cartesiaSpeechError(new VendorHttpFailure(status, new Headers(), answer))?.code;
    const event = {
      type: 'error',
      done: true,
      status_code: status,
      ...(typeof answer === 'object' ? answer : { error: answer }),
    };
    const fromWebSocket = cartesiaSpeechError(new CartesiaStreamError(event))?.code;
    expect([fromRest, fromWebSocket]).toEqual([code, code]);
    expect(cartesiaErrorCode({ status, body: answer })).toBe(code);
  });
});
