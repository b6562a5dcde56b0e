import { errorCodeForStatus } from '../../chunk-2FTTUUGV.js';
import { defineCredentials } from '../../chunk-EFFKKI2Q.js';
import '../../chunk-JE5GE6TU.js';
import { z } from 'zod';

var openaiCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ["OPENAI_API_KEY"] },
  secret: ["apiKey"]
});

// src/vendors/openai/openai-error-code.ts
var codeByVendorCode = new Map(
  Object.entries({
    insufficient_quota: "quota_exceeded",
    billing_hard_limit_reached: "quota_exceeded",
    context_length_exceeded: "context_length",
    string_above_max_length: "context_length",
    content_policy_violation: "content_policy",
    content_filter: "content_policy",
    moderation_blocked: "content_policy",
    invalid_api_key: "auth",
    authentication_error: "auth",
    rate_limit_exceeded: "rate_limited",
    model_not_found: "invalid_request"
  })
);
function openaiErrorCode(answer) {
  const byCode = answer.code && codeByVendorCode.get(answer.code) || answer.type && codeByVendorCode.get(answer.type);
  if (byCode) return byCode;
  if (answer.status === void 0) return answer.type === "invalid_request_error" ? "invalid_request" : "unavailable";
  if (answer.status === 413) return "invalid_request";
  return errorCodeForStatus(answer.status);
}

export { openaiCredentials, openaiErrorCode };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map