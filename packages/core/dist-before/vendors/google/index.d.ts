import { R as ResolvedCredentials } from '../../credential-resolver-C6ppADFM.js';
import { C as CredentialSpec } from '../../credential-spec-hJtA3byY.js';
import { E as ErrorCode } from '../../error-codes-Dl_-ZDZA.js';
import 'zod';

/** The parts of a service account key file Patchbay uses. */
interface GoogleServiceAccount {
    clientEmail: string;
    privateKey: string;
    tokenUri: string;
}
declare const googleDefaultTokenURL = "https://oauth2.googleapis.com/token";
declare const googleCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
/**
 * Reads a service account key: the JSON itself, or — only when it came from
 * the environment (GOOGLE_APPLICATION_CREDENTIALS) — the path of the file that
 * holds it. A path from settings or a tenant store is refused: a tenant must
 * not make the server read its files.
 */
declare function loadGoogleServiceAccount(value: string, fromEnvironment: boolean): Promise<GoogleServiceAccount>;
/** A signed RS256 JWT asking for an access token (Google's two-legged OAuth for service accounts). */
declare function googleServiceAccountAssertion(account: GoogleServiceAccount, options: {
    audience: string;
    scope: string;
    nowSeconds: number;
}): string;
interface GoogleAccessTokenOptions {
    fetch: typeof globalThis.fetch;
    /** Overrides the key's `token_uri` (a proxy, the simulator). */
    tokenURL?: string | undefined;
    scope?: string | undefined;
    signal?: AbortSignal | undefined;
}
/**
 * Access tokens for service accounts, cached per (account, key, token URL)
 * until a minute before they expire; concurrent first calls share one exchange.
 * Bounded: at most `maxEntries` accounts (least recently used dropped first).
 */
declare class GoogleAccessTokens {
    #private;
    constructor(options?: {
        maxEntries?: number;
        refreshMarginMs?: number;
    });
    get size(): number;
    clear(): void;
    accessToken(account: GoogleServiceAccount, options: GoogleAccessTokenOptions): Promise<string>;
}

/** Google Cloud credential values: an API key, or a service account's JSON key (or, from the environment, its path). */
interface GoogleCloudCredentialValues extends Record<string, string | undefined> {
    apiKey: string | undefined;
    serviceAccount: string | undefined;
}
/**
 * Google Cloud credentials, the same for Text-to-Speech and Speech-to-Text:
 * an API key (GOOGLE_API_KEY), or a service account key
 * (GOOGLE_SERVICE_ACCOUNT_JSON holding the JSON, or GOOGLE_APPLICATION_CREDENTIALS
 * naming the file). Either one is enough; both are secret.
 */
declare const googleCloudCredentials: CredentialSpec<GoogleCloudCredentialValues>;

/**
 * The auth header of one Google Cloud request: an API key goes in
 * `X-Goog-Api-Key` (a header, so it never sits in a URL that may be logged);
 * otherwise the service account's cached access token as a Bearer token.
 */
declare function googleAuthHeaders(credentials: ResolvedCredentials<GoogleCloudCredentialValues>, options: {
    tokens: GoogleAccessTokens;
    fetch: typeof globalThis.fetch;
    tokenURL?: string | undefined;
    signal?: AbortSignal | undefined;
}): Promise<Record<string, string>>;

/**
 * The fields of a Google API error: `{ error: { code, message, status, details: [{ reason }] } }`,
 * or the OAuth token endpoint's `{ error, error_description }`.
 */
interface GoogleCloudErrorDetail {
    /** The ErrorInfo reason when there is one (`API_KEY_INVALID`), else the status name (`INVALID_ARGUMENT`). */
    vendorCode: string | undefined;
    status: string | undefined;
    reason: string | undefined;
    message: string | undefined;
}
declare function googleCloudErrorDetail(body: unknown): GoogleCloudErrorDetail;
/** Our code for a Google Cloud error answer, the same from speech synthesis, recognition and the token endpoint. */
declare function googleCloudErrorCode(answer: {
    status: number;
    body: unknown;
}): ErrorCode;

export { type GoogleAccessTokenOptions, GoogleAccessTokens, type GoogleCloudCredentialValues, type GoogleCloudErrorDetail, type GoogleServiceAccount, googleAuthHeaders, googleCloudCredentials, googleCloudErrorCode, googleCloudErrorDetail, googleCloudPlatformScope, googleDefaultTokenURL, googleServiceAccountAssertion, loadGoogleServiceAccount };
