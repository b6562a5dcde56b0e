/**
 * When text that streams in (an LLM's deltas) is cut into pieces a speech vendor can say. The rules, in order,
 * checked at every character as it arrives:
 *
 * 1. **Sentence end**: `.`, `!`, `?`, `…`, `。`, `！`, `？` followed by whitespace, or a newline, ends a piece
 *    (the whitespace stays with it). A period inside a token (`3.14`, `e.g.x`) is not followed by whitespace and
 *    does not cut.
 * 2. **Clause end**: `,`, `;`, `:`, `—`, `–` followed by whitespace ends a piece once it holds at least
 *    `minClauseCharacters` (so "Yes, " is not said on its own).
 * 3. **Maximum length**: a piece reaching `maxCharacters` is cut at its last whitespace, or at `maxCharacters`
 *    when it has none (never between the two halves of a surrogate pair).
 * 4. **Maximum wait** (the stream driver, `chunkTextStream`): text that has waited `maxWaitMs` since its first
 *    character arrived is sent as it is, so a slow source still starts speaking.
 * 5. **End of input**: whatever is left.
 *
 * Each character is looked at once (linear time on any input); pieces that are only whitespace are dropped.
 */
export interface TextChunkingOptions {
  /** Clause punctuation cuts only pieces at least this long (default 40). */
  minClauseCharacters?: number | undefined;
  /** No piece is longer (default 250; at least 2). */
  maxCharacters?: number | undefined;
  /** Pending text is sent after waiting this long (default 400 ms; `Infinity`: never). */
  maxWaitMs?: number | undefined;
}

export const defaultTextChunking = Object.freeze({
  minClauseCharacters: 40,
  maxCharacters: 250,
  maxWaitMs: 400,
});

const sentenceEnds = new Set(['.', '!', '?', '…', '。', '！', '？']);
const clauseEnds = new Set([',', ';', ':', '—', '–']);

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0x2028;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The cutting rules without the clock: `push` returns the pieces the new text completes, `flush` the rest.
 */
export class TextChunker {
  readonly #minClause: number;
  readonly #max: number;
  #pending = '';
  // Index in `#pending` of the next character to examine, and of the last whitespace seen after the piece start.
  #scanFrom = 0;
  #lastSpaceEnd = -1;

  constructor(options: TextChunkingOptions = {}) {
    this.#minClause = options.minClauseCharacters ?? defaultTextChunking.minClauseCharacters;
    this.#max = Math.max(2, Math.floor(options.maxCharacters ?? defaultTextChunking.maxCharacters));
  }

  /** Characters waiting for a cut. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  push(text: string): string[] {
    if (text.length === 0) return [];
    const pieces: string[] = [];
    const pending = this.#pending + text;
    let start = 0;
    let lastSpaceEnd = this.#lastSpaceEnd;
    for (let index = this.#scanFrom; index < pending.length; index++) {
      const code = pending.charCodeAt(index);
      let cut = -1;
      if (isWhitespace(code)) {
        lastSpaceEnd = index + 1;
        const previous = index > start ? pending[index - 1] : undefined;
        if (code === 10 || (previous !== undefined && sentenceEnds.has(previous))) cut = index + 1;
        else if (previous !== undefined && clauseEnds.has(previous) && index + 1 - start >= this.#minClause) {
          cut = index + 1;
        }
      }
      if (cut < 0 && index + 1 - start >= this.#max) {
        if (lastSpaceEnd > start) cut = lastSpaceEnd;
        else {
          cut = index + 1;
          // Keep a surrogate pair together: cut before its first half.
          if (isHighSurrogate(code) && cut - 1 > start) cut -= 1;
        }
      }
      if (cut >= 0) {
        this.#emit(pieces, pending.slice(start, cut));
        start = cut;
        if (lastSpaceEnd <= start) lastSpaceEnd = -1;
        // A max-length cut at an earlier space leaves characters already examined: continue after them.
      }
    }
    this.#pending = start === 0 ? pending : pending.slice(start);
    this.#scanFrom = this.#pending.length;
    this.#lastSpaceEnd = lastSpaceEnd < 0 ? -1 : lastSpaceEnd - start;
    return pieces;
  }

  /** Everything pending, as one piece (undefined when nothing but whitespace waits). */
  flush(): string | undefined {
    const rest = this.#pending;
    this.#pending = '';
    this.#scanFrom = 0;
    this.#lastSpaceEnd = -1;
    return rest.trim() === '' ? undefined : rest;
  }

  #emit(pieces: string[], piece: string): void {
    if (piece.trim() !== '') pieces.push(piece);
  }
}

/**
 * Cuts a text stream into pieces by the rules above, with the maximum wait on the global timers (which a fake
 * clock drives). Stopping the returned iterable stops reading the source and clears the timer.
 */
export async function* chunkTextStream(
  source: AsyncIterable<string>,
  options: TextChunkingOptions = {},
): AsyncGenerator<string> {
  const chunker = new TextChunker(options);
  const maxWaitMs = options.maxWaitMs ?? defaultTextChunking.maxWaitMs;
  const iterator = source[Symbol.asyncIterator]();
  let waitingSince: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  // One read of the source at a time, kept across a maximum-wait flush (the read goes on meanwhile).
  let next: Promise<IteratorResult<string>> | undefined;
  try {
    while (true) {
      next ??= iterator.next();
      let result: IteratorResult<string> | 'wait';
      if (waitingSince !== undefined && Number.isFinite(maxWaitMs)) {
        const left = Math.max(0, waitingSince + maxWaitMs - Date.now());
        result = await Promise.race([
          next,
          new Promise<'wait'>((resolve) => {
            timer = setTimeout(() => resolve('wait'), left);
          }),
        ]);
        clearTimeout(timer);
        timer = undefined;
      } else result = await next;
      if (result === 'wait') {
        waitingSince = undefined;
        const rest = chunker.flush();
        if (rest !== undefined) yield rest;
        continue;
      }
      next = undefined;
      if (result.done) {
        finished = true;
        break;
      }
      const text = result.value;
      if (typeof text !== 'string') continue;
      const pieces = chunker.push(text);
      for (const piece of pieces) yield piece;
      if (chunker.pendingLength === 0) waitingSince = undefined;
      else if (pieces.length > 0 || waitingSince === undefined) waitingSince = Date.now();
    }
    const rest = chunker.flush();
    if (rest !== undefined) yield rest;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    // A read still under way when the consumer stopped must not surface as an unhandled rejection.
    next?.catch(() => {});
    if (!finished) await iterator.return?.()?.catch?.(() => {});
  }
}
