/**
 * Audio since the last final transcript, bounded: the oldest bytes fall out first. Positions are byte offsets on
 * the session's timeline (every byte the caller sent, counted once).
 */
export class ReplayBuffer {
  readonly #chunks: Uint8Array[] = [];
  readonly #capacity: number;
  readonly #frame: number;
  /** Session position of the first buffered byte. */
  start = 0;
  #length = 0;

  constructor(capacity: number, frame: number) {
    this.#frame = frame;
    this.#capacity = capacity - (capacity % frame);
  }

  get end(): number {
    return this.start + this.#length;
  }

  get length(): number {
    return this.#length;
  }

  /** Keeps a copy (the caller may reuse its buffer); drops the oldest audio beyond capacity. */
  append(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk.slice());
    this.#length += chunk.byteLength;
    if (this.#length > this.#capacity) this.dropBefore(this.end - this.#capacity);
  }

  /** Forgets every byte before session position `position` (rounded down to a whole frame). */
  dropBefore(position: number): void {
    const target = Math.min(this.end, position - (position % this.#frame));
    let drop = target - this.start;
    while (drop > 0 && this.#chunks.length > 0) {
      const first = this.#chunks[0] as Uint8Array;
      if (first.byteLength <= drop) {
        this.#chunks.shift();
        drop -= first.byteLength;
        this.#length -= first.byteLength;
        this.start += first.byteLength;
      } else {
        this.#chunks[0] = first.slice(drop);
        this.#length -= drop;
        this.start += drop;
        drop = 0;
      }
    }
    if (this.#chunks.length === 0) this.start = Math.max(this.start, target);
  }

  chunks(): readonly Uint8Array[] {
    return this.#chunks;
  }

  clear(): void {
    this.start = this.end;
    this.#chunks.length = 0;
    this.#length = 0;
  }
}
