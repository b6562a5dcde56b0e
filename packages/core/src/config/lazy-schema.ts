/**
 * A module-level zod schema that is built on first use instead of on import.
 *
 * Building zod schemas is a large share of a package's cold import (every `z.number().int().min()`
 * chain constructs several schema instances, each running zod's initialisers), yet most processes
 * validate a configuration once, if at all. The returned object stands in for the schema: the first
 * property read builds it, and every read after that is forwarded to it, so callers (including other
 * schemas that embed it) see a normal zod schema with the same type.
 */
export function lazySchema<Schema extends object>(create: () => Schema): Schema {
  let schema: Schema | undefined;
  const real = (): Schema => {
    schema ??= create();
    return schema;
  };
  // The proxy target is an empty object, so no proxy invariant ties what the traps report to it.
  return new Proxy({} as Schema, {
    get: (_target, key) => {
      const value = Reflect.get(real(), key);
      return value;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // Reported as configurable: the empty target has no such property, and a proxy may not report a
      // non-configurable property its target lacks.
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

/**
 * A schema built on first call and kept: for schemas read on the call path, where every property
 * read through `lazySchema`'s proxy would cost a little on each call.
 */
export function schemaOnFirstUse<Schema>(create: () => Schema): () => Schema {
  let schema: Schema | undefined;
  return () => {
    schema ??= create();
    return schema;
  };
}
