import { hash } from 'node:crypto';

/**
 * SDK clients per (settings snapshot, credentials): a rotated key or moved base
 * URL gets a new client on the next call while calls in flight keep theirs.
 * Keys are hashed, so raw credentials never sit in the cache's keys; the oldest
 * entry goes once `capacity` is reached. The last parts' hash is kept: most calls
 * repeat the previous call's parts, and hashing is most of what a lookup costs.
 */
export class ClientCache<T> {
  readonly #clients = new Map<string, Promise<T>>();
  readonly #capacity: number;
  #lastParts: string | undefined;
  #lastKey = '';
  #lastIdentity: { settings: object; credentials: object; client: Promise<T>; ready?: T } | undefined;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 32;
  }

  /** The client for these parts (base URL, key, organisation…), created once by `create`. */
  get(parts: ReadonlyArray<string | undefined>, create: () => T | Promise<T>): Promise<T> {
    const joined = parts.map((part) => part ?? '').join('\u0000');
    if (joined !== this.#lastParts) {
      this.#lastKey = hash('sha256', joined, 'base64url');
      this.#lastParts = joined;
    }
    const key = this.#lastKey;
    const cached = this.#clients.get(key);
    if (cached) return cached;
    if (this.#clients.size >= this.#capacity) this.#clients.delete(this.#clients.keys().next().value as string);
    const created = Promise.resolve().then(create);
    // A failed creation (SDK missing) is not cached: the next call tries again.
    created.catch(() => this.#clients.delete(key));
    this.#clients.set(key, created);
    return created;
  }

  /**
   * As `get`, for a settings snapshot and resolved credentials: when both are the very objects of the previous
   * lookup (snapshots are replaced, never changed), the answer comes without building or hashing the parts.
   */
  getFor(
    settings: object,
    credentials: object,
    parts: () => ReadonlyArray<string | undefined>,
    create: () => T | Promise<T>,
  ): Promise<T> {
    const last = this.#lastIdentity;
    if (last !== undefined && last.settings === settings && last.credentials === credentials) return last.client;
    const client = this.get(parts(), create);
    const identity: { settings: object; credentials: object; client: Promise<T>; ready?: T } = {
      settings,
      credentials,
      client,
    };
    this.#lastIdentity = identity;
    client.then(
      (ready) => {
        identity.ready = ready;
      },
      () => {
        if (this.#lastIdentity === identity) this.#lastIdentity = undefined;
      },
    );
    return client;
  }

  /**
   * The client `getFor` would answer, when it is already created for these very objects; undefined otherwise.
   * Lets a hot path skip awaiting a settled promise: `cache.readyFor(s, c) ?? (await cache.getFor(…))`.
   */
  readyFor(settings: object, credentials: object): T | undefined {
    const last = this.#lastIdentity;
    return last !== undefined && last.settings === settings && last.credentials === credentials
      ? last.ready
      : undefined;
  }

  get size(): number {
    return this.#clients.size;
  }

  clear(): void {
    this.#clients.clear();
    this.#lastParts = undefined;
    this.#lastIdentity = undefined;
  }
}
