// @patchbay/core/http — framework-neutral Fetch API handlers (`Request → Response`) for the operations
// endpoints (status, credential validation, credential admin), and `toNodeListener` for node:http / Express.
export {
  type CredentialAdminHandlerOptions,
  createCredentialAdminHandler,
} from './admin-credentials-handler.js';
export {
  type AuthorizeRequest,
  defaultMaxBodyBytes,
  type HandlerAuthorization,
} from './http-answers.js';
export * from './status-index.js';
export {
  createValidateCredentialsHandler,
  type ValidateCredentialsAnswer,
  type ValidateCredentialsHandlerOptions,
} from './validate-credentials-handler.js';
