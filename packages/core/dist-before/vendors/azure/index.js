import { errorCodeForStatus } from '../../chunk-2FTTUUGV.js';
import { defineCredentials } from '../../chunk-EFFKKI2Q.js';
import { PatchbayError } from '../../chunk-JE5GE6TU.js';
import { z } from 'zod';

var azureSpeechCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1), region: z.string().min(1).optional() },
  env: { apiKey: ["AZURE_SPEECH_KEY", "SPEECH_KEY"], region: ["AZURE_SPEECH_REGION", "SPEECH_REGION"] },
  secret: ["apiKey"]
});
var azureRegionPattern = /^[a-z0-9-]{2,40}$/;

// src/vendors/azure/azure-speech-error-code.ts
var codeByVendorCode = new Map(
  Object.entries({
    InvalidRequest: "invalid_request",
    InvalidArgument: "invalid_request",
    InvalidPayload: "invalid_request",
    InvalidAudioFormat: "invalid_request",
    InvalidLocale: "invalid_request",
    UnsupportedMediaType: "invalid_request",
    EmptyAudioFile: "invalid_request",
    AudioLengthLimitExceeded: "invalid_request",
    Unauthorized: "auth",
    Forbidden: "auth",
    InvalidSubscriptionKey: "auth",
    TooManyRequests: "rate_limited",
    QuotaExceeded: "quota_exceeded",
    InternalServerError: "unavailable",
    ServiceUnavailable: "unavailable"
  })
);
function field(value, key) {
  return typeof value === "object" && value !== null ? value[key] : void 0;
}
function text(value) {
  return typeof value === "string" && value !== "" ? value : void 0;
}
function azureSpeechErrorDetail(body) {
  const error = field(body, "error") ?? body;
  const inner = field(error, "innererror") ?? field(error, "innerError");
  const outer = text(field(error, "code"));
  const innerCode = text(field(inner, "code"));
  return {
    // The inner code is the specific one (`InvalidAudioFormat` under `InvalidRequest`); numeric gateway codes say nothing.
    vendorCode: innerCode ?? (outer && !/^\d+$/.test(outer) ? outer : void 0),
    message: text(field(inner, "message")) ?? text(field(error, "message")) ?? text(body)
  };
}
function azureSpeechErrorCode(answer) {
  const { vendorCode, message } = azureSpeechErrorDetail(answer.body);
  if (message && /quota/i.test(message) && answer.status !== 429) return "quota_exceeded";
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : void 0;
  if (byCode) return byCode;
  if (answer.status === 413 || answer.status === 415) return "invalid_request";
  return errorCodeForStatus(answer.status);
}

// src/vendors/azure/azure-speech-origin.ts
var hosts = {
  /** Text to speech: `https://{region}.tts.speech.microsoft.com`. */
  tts: "tts.speech.microsoft.com",
  /** Speech to text REST (fast transcription): `https://{region}.api.cognitive.microsoft.com`. */
  stt: "api.cognitive.microsoft.com"
};
function azureSpeechOrigin(service, where) {
  if (where.baseURL) return where.baseURL.replace(/\/+$/, "");
  const region = where.region;
  if (region && azureRegionPattern.test(region)) return `https://${region}.${hosts[service]}`;
  throw new PatchbayError({
    code: "not_configured",
    vendor: "azure",
    message: region ? "Azure Speech region is not a region name (letters, digits and dashes)" : "Azure Speech needs a region (settings.region or AZURE_SPEECH_REGION) or a baseURL",
    details: region ? { missing: [], invalid: ["region"] } : { missing: ["region"], invalid: [] }
  });
}

export { azureRegionPattern, azureSpeechCredentials, azureSpeechErrorCode, azureSpeechErrorDetail, azureSpeechOrigin };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map