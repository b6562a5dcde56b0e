import { C as CredentialSpec, a as CredentialsOf } from '../../credential-spec-hJtA3byY.js';
import { z } from 'zod';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';

/** ElevenLabs' credentials, the same for speech and transcription: an API key (ELEVENLABS_API_KEY). */
declare const elevenlabsCredentials: CredentialSpec<CredentialsOf<{
    apiKey: z.ZodString;
}>>;

/** The reason and message of an ElevenLabs error body. */
interface ElevenLabsErrorDetail {
    reason: string | undefined;
    message: string | undefined;
}
/** Reads `detail` of an ElevenLabs error body: `{ status, message }`, a FastAPI validation list, or a string. */
declare function elevenlabsErrorDetail(body: unknown): ElevenLabsErrorDetail;
/** Our code for an ElevenLabs error answer, the same from speech and transcription: the reason, then the status. */
declare function elevenlabsErrorCode(answer: {
    status: number;
    body: unknown;
}): ErrorCode;

export { type ElevenLabsErrorDetail, elevenlabsCredentials, elevenlabsErrorCode, elevenlabsErrorDetail };
