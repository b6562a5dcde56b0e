// @patchbay/core/http — framework-neutral Fetch handlers (`Request → Response`) for operations pages.
export {
  type CredentialAdminHandlerOptions,
  createCredentialAdminHandler,
} from './admin-credentials-handler.js';
export {
  type AuthorizeRequest,
  defaultMaxBodyBytes,
  type HandlerAuthorization,
} from './http-answers.js';
export {
  createValidateCredentialsHandler,
  type ValidateCredentialsAnswer,
  type ValidateCredentialsHandlerOptions,
} from './validate-credentials-handler.js';
// @patchbay/core/http — framework-neutral Fetch API handlers (`Request → Response`) for the
// operations endpoints, and `toNodeListener` for node:http / Express.
export * from './status-index.js';
