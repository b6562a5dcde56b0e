import { describe, expect, it } from 'vitest';
import { elevenlabsTranscriptionError } from '../../../../stt/src/elevenlabs/elevenlabs-error.js';
import { elevenLabsError } from '../../../../tts/src/elevenlabs/elevenlabs-error.js';
import { elevenlabsErrorCode } from './elevenlabs-error-code.js';

/** An error answer as the Fern-generated `@elevenlabs/elevenlabs-js` SDK throws it. */
function answer(status: number, body: unknown) {
  return Object.assign(new Error(`Status code: ${status}`), {
    statusCode: status,
    body,
    rawResponse: { headers: new Headers() },
  });
}

const reason = (status: string) => ({ detail: { status, message: 'from ElevenLabs' } });

const cases: [number, unknown, string][] = [
  [401, reason('insufficient_credits'), 'quota_exceeded'],
  [401, reason('quota_exceeded'), 'quota_exceeded'],
  [401, reason('invalid_api_key'), 'auth'],
  [401, reason('missing_permissions'), 'auth'],
  [429, reason('too_many_concurrent_requests'), 'rate_limited'],
  [429, reason('system_busy'), 'rate_limited'],
  [400, reason('model_not_found'), 'invalid_request'],
  [422, { detail: [{ loc: ['body', 'text'], msg: 'field required' }] }, 'invalid_request'],
  [403, reason('detected_unusual_activity'), 'content_policy'],
  [413, {}, 'invalid_request'],
  [500, {}, 'unavailable'],
];

describe('ElevenLabs: one error table for speech and transcription', () => {
  it.each(cases)('HTTP %i %j is %s from both kinds', (status, body, code) => {
    const fromSpeech = elevenLabsError(answer(status, body))?.code;
    const fromTranscription = elevenlabsTranscriptionError(answer(status, body), { provider: 'p' }).code;
    expect([fromSpeech, fromTranscription]).toEqual([code, code]);
    expect(elevenlabsErrorCode({ status, body })).toBe(code);
  });
});
