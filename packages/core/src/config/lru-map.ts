/**
 * A Map bounded to `capacity` entries, evicting the least recently used. A Map
 * keeps insertion order, so "recently used" is "deleted and re-inserted".
 * `canEvict` may veto an eviction (the entry is then treated as used and the
 * next oldest is tried), so state that must not be lost can stay — but only up
 * to `hardCapacity` entries: past it the oldest goes, veto or not, so the map
 * stays bounded however many entries want to stay.
 */
export class LruMap<K, V> {
  readonly capacity: number;
  readonly hardCapacity: number;
  readonly #entries = new Map<K, V>();
  readonly #onEvict: ((key: K, value: V) => void) | undefined;
  readonly #canEvict: ((key: K, value: V) => boolean) | undefined;

  constructor(
    capacity: number,
    options: {
      onEvict?: (key: K, value: V) => void;
      canEvict?: (key: K, value: V) => boolean;
      /** Entries kept at most, vetoed ones included (default: no bound past `capacity` for vetoed entries). */
      hardCapacity?: number;
    } = {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('LruMap capacity must be a positive integer');
    const hardCapacity = options.hardCapacity ?? Number.POSITIVE_INFINITY;
    if (hardCapacity !== Number.POSITIVE_INFINITY && (!Number.isInteger(hardCapacity) || hardCapacity < capacity))
      throw new RangeError('LruMap hardCapacity must be an integer ≥ capacity');
    this.capacity = capacity;
    this.hardCapacity = hardCapacity;
    this.#onEvict = options.onEvict;
    this.#canEvict = options.canEvict;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Reads without counting as a use. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V): this {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#trim(key);
    return this;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  values(): IterableIterator<V> {
    return this.#entries.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }

  /** Evicts from the oldest end; the entry just set is never evicted by its own insertion. */
  #trim(justSet: K): void {
    // Each vetoed entry moves to the back once; past one full pass nothing more can be evicted now.
    let vetoes = 0;
    while (this.#entries.size > this.capacity && vetoes < this.#entries.size) {
      const [key, value] = this.#entries.entries().next().value as [K, V];
      if (key === justSet) {
        // Everything older was vetoed: move the new entry behind them again and stop.
        this.#entries.delete(key);
        this.#entries.set(key, value);
        break;
      }
      const overHardCapacity = this.#entries.size > this.hardCapacity;
      this.#entries.delete(key);
      if (!overHardCapacity && this.#canEvict && !this.#canEvict(key, value)) {
        this.#entries.set(key, value);
        vetoes++;
        continue;
      }
      this.#onEvict?.(key, value);
    }
  }
}
