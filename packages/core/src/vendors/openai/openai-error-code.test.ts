import { describe, expect, it } from 'vitest';
import { openaiApiError } from '../../../../llm/src/shared/chat-completions-error.js';
import { openaiTranscriptionError } from '../../../../stt/src/openai/openai-error.js';
import { openAISpeechError } from '../../../../tts/src/openai/openai-error.js';
import { openaiErrorCode } from './openai-error-code.js';

/** An error answer as the `openai` SDK's `APIError` carries it (status, parsed body, code, type, headers). */
function answer(status: number, body: { code?: string; type?: string; message?: string }) {
  return Object.assign(new Error(body.message ?? `${status}`), {
    name: 'APIError',
    status,
    headers: new Headers(),
    error: body,
    code: body.code ?? null,
    type: body.type,
    requestID: null,
  });
}

const cases: [number, { code?: string; type?: string }, string][] = [
  [401, { code: 'invalid_api_key', type: 'invalid_request_error' }, 'auth'],
  [429, { code: 'insufficient_quota', type: 'insufficient_quota' }, 'quota_exceeded'],
  [400, { code: 'billing_hard_limit_reached', type: 'invalid_request_error' }, 'quota_exceeded'],
  [429, { code: 'rate_limit_exceeded', type: 'requests' }, 'rate_limited'],
  [400, { code: 'content_policy_violation', type: 'invalid_request_error' }, 'content_policy'],
  [400, { code: 'context_length_exceeded', type: 'invalid_request_error' }, 'context_length'],
  [404, { code: 'model_not_found', type: 'invalid_request_error' }, 'invalid_request'],
  [413, { type: 'invalid_request_error' }, 'invalid_request'],
  [503, { type: 'server_error' }, 'unavailable'],
];

describe('OpenAI: one error table for every kind', () => {
  it.each(cases)('HTTP %i %o is %s from language models, speech and transcription', (status, body, code) => {
    const target = { provider: 'p', vendor: 'openai', secrets: [] };
    const fromLanguageModel = openaiApiError(answer(status, body), target).code;
    const fromSpeech = openAISpeechError(answer(status, body))?.code;
    const fromTranscription = openaiTranscriptionError(answer(status, body), { provider: 'p' }).code;
    expect([fromLanguageModel, fromSpeech, fromTranscription]).toEqual([code, code, code]);
    expect(openaiErrorCode({ status, ...body })).toBe(code);
  });
});
