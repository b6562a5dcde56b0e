export * from './conformance/index.js';
export * from './fake-clock/index.js';
export * from './mocks/index.js';
export { errorSurfaces, expectNoSecretIn } from './secrets/error-surfaces.js';
export * from './simulators/framework/index.js';
