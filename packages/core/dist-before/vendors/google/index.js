import { errorCodeForStatus, httpError } from '../../chunk-2FTTUUGV.js';
import { PatchbayError } from '../../chunk-JE5GE6TU.js';
import { createSign, createHash } from 'crypto';
import { readFile } from 'fs/promises';
import { z } from 'zod';

// src/vendors/google/google-cloud-error-code.ts
var codeByStatus = new Map(
  Object.entries({
    INVALID_ARGUMENT: "invalid_request",
    FAILED_PRECONDITION: "invalid_request",
    OUT_OF_RANGE: "invalid_request",
    NOT_FOUND: "invalid_request",
    UNAUTHENTICATED: "auth",
    PERMISSION_DENIED: "auth",
    RESOURCE_EXHAUSTED: "rate_limited",
    UNAVAILABLE: "unavailable",
    INTERNAL: "unavailable",
    ABORTED: "unavailable",
    DEADLINE_EXCEEDED: "timeout"
  })
);
var codeByReason = new Map(
  Object.entries({
    API_KEY_INVALID: "auth",
    API_KEY_EXPIRED: "auth",
    ACCESS_TOKEN_EXPIRED: "auth",
    CREDENTIALS_MISSING: "auth",
    SERVICE_DISABLED: "auth",
    BILLING_DISABLED: "quota_exceeded",
    RATE_LIMIT_EXCEEDED: "rate_limited"
  })
);
var codeByOAuthError = new Map(
  Object.entries({
    invalid_grant: "auth",
    invalid_client: "auth",
    unauthorized_client: "auth",
    invalid_request: "invalid_request"
  })
);
function field(value, key) {
  return typeof value === "object" && value !== null ? value[key] : void 0;
}
function text(value) {
  return typeof value === "string" && value !== "" ? value : void 0;
}
function googleCloudErrorDetail(body) {
  const error = field(body, "error");
  if (typeof error === "string") {
    return { vendorCode: error, status: void 0, reason: error, message: text(field(body, "error_description")) };
  }
  const details = field(error, "details");
  const reason = Array.isArray(details) ? details.map((detail) => text(field(detail, "reason"))).find((value) => value !== void 0) : void 0;
  const status = text(field(error, "status"));
  return { vendorCode: reason ?? status, status, reason, message: text(field(error, "message")) };
}
function googleCloudErrorCode(answer) {
  const detail = googleCloudErrorDetail(answer.body);
  const byReason = detail.reason && (codeByReason.get(detail.reason) ?? (detail.status ? void 0 : codeByOAuthError.get(detail.reason)));
  if (byReason) return byReason;
  if (detail.status === "RESOURCE_EXHAUSTED" && detail.message && /per day|daily/i.test(detail.message)) {
    return "quota_exceeded";
  }
  const byStatus = detail.status ? codeByStatus.get(detail.status) : void 0;
  return byStatus ?? errorCodeForStatus(answer.status);
}

