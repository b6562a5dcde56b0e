import { C as CredentialSpec, a as CredentialsOf } from '../../credential-spec-hJtA3byY.js';
import { z } from 'zod';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';

/** Cartesia's credentials: an API key (CARTESIA_API_KEY). */
declare const cartesiaCredentials: CredentialSpec<CredentialsOf<{
    apiKey: z.ZodString;
}>>;

/**
 * The fields of a Cartesia error: from `Cartesia-Version: 2026-03-01` a JSON
 * object `{ error_code, title, message, request_id }` (websocket error events add
 * `status_code`); older versions answer plain text `Title: Message` or `{ error }`.
 */
interface CartesiaErrorDetail {
    vendorCode: string | undefined;
    message: string | undefined;
    requestId: string | undefined;
}
/** Reads a Cartesia error body (parsed JSON, or the raw text). */
declare function cartesiaErrorDetail(body: unknown): CartesiaErrorDetail;
/** Our code for a Cartesia error answer (REST status or websocket `status_code`): `error_code`, then the status. */
declare function cartesiaErrorCode(answer: {
    status: number;
    body: unknown;
}): ErrorCode;

export { type CartesiaErrorDetail, cartesiaCredentials, cartesiaErrorCode, cartesiaErrorDetail };
