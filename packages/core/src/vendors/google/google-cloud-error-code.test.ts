import { describe, expect, it } from 'vitest';
import { GoogleTranscriber } from '../../../../stt/src/google/google-transcriber.js';
import { googleSpeechError } from '../../../../tts/src/google/google-error.js';
import { VendorHttpFailure } from '../../provider/vendor-fetch.js';
import { googleCloudErrorCode } from './google-cloud-error-code.js';

const rpc = (code: number, status: string, message = 'from Google', reason?: string) => ({
  error: {
    code,
    message,
    status,
    ...(reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason }] } : {}),
  },
});

const cases: [number, unknown, string][] = [
  [400, rpc(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID'), 'auth'],
  [400, rpc(400, 'INVALID_ARGUMENT'), 'invalid_request'],
  [401, rpc(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', 'ACCESS_TOKEN_EXPIRED'), 'auth'],
  [403, rpc(403, 'PERMISSION_DENIED', 'API has not been used in project', 'SERVICE_DISABLED'), 'auth'],
  [403, rpc(403, 'PERMISSION_DENIED', 'Billing is disabled', 'BILLING_DISABLED'), 'quota_exceeded'],
  [404, rpc(404, 'NOT_FOUND'), 'invalid_request'],
  [
    429,
    rpc(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'"),
    'rate_limited',
  ],
  [
    429,
    rpc(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Requests' and limit 'Requests per day'"),
    'quota_exceeded',
  ],
  [500, rpc(500, 'INTERNAL'), 'unavailable'],
  [503, rpc(503, 'UNAVAILABLE'), 'unavailable'],
  [504, rpc(504, 'DEADLINE_EXCEEDED'), 'timeout'],
  [400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, 'auth'],
  [502, undefined, 'unavailable'],
];

class Probe extends GoogleTranscriber {
  map(error: unknown) {
    return this.mapError(error, { provider: 'p' });
  }
}

describe('Google Cloud: one error table for speech synthesis, recognition and the token endpoint', () => {
  const transcriber = new Probe({ id: 'p', settings: {} });
  it.each(cases)('HTTP %i %j is %s from both kinds', (status, body, code) => {
    const fromSpeech = googleSpeechError(new VendorHttpFailure(status, new Headers(), body))?.code;
    const fromTranscription = transcriber.map(new VendorHttpFailure(status, new Headers(), body)).code;
    expect([fromSpeech, fromTranscription]).toEqual([code, code]);
    expect(googleCloudErrorCode({ status, body })).toBe(code);
  });
});
