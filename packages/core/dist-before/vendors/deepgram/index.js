import { errorCodeForStatus } from '../../chunk-2FTTUUGV.js';
import { defineCredentials } from '../../chunk-EFFKKI2Q.js';
import '../../chunk-JE5GE6TU.js';
import { z } from 'zod';

var deepgramCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ["DEEPGRAM_API_KEY"] },
  secret: ["apiKey"]
});

// src/vendors/deepgram/deepgram-error-code.ts
var codeByVendorCode = new Map(
  Object.entries({
    INVALID_AUTH: "auth",
    INSUFFICIENT_PERMISSIONS: "auth",
    ASR_PAYMENT_REQUIRED: "quota_exceeded",
    PAYMENT_REQUIRED: "quota_exceeded",
    INSUFFICIENT_CREDITS: "quota_exceeded",
    TOO_MANY_REQUESTS: "rate_limited",
    PAYLOAD_TOO_LARGE: "invalid_request"
  })
);
function stringField(value, key) {
  if (typeof value !== "object" || value === null) return void 0;
  const field = value[key];
  return typeof field === "string" ? field : void 0;
}
function deepgramErrorDetail(body) {
  return {
    vendorCode: stringField(body, "err_code") ?? stringField(body, "category"),
    message: stringField(body, "err_msg") ?? stringField(body, "message") ?? (typeof body === "string" ? body : void 0),
    requestId: stringField(body, "request_id")
  };
}
function deepgramErrorCode(answer) {
  const { vendorCode } = deepgramErrorDetail(answer.body);
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : void 0;
  if (byCode) return byCode;
  if (vendorCode && /PAYMENT|CREDIT|BALANCE|QUOTA/i.test(vendorCode)) return "quota_exceeded";
  if (answer.status === 413) return "invalid_request";
  return errorCodeForStatus(answer.status);
}

export { deepgramCredentials, deepgramErrorCode, deepgramErrorDetail };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map