import { describe, expect, it } from 'vitest';
import { releaseOnEarlyReturn } from './release-on-early-return.js';

/** A generator whose `finally` records that it ran, with a counter of releases. */
function guarded() {
  const state = { cleanedUp: 0, released: 0 };
  async function* parts(): AsyncGenerator<number, string> {
    try {
      yield 1;
      yield 2;
      return 'end';
    } finally {
      state.cleanedUp++;
    }
  }
  const stream = releaseOnEarlyReturn(parts(), () => {
    state.released++;
  });
  return { stream, state };
}

describe('releaseOnEarlyReturn', () => {
  it('return() before the first next() releases once, and the stream is over', async () => {
    const { stream, state } = guarded();
    await expect(stream.return('stopped')).resolves.toEqual({ done: true, value: 'stopped' });
    // The generator's body never ran (so its `finally` did not): the release stood in for it.
    expect(state).toEqual({ cleanedUp: 0, released: 1 });
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
    await stream.return('again');
    expect(state.released).toBe(1);
  });

  it('throw() before the first next() releases too, and rejects with the error', async () => {
    const { stream, state } = guarded();
    const error = new Error('consumer failed');
    await expect(stream.throw(error)).rejects.toBe(error);
    expect(state).toEqual({ cleanedUp: 0, released: 1 });
  });

  it('once started, the generator’s own finally runs and release does not', async () => {
    const { stream, state } = guarded();
    await expect(stream.next()).resolves.toEqual({ done: false, value: 1 });
    await stream.return('stopped');
    expect(state).toEqual({ cleanedUp: 1, released: 0 });
  });

  it('reads as the generator does (for await, its return value), releasing nothing', async () => {
    const { stream, state } = guarded();
    expect(stream[Symbol.asyncIterator]()).toBe(stream);
    const values: number[] = [];
    for await (const value of stream) values.push(value);
    expect(values).toEqual([1, 2]);
    expect(state).toEqual({ cleanedUp: 1, released: 0 });
  });

  it('a release that fails rejects return(), yet the stream is over', async () => {
    async function* parts(): AsyncGenerator<number> {
      yield 1;
    }
    const failure = new Error('could not close');
    const stream = releaseOnEarlyReturn(parts(), async () => {
      throw failure;
    });
    await expect(stream.return(undefined)).rejects.toBe(failure);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
