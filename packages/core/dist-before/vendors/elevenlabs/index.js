import { errorCodeForStatus } from '../../chunk-2FTTUUGV.js';
import { defineCredentials } from '../../chunk-EFFKKI2Q.js';
import '../../chunk-JE5GE6TU.js';
import { z } from 'zod';

var elevenlabsCredentials = defineCredentials({
  fields: { apiKey: z.string().min(1) },
  env: { apiKey: ["ELEVENLABS_API_KEY"] },
  secret: ["apiKey"]
});

// src/vendors/elevenlabs/elevenlabs-error-code.ts
var codeByReason = new Map(
  Object.entries({
    quota_exceeded: "quota_exceeded",
    insufficient_credits: "quota_exceeded",
    payment_required: "quota_exceeded",
    invalid_api_key: "auth",
    missing_api_key: "auth",
    needs_authorization: "auth",
    missing_permissions: "auth",
    too_many_concurrent_requests: "rate_limited",
    system_busy: "rate_limited",
    rate_limit_exceeded: "rate_limited",
    voice_not_found: "invalid_request",
    model_not_found: "invalid_request",
    max_character_limit_exceeded: "invalid_request",
    invalid_output_format: "invalid_request",
    validation_error: "invalid_request",
    detected_unusual_activity: "content_policy"
  })
);
function elevenlabsErrorDetail(body) {
  const detail = typeof body === "object" && body !== null ? body.detail : void 0;
  if (Array.isArray(detail)) {
    const first = detail[0];
    const where = Array.isArray(first?.loc) ? first.loc.join(".") : "";
    return {
      reason: "validation_error",
      message: first ? `${where}: ${typeof first.msg === "string" ? first.msg : ""}` : void 0
    };
  }
  if (typeof detail === "string") return { reason: void 0, message: detail };
  if (typeof detail !== "object" || detail === null) return { reason: void 0, message: void 0 };
  const record = detail;
  const reason = typeof record.status === "string" ? record.status : typeof record.code === "string" ? record.code : void 0;
  return { reason, message: typeof record.message === "string" ? record.message : void 0 };
}
function elevenlabsErrorCode(answer) {
  const { reason } = elevenlabsErrorDetail(answer.body);
  const byReason = reason ? codeByReason.get(reason) : void 0;
  if (byReason) return byReason;
  if (answer.status === 413) return "invalid_request";
  return errorCodeForStatus(answer.status);
}

export { elevenlabsCredentials, elevenlabsErrorCode, elevenlabsErrorDetail };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map