// src/vendors/google/google-access-token.ts
var googleDefaultTokenURL = "https://oauth2.googleapis.com/token";
var googleCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
function invalidAccount(reason) {
  return new PatchbayError({
    code: "not_configured",
    vendor: "google",
    message: `Google service account credentials are invalid: ${reason}`,
    details: { missing: [], invalid: ["serviceAccount"] }
  });
}
async function loadGoogleServiceAccount(value, fromEnvironment) {
  let text2 = value.trim();
  if (!text2.startsWith("{")) {
    if (!fromEnvironment) throw invalidAccount("expected the JSON key (a file path is read only from the environment)");
    try {
      text2 = await readFile(text2, "utf8");
    } catch {
      throw invalidAccount("the key file named by the environment cannot be read");
    }
  }
  let parsed;
  try {
    parsed = JSON.parse(text2);
  } catch {
    throw invalidAccount("not valid JSON");
  }
  const record = typeof parsed === "object" && parsed !== null ? parsed : {};
  const clientEmail = record.client_email;
  const privateKey = record.private_key;
  if (typeof clientEmail !== "string" || clientEmail === "") throw invalidAccount("client_email is missing");
  if (typeof privateKey !== "string" || !privateKey.includes("PRIVATE KEY")) {
    throw invalidAccount("private_key is missing or not a PEM key");
  }
  const tokenUri = typeof record.token_uri === "string" ? record.token_uri : googleDefaultTokenURL;
  return { clientEmail, privateKey, tokenUri };
}
function base64url(input) {
  return Buffer.from(input).toString("base64url");
}
function googleServiceAccountAssertion(account, options) {
  const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims = base64url(
    JSON.stringify({
      iss: account.clientEmail,
      scope: options.scope,
      aud: options.audience,
      iat: options.nowSeconds,
      exp: options.nowSeconds + 3600
    })
  );
  let signature;
  try {
    signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(account.privateKey);
  } catch {
    throw invalidAccount("private_key cannot sign (not an RSA private key)");
  }
  return `${header}.${claims}.${base64url(signature)}`;
}
var GoogleAccessTokens = class {
  #entries = /* @__PURE__ */ new Map();
  #maxEntries;
  #refreshMarginMs;
  constructor(options = {}) {
    this.#maxEntries = options.maxEntries ?? 1e3;
    this.#refreshMarginMs = options.refreshMarginMs ?? 6e4;
  }
  get size() {
    return this.#entries.size;
  }
  clear() {
    this.#entries.clear();
  }
  async accessToken(account, options) {
    const tokenURL = options.tokenURL ?? account.tokenUri;
    const key = createHash("sha256").update(`${account.clientEmail}
${account.privateKey}
${tokenURL}`).digest("hex");
    const cached = this.#entries.get(key);
    if (cached) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      const token = await cached.token.catch(() => void 0);
      if (token && token.expiresAt - this.#refreshMarginMs > Date.now()) return token.accessToken;
      if (this.#entries.get(key) === cached) this.#entries.delete(key);
    }
    const entry = { token: this.#exchange(account, tokenURL, options) };
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      this.#entries.delete(oldest);
    }
    try {
      return (await entry.token).accessToken;
    } catch (error) {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
  }
  async #exchange(account, tokenURL, options) {
    const assertion = googleServiceAccountAssertion(account, {
      audience: account.tokenUri,
      scope: options.scope ?? googleCloudPlatformScope,
      nowSeconds: Math.floor(Date.now() / 1e3)
    });
    const response = await options.fetch(tokenURL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
      signal: options.signal
    });
    const text2 = await response.text();
    let body;
    try {
      body = JSON.parse(text2);
    } catch {
      body = void 0;
    }
    if (!response.ok) {
      const detail = googleCloudErrorDetail(body);
      throw httpError({
        status: response.status,
        headers: response.headers,
        vendor: "google",
        code: googleCloudErrorCode({ status: response.status, body }),
        vendorCode: detail.vendorCode,
        message: `Google token endpoint responded with HTTP ${response.status}${detail.vendorCode ? ` (${detail.vendorCode})` : ""}`
      });
    }
    const accessToken = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof accessToken !== "string" || accessToken === "") {
      throw new PatchbayError({
        code: "unavailable",
        vendor: "google",
        vendorCode: "malformed_response",
        message: "Google token endpoint answered without an access token"
      });
    }
    return { accessToken, expiresAt: Date.now() + (typeof expiresIn === "number" ? expiresIn : 3600) * 1e3 };
  }
};

// src/vendors/google/google-auth-headers.ts
async function googleAuthHeaders(credentials, options) {
  const { apiKey, serviceAccount } = credentials.values;
  if (apiKey) return { "X-Goog-Api-Key": apiKey };
  if (!serviceAccount) throw new Error("Google credentials resolved without an API key or a service account");
  const account = await loadGoogleServiceAccount(serviceAccount, credentials.sources.serviceAccount === "environment");
  const token = await options.tokens.accessToken(account, {
    fetch: options.fetch,
    tokenURL: options.tokenURL,
    signal: options.signal
  });
  return { Authorization: `Bearer ${token}` };
}
var googleCloudCredentials = {
  fields: ["apiKey", "serviceAccount"],
  schema: z.object({ apiKey: z.string().min(1).optional(), serviceAccount: z.string().min(1).optional() }).superRefine((value, context) => {
    if (value.apiKey === void 0 && value.serviceAccount === void 0) {
      context.addIssue({ code: "custom", path: ["apiKey"], message: "an API key or a service account is required" });
    }
  }),
  env: {
    apiKey: ["GOOGLE_API_KEY"],
    serviceAccount: ["GOOGLE_SERVICE_ACCOUNT_JSON", "GOOGLE_APPLICATION_CREDENTIALS"]
  },
  secret: ["apiKey", "serviceAccount"]
};

export { GoogleAccessTokens, googleAuthHeaders, googleCloudCredentials, googleCloudErrorCode, googleCloudErrorDetail, googleCloudPlatformScope, googleDefaultTokenURL, googleServiceAccountAssertion, loadGoogleServiceAccount };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map