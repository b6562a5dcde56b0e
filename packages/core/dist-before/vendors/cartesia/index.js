import { errorCodeForStatus } from '../../chunk-2FTTUUGV.js';
import { defineCredentials } from '../../chunk-EFFKKI2Q.js';
import '../../chunk-JE5GE6TU.js';
import { z } from 'zod';

var cartesiaCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ["CARTESIA_API_KEY"] },
  secret: ["apiKey"]
});

// src/vendors/cartesia/cartesia-error-code.ts
var codeByVendorCode = new Map(
  Object.entries({
    concurrency_limited: "rate_limited",
    rate_limited: "rate_limited",
    insufficient_credits: "quota_exceeded",
    quota_exceeded: "quota_exceeded",
    payment_required: "quota_exceeded",
    invalid_api_key: "auth",
    unauthorized: "auth",
    forbidden: "auth",
    model_not_found: "invalid_request",
    voice_not_found: "invalid_request"
  })
);
function stringField(value, key) {
  if (typeof value !== "object" || value === null) return void 0;
  const field = value[key];
  return typeof field === "string" ? field : void 0;
}
function cartesiaErrorDetail(body) {
  const title = stringField(body, "title");
  const message = stringField(body, "message") ?? stringField(body, "error");
  return {
    vendorCode: stringField(body, "error_code"),
    message: typeof body === "string" ? body : title && message ? `${title}: ${message}` : message ?? title,
    requestId: stringField(body, "request_id")
  };
}
function cartesiaErrorCode(answer) {
  const { vendorCode } = cartesiaErrorDetail(answer.body);
  const byCode = vendorCode ? codeByVendorCode.get(vendorCode) : void 0;
  if (byCode) return byCode;
  if (vendorCode && /credit|quota|balance|payment/i.test(vendorCode)) return "quota_exceeded";
  if (answer.status === 413) return "invalid_request";
  return errorCodeForStatus(answer.status);
}

export { cartesiaCredentials, cartesiaErrorCode, cartesiaErrorDetail };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map