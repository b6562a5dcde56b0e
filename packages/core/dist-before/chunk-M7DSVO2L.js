import { LruMap } from './chunk-KWNWYJ7G.js';

// src/limits/in-memory-limit-store.ts
var defaultLimitStoreMaxKeys = 1e5;
function windowStartOf(now, windowMs) {
  return Math.floor(now / windowMs) * windowMs;
}
var InMemoryLimitStore = class {
  #counters;
  constructor(options = {}) {
    this.#counters = new LruMap(options.maxKeys ?? defaultLimitStoreMaxKeys);
  }
  /** Counters held now (bounded by `maxKeys`). */
  get size() {
    return this.#counters.size;
  }
  reserve(key, amount, limit, windowMs, now) {
    const windowStart = windowStartOf(now, windowMs);
    const id = `${windowMs}\0${key}`;
    let counter = this.#counters.get(id);
    if (!counter || counter.windowStart !== windowStart) {
      counter = { windowStart, used: 0 };
      this.#counters.set(id, counter);
    }
    const resetAt = windowStart + windowMs;
    if (counter.used + amount > limit) return { granted: false, used: counter.used, limit, windowStart, resetAt };
    counter.used += amount;
    return { granted: true, used: counter.used, limit, windowStart, resetAt };
  }
  settle(key, delta, windowMs, windowStart) {
    const counter = this.#counters.peek(`${windowMs}\0${key}`);
    if (!counter || counter.windowStart !== windowStart) return;
    counter.used = Math.max(0, counter.used + delta);
  }
  peek(key, windowMs, now) {
    const counter = this.#counters.peek(`${windowMs}\0${key}`);
    return counter && counter.windowStart === windowStartOf(now, windowMs) ? counter.used : 0;
  }
};

export { InMemoryLimitStore, defaultLimitStoreMaxKeys };
//# sourceMappingURL=chunk-M7DSVO2L.js.map
//# sourceMappingURL=chunk-M7DSVO2L.js.map