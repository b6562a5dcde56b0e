// @patchbay/core/vendors/openai — what every Patchbay kind knows about OpenAI, written once:
// its credentials and its error table. The `openai` SDK itself is imported by the kind packages.
export { openaiCredentials } from './openai-credentials.js';
export { type OpenAIErrorAnswer, openaiErrorCode } from './openai-error-code.js';
