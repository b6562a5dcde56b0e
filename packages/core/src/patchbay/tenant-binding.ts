import type { BaseProvider, CallOptions } from '../spec/provider.js';

/**
 * Where each call method of a provider (single or routed, any kind) takes its
 * options. Every method through which a tenant can be named is listed, so a
 * tenant named in call options never slips past its scope.
 */
const optionsIndex: Readonly<Record<string, number>> = {
  generate: 1,
  stream: 1,
  synthesize: 1,
  transcribe: 1,
  transcribeLive: 1,
  send: 1,
  listVoices: 0,
  test: 0,
};

function tenantOf(args: readonly unknown[], index: number): string | undefined {
  const options = args[index] as CallOptions | undefined;
  return typeof options?.tenant === 'string' ? options.tenant : undefined;
}

/**
 * Wraps a provider: each call method goes through `wrap(method, property, index)` (index being where
 * it takes its options), built once per property; other methods are bound to the provider itself (so
 * private fields work) and other properties read through.
 */
function wrapCallMethods<P extends BaseProvider>(
  provider: P,
  wrap: (method: (...args: unknown[]) => unknown, property: string, index: number) => (...args: unknown[]) => unknown,
): P {
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(provider, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      let method = methods.get(property);
      if (!method) {
        const index = typeof property === 'string' ? optionsIndex[property] : undefined;
        method =
          index === undefined
            ? value.bind(target)
            : wrap(value as (...args: unknown[]) => unknown, property as string, index);
        methods.set(property, method);
      }
      return method;
    },
  });
}

/**
 * Wraps a provider so that every call method is answered by `resolve(tenant)`:
 * the provider the named tenant's scope uses (its overrides, its credential
 * policy), or the unwrapped one when no tenant is named. Properties read
 * through to the provider itself (methods bound to it, so private fields work).
 */
export function dispatchByTenant<P extends BaseProvider>(provider: P, resolve: (tenant: string) => BaseProvider): P {
  return wrapCallMethods(provider, (_method, property, index) => (...args: unknown[]) => {
    const tenant = tenantOf(args, index);
    const receiver = tenant === undefined ? provider : (resolve(tenant) as unknown as P);
    const call = Reflect.get(receiver, property, receiver) as (...rest: unknown[]) => unknown;
    return call.apply(receiver, args);
  });
}

/**
 * Wraps a provider so that every call carries `tenant`, whatever the caller
 * passes: a tenant's view cannot be talked out of its tenant.
 */
export function pinTenant<P extends BaseProvider>(provider: P, tenant: string): P {
  return wrapCallMethods(provider, (method, _property, index) => (...args: unknown[]) => {
    const copy = args.slice();
    while (copy.length <= index) copy.push(undefined);
    copy[index] = { ...(copy[index] as CallOptions | undefined), tenant };
    return method.apply(provider, copy);
  });
}
