// @patchbay/core/http — framework-neutral Fetch API handlers (`Request → Response`) for the
// operations endpoints, and `toNodeListener` for node:http / Express.
export * from './status-index.js';
