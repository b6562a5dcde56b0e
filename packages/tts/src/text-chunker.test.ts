import { createFakeClock, type FakeClock } from '@patchbay/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkTextStream, TextChunker } from './text-chunker.js';

function cut(chunks: readonly string[], options: ConstructorParameters<typeof TextChunker>[0] = {}): string[] {
  const chunker = new TextChunker(options);
  const pieces = chunks.flatMap((chunk) => chunker.push(chunk));
  const rest = chunker.flush();
  return rest === undefined ? pieces : [...pieces, rest];
}

async function* from(chunks: readonly string[]): AsyncGenerator<string> {
  for (const chunk of chunks) yield chunk;
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of source) pieces.push(piece);
  return pieces;
}

describe('TextChunker', () => {
  it('cuts after sentence punctuation followed by whitespace, however the text is split', () => {
    const text = 'Hello there. How are you? Fine! Pi is 3.14 today… Yes.';
    const expected = ['Hello there. ', 'How are you? ', 'Fine! ', 'Pi is 3.14 today… ', 'Yes.'];
    expect(cut([text])).toEqual(expected);
    expect(cut([...text])).toEqual(expected);
    expect(cut(['Hello there', '.', ' How are', ' you? Fi', 'ne! Pi is 3', '.14 today… Yes.'])).toEqual(expected);
  });

  it('cuts at a newline', () => {
    expect(cut(['one\ntwo'])).toEqual(['one\n', 'two']);
  });

  it('cuts at clause punctuation only once the piece is long enough', () => {
    expect(cut(['Yes, I can do that, and then some more words follow, ok'], { minClauseCharacters: 20 })).toEqual([
      'Yes, I can do that, ',
      'and then some more words follow, ',
      'ok',
    ]);
  });

  it('by default cuts at clause punctuation once the piece holds 40 characters', () => {
    const clause39 = `${'x'.repeat(37)}, `;
    const clause40 = `${'x'.repeat(38)}, `;
    expect(clause40).toHaveLength(40);
    expect(cut([`${clause40}and the rest`])).toEqual([clause40, 'and the rest']);
    expect(cut([`${clause39}and the rest`])).toEqual([`${clause39}and the rest`]);
    // The same, as characters arrive one by one.
    expect(cut([...`${clause40}and the rest`])).toEqual([clause40, 'and the rest']);
  });

  it('cuts a long piece at its last whitespace, and hard at the maximum without any', () => {
    expect(cut(['aaa bbb ccc ddd'], { maxCharacters: 9 })).toEqual(['aaa bbb ', 'ccc ddd']);
    expect(cut(['abcdefghij'], { maxCharacters: 4 })).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('never splits a surrogate pair', () => {
    const pieces = cut(['a😀😀😀😀'], { maxCharacters: 2 });
    expect(pieces.join('')).toBe('a😀😀😀😀');
    for (const piece of pieces) {
      expect(Buffer.from(piece, 'utf8').toString('utf8')).toBe(piece);
      expect(piece.length).toBeLessThanOrEqual(2);
    }
  });

  it('drops pieces that are only whitespace', () => {
    expect(cut(['Hi. ', '   ', '\n\n', 'There.'])).toEqual(['Hi. ', 'There.']);
  });

  it('handles 1 MB without punctuation in one push and in one-character pushes, in bounded pieces', () => {
    const big = 'x'.repeat(1_000_000);
    const pieces = cut([big]);
    expect(pieces.join('')).toBe(big);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBe(250);
    const chunker = new TextChunker();
    let total = 0;
    let maxPending = 0;
    for (let index = 0; index < 200_000; index++) {
      for (const piece of chunker.push('y')) total += piece.length;
      maxPending = Math.max(maxPending, chunker.pendingLength);
    }
    expect(maxPending).toBeLessThan(250);
    expect(total + (chunker.flush()?.length ?? 0)).toBe(200_000);
  });

  it('handles a megabyte of clause punctuation without spaces and of spaces without punctuation', () => {
    const commas = ','.repeat(1_000_000);
    expect(cut([commas]).join('')).toBe(commas);
    const words = 'ab '.repeat(300_000);
    const pieces = cut([words]);
    expect(pieces.join('')).toBe(words);
    expect(pieces.every((piece) => piece.length <= 250 && piece.endsWith(' '))).toBe(true);
  });
});

describe('chunkTextStream', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.uninstall();
    clock = undefined;
  });

  it('applies the rules across chunks and sends the rest at the end', async () => {
    expect(await collect(chunkTextStream(from(['Hello', ' world. How', ' are you'])))).toEqual([
      'Hello world. ',
      'How are you',
    ]);
  });

  it('sends text that waited maxWaitMs, on the fake clock', async () => {
    clock = createFakeClock();
    let release: (() => void) | undefined;
    async function* slow(): AsyncGenerator<string> {
      yield 'Thinking about';
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      yield ' it. Done';
    }
    const iterator = chunkTextStream(slow(), { maxWaitMs: 300 })[Symbol.asyncIterator]();
    const first = iterator.next();
    let settled = false;
    void first.then(() => {
      settled = true;
    });
    await clock.advance(299);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await first).toEqual({ done: false, value: 'Thinking about' });
    const second = iterator.next();
    release?.();
    expect(await second).toEqual({ done: false, value: ' it. ' });
    expect(await iterator.next()).toEqual({ done: false, value: 'Done' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('by default sends text that waited 400 ms, on the fake clock', async () => {
    clock = createFakeClock();
    let release: (() => void) | undefined;
    async function* slow(): AsyncGenerator<string> {
      yield 'Thinking about';
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      yield ' it.';
    }
    const iterator = chunkTextStream(slow())[Symbol.asyncIterator]();
    const first = iterator.next();
    let settled = false;
    void first.then(() => {
      settled = true;
    });
    await clock.advance(399);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(settled).toBe(true);
    expect(await first).toEqual({ done: false, value: 'Thinking about' });
    const second = iterator.next();
    release?.();
    expect(await second).toEqual({ done: false, value: ' it.' });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stopping early stops the source and leaves no timer', async () => {
    clock = createFakeClock();
    let returned = false;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: 'One. two' }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    for await (const piece of chunkTextStream(source)) {
      expect(piece).toBe('One. ');
      break;
    }
    expect(returned).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('passes a source failure on', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'Hi. ';
      throw new Error('model failed');
    }
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const piece of chunkTextStream(failing())) pieces.push(piece);
      })(),
    ).rejects.toThrow('model failed');
    expect(pieces).toEqual(['Hi. ']);
  });
});
