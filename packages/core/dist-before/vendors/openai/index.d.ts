import { C as CredentialSpec, a as CredentialsOf } from '../../credential-spec-hJtA3byY.js';
import { z } from 'zod';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';

/** OpenAI's credentials, the same for every kind: an API key from settings, the tenant's store or OPENAI_API_KEY. */
declare const openaiCredentials: CredentialSpec<CredentialsOf<{
    apiKey: z.ZodString;
}>>;

/** What an OpenAI error answer (or an error event inside a stream) says. */
interface OpenAIErrorAnswer {
    /** Undefined for an error event inside a stream. */
    status: number | undefined;
    code?: string | null | undefined;
    type?: string | null | undefined;
}
/**
 * Our code for an OpenAI error answer, the same in every kind (language
 * models, speech, transcription): the body's `code`, then its `type`, then
 * the status. A 413 is the request body (an upload) being too large — a bad
 * request, not a context-length problem (OpenAI reports that as
 * `context_length_exceeded`). An error event inside a stream has no status:
 * its type is all there is.
 */
declare function openaiErrorCode(answer: OpenAIErrorAnswer): ErrorCode;

export { type OpenAIErrorAnswer, openaiCredentials, openaiErrorCode };
