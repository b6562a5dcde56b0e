import { createHash } from 'node:crypto';

/**
 * SDK clients per (settings snapshot, credentials): a rotated key or moved base
 * URL gets a new client on the next call while calls in flight keep theirs.
 * Keys are hashed, so raw credentials never sit in the cache's keys; the oldest
 * entry goes once `capacity` is reached.
 */
export class ClientCache<T> {
  readonly #clients = new Map<string, Promise<T>>();
  readonly #capacity: number;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 32;
  }

  /** The client for these parts (base URL, key, organisation…), created once by `create`. */
  get(parts: ReadonlyArray<string | undefined>, create: () => T | Promise<T>): Promise<T> {
    const key = createHash('sha256')
      .update(parts.map((part) => part ?? '').join('\u0000'))
      .digest('base64url');
    const cached = this.#clients.get(key);
    if (cached) return cached;
    if (this.#clients.size >= this.#capacity) this.#clients.delete(this.#clients.keys().next().value as string);
    const created = Promise.resolve().then(create);
    // A failed creation (SDK missing) is not cached: the next call tries again.
    created.catch(() => this.#clients.delete(key));
    this.#clients.set(key, created);
    return created;
  }

  get size(): number {
    return this.#clients.size;
  }

  clear(): void {
    this.#clients.clear();
  }
}
