import { describe, expect, it } from 'vitest';
import { deepgramError } from '../../../../stt/src/deepgram/deepgram-error.js';
import { deepgramSpeechError } from '../../../../tts/src/deepgram/deepgram-error.js';
import { deepgramErrorCode } from './deepgram-error-code.js';

/** An error answer as the Fern-generated `@deepgram/sdk` throws it. */
function answer(status: number, body: unknown) {
  return Object.assign(new Error(`Status code: ${status}`), {
    statusCode: status,
    body,
    rawResponse: { headers: new Headers() },
  });
}

const errCode = (code: string) => ({ err_code: code, err_msg: 'from Deepgram', request_id: 'r-1' });

const cases: [number, unknown, string][] = [
  [401, errCode('INVALID_AUTH'), 'auth'],
  [403, errCode('INSUFFICIENT_PERMISSIONS'), 'auth'],
  [402, errCode('ASR_PAYMENT_REQUIRED'), 'quota_exceeded'],
  [400, errCode('INSUFFICIENT_CREDITS'), 'quota_exceeded'],
  [400, errCode('PROJECT_BALANCE_EXHAUSTED'), 'quota_exceeded'],
  [429, errCode('TOO_MANY_REQUESTS'), 'rate_limited'],
  [413, errCode('PAYLOAD_TOO_LARGE'), 'invalid_request'],
  [400, errCode('Bad Request'), 'invalid_request'],
  [502, {}, 'unavailable'],
];

describe('Deepgram: one error table for speech and transcription', () => {
  it.each(cases)('HTTP %i %j is %s from both kinds', (status, body, code) => {
    const fromSpeech = deepgramSpeechError(answer(status, body))?.code;
    const fromTranscription = deepgramError(answer(status, body), { provider: 'p' }).code;
    expect([fromSpeech, fromTranscription]).toEqual([code, code]);
    expect(deepgramErrorCode({ status, body })).toBe(code);
  });
});
