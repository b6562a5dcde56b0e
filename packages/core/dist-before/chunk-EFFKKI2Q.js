import { Secret } from './chunk-JE5GE6TU.js';
import { z } from 'zod';

// src/config/lazy-schema.ts
function lazySchema(create) {
  let schema;
  const real = () => {
    schema ??= create();
    return schema;
  };
  return new Proxy({}, {
    get: (_target, key) => {
      const value = Reflect.get(real(), key);
      return value;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real())
  });
}
function schemaOnFirstUse(create) {
  let schema;
  return () => {
    schema ??= create();
    return schema;
  };
}
function policyOf(spec, field) {
  const policy = spec.policy;
  return (policy && Object.hasOwn(policy, field) ? policy[field] : void 0) ?? "either";
}
function defineCredentials(spec) {
  return {
    fields: Object.keys(spec.fields),
    schema: z.object(spec.fields),
    env: spec.env,
    secret: spec.secret,
    policy: spec.policy
  };
}
var secretInput = lazySchema(
  () => z.union([z.string().min(1), z.custom((value) => Secret.isInstance(value))])
);

export { defineCredentials, lazySchema, policyOf, schemaOnFirstUse, secretInput };
//# sourceMappingURL=chunk-EFFKKI2Q.js.map
//# sourceMappingURL=chunk-EFFKKI2Q.js.map