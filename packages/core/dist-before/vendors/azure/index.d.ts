import { C as CredentialSpec, a as CredentialsOf } from '../../credential-spec-hJtA3byY.js';
import { z } from 'zod';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';

/**
 * Azure AI Speech credentials, the same for synthesis and transcription: the
 * resource key (AZURE_SPEECH_KEY, secret) and its region (AZURE_SPEECH_REGION,
 * not secret). The region may be left out when the adapter is given an endpoint.
 */
declare const azureSpeechCredentials: CredentialSpec<CredentialsOf<{
    apiKey: z.ZodString;
    region: z.ZodOptional<z.ZodString>;
}>>;
/** A region is a host label (`westeurope`, `eastus2`): nothing else may reach a URL. */
declare const azureRegionPattern: RegExp;

/**
 * The fields of an Azure Speech error. Speech-to-text answers
 * `{ error: { code, message, innererror: { code, message } } }` (v3 APIs: `{ code, message }`);
 * the API gateway answers 401/403 with `{ error: { code: "401", message } }`;
 * text-to-speech usually sends no body at all, only the status.
 */
interface AzureSpeechErrorDetail {
    vendorCode: string | undefined;
    message: string | undefined;
}
declare function azureSpeechErrorDetail(body: unknown): AzureSpeechErrorDetail;
/** Our code for an Azure Speech error answer, the same from synthesis and transcription. */
declare function azureSpeechErrorCode(answer: {
    status: number;
    body: unknown;
}): ErrorCode;

declare const hosts: {
    /** Text to speech: `https://{region}.tts.speech.microsoft.com`. */
    readonly tts: "tts.speech.microsoft.com";
    /** Speech to text REST (fast transcription): `https://{region}.api.cognitive.microsoft.com`. */
    readonly stt: "api.cognitive.microsoft.com";
};
/**
 * The origin an Azure Speech request goes to: the configured `baseURL`, else the
 * region's host for the service. A missing region, or one that is not a region
 * name (so nothing else can reach the URL), is `not_configured` naming `region`.
 */
declare function azureSpeechOrigin(service: keyof typeof hosts, where: {
    baseURL?: string | undefined;
    region?: string | undefined;
}): string;

export { type AzureSpeechErrorDetail, azureRegionPattern, azureSpeechCredentials, azureSpeechErrorCode, azureSpeechErrorDetail, azureSpeechOrigin };
