import { describe, expect, it } from 'vitest';
import { AzureTranscriber } from '../../../../stt/src/azure/azure-transcriber.js';
import { azureSpeechError } from '../../../../tts/src/azure/azure-error.js';
import { VendorHttpFailure } from '../../provider/vendor-fetch.js';
import { azureSpeechErrorCode } from './azure-speech-error-code.js';

const cases: [number, unknown, string][] = [
  [
    401,
    { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } },
    'auth',
  ],
  [403, { error: { code: '403', message: 'Out of call volume quota for SpeechServices.' } }, 'quota_exceeded'],
  [403, undefined, 'auth'],
  [400, undefined, 'invalid_request'],
  [
    400,
    { error: { code: 'InvalidRequest', message: 'x', innererror: { code: 'InvalidAudioFormat', message: 'x' } } },
    'invalid_request',
  ],
  [422, { error: { code: 'InvalidRequest', innererror: { code: 'EmptyAudioFile' } } }, 'invalid_request'],
  [415, undefined, 'invalid_request'],
  [429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, 'rate_limited'],
  [429, undefined, 'rate_limited'],
  [500, { code: 'InternalServerError', message: 'v3 body' }, 'unavailable'],
  [502, undefined, 'unavailable'],
];

class Probe extends AzureTranscriber {
  map(error: unknown) {
    return this.mapError(error, { provider: 'p' });
  }
}

describe('Azure Speech: one error table for synthesis and transcription', () => {
  const transcriber = new Probe({ id: 'p', settings: {} });
  it.each(cases)('HTTP %i %j is %s from both kinds', (status, body, code) => {
    const fromSpeech = azureSpeechError(new VendorHttpFailure(status, new Headers(), body))?.code;
    const fromTranscription = transcriber.map(new VendorHttpFailure(status, new Headers(), body)).code;
    expect([fromSpeech, fromTranscription]).toEqual([code, code]);
    expect(azureSpeechErrorCode({ status, body })).toBe(code);
  });
});
