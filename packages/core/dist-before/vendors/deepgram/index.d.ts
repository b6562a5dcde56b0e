import { C as CredentialSpec, a as CredentialsOf } from '../../credential-spec-hJtA3byY.js';
import { z } from 'zod';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';

/** Deepgram's credentials, the same for speech and transcription: an API key (DEEPGRAM_API_KEY). */
declare const deepgramCredentials: CredentialSpec<CredentialsOf<{
    apiKey: z.ZodString;
}>>;

/** The fields of a Deepgram error body: `{ err_code, err_msg, request_id }` (older endpoints: `{ category, message }`). */
interface DeepgramErrorDetail {
    vendorCode: string | undefined;
    message: string | undefined;
    requestId: string | undefined;
}
/** Reads a Deepgram error body. */
declare function deepgramErrorDetail(body: unknown): DeepgramErrorDetail;
/** Our code for a Deepgram error answer, the same from speech and transcription: `err_code`, then the status. */
declare function deepgramErrorCode(answer: {
    status: number;
    body: unknown;
}): ErrorCode;

export { type DeepgramErrorDetail, deepgramCredentials, deepgramErrorCode, deepgramErrorDetail };
