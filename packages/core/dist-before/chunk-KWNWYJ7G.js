// src/config/lru-map.ts
var LruMap = class {
  capacity;
  #entries = /* @__PURE__ */ new Map();
  #onEvict;
  #canEvict;
  constructor(capacity, options = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("LruMap capacity must be a positive integer");
    this.capacity = capacity;
    this.#onEvict = options.onEvict;
    this.#canEvict = options.canEvict;
  }
  get size() {
    return this.#entries.size;
  }
  get(key) {
    const value = this.#entries.get(key);
    if (value === void 0) return void 0;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }
  /** Reads without counting as a use. */
  peek(key) {
    return this.#entries.get(key);
  }
  has(key) {
    return this.#entries.has(key);
  }
  set(key, value) {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#trim(key);
    return this;
  }
  delete(key) {
    return this.#entries.delete(key);
  }
  clear() {
    this.#entries.clear();
  }
  values() {
    return this.#entries.values();
  }
  entries() {
    return this.#entries.entries();
  }
  /** Evicts from the oldest end; the entry just set is never evicted by its own insertion. */
  #trim(justSet) {
    let vetoes = 0;
    while (this.#entries.size > this.capacity && vetoes < this.#entries.size) {
      const [key, value] = this.#entries.entries().next().value;
      if (key === justSet) {
        this.#entries.delete(key);
        this.#entries.set(key, value);
        break;
      }
      this.#entries.delete(key);
      if (this.#canEvict && !this.#canEvict(key, value)) {
        this.#entries.set(key, value);
        vetoes++;
        continue;
      }
      this.#onEvict?.(key, value);
    }
  }
};

export { LruMap };
//# sourceMappingURL=chunk-KWNWYJ7G.js.map
//# sourceMappingURL=chunk-KWNWYJ7G.js.map