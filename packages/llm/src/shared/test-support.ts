// Helpers for this package's tests only (not exported, not bundled: no entry imports it).
import { type LanguageModelStreamPart, PatchbayError } from '@patchbay/core';

/** The PatchbayError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<PatchbayError> {
  try {
    await promise;
  } catch (error) {
    if (PatchbayError.isInstance(error)) return error;
    throw new Error(`expected a PatchbayError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure');
}

export async function collect(stream: AsyncIterable<LanguageModelStreamPart>): Promise<LanguageModelStreamPart[]> {
  const parts: LanguageModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** Consumes a stream, keeping the parts that arrived before it failed. */
export async function collectUntilFailure(
  stream: AsyncIterable<LanguageModelStreamPart>,
): Promise<{ parts: LanguageModelStreamPart[]; error: PatchbayError }> {
  const parts: LanguageModelStreamPart[] = [];
  const error = await failure(
    (async () => {
      for await (const part of stream) parts.push(part);
    })(),
  );
  return { parts, error };
}
