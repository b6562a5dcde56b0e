/** One fresh, empty store for one conformance case. */
export interface StoreUnderTest<S> {
  store: S;
  /** Makes queued writes readable, for stores that batch writes off the call path. */
  flush?: (() => Promise<void>) | undefined;
  /** Releases the store after the case (drop its schema, close its client). */
  dispose?: (() => Promise<void>) | undefined;
}

export interface StoreConformanceOptions<S> {
  /** Called once per case; each case gets an empty store. */
  create: () => Promise<StoreUnderTest<S>> | StoreUnderTest<S>;
  /** Case ids to leave out, each with a reason in your test file. */
  skip?: readonly string[] | undefined;
}

/** Runs `check` against a fresh store and always disposes of it. */
export async function withStore<S>(
  options: StoreConformanceOptions<S>,
  check: (store: S, flush: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const underTest = await options.create();
  try {
    await check(underTest.store, underTest.flush ?? (async () => {}));
  } finally {
    await underTest.dispose?.();
  }
}

export function storeCases<S>(
  options: StoreConformanceOptions<S>,
  prefix: string,
  cases: Record<string, { name: string; check: (store: S, flush: () => Promise<void>) => Promise<void> }>,
): { id: string; name: string; run: () => Promise<void> }[] {
  const skip = new Set(options.skip ?? []);
  return Object.entries(cases)
    .filter(([id]) => !skip.has(`${prefix}.${id}`) && !skip.has(id))
    .map(([id, { name, check }]) => ({ id: `${prefix}.${id}`, name, run: () => withStore(options, check) }));
}
