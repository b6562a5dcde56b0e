import { failureOf as failure } from '@patchbay/testing/conformance';

export { failure };

/**
 * Helpers shared by the transcriber tests (imported by tests only; not part of
 * the package's entry points).
 */
import type { Transcriber } from '@patchbay/core';
import { silentWav } from '@patchbay/testing/simulators/deepgram';
import type { VendorSimulator } from '@patchbay/testing/simulators/framework';
import { expect, it } from 'vitest';

/** The bytes as a stream of `size`-byte chunks. */
export async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

/** The multipart form of the `index`-th request the simulator received on `path`. */
export async function formOf(simulator: VendorSimulator, path: string, index = 0): Promise<FormData> {
  const request = simulator.requestsTo(path)[index];
  if (!request) throw new Error(`no request to ${path}`);
  return new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': String(request.headers['content-type']) },
    body: request.body,
  }).formData();
}

/** A hung request aborted by the caller is `aborted`, a reset socket `connection`, a malformed body `unavailable`. */
export async function expectHangResetAndMalformedMapped(
  simulator: VendorSimulator,
  transcriber: () => Transcriber,
): Promise<void> {
  simulator.inject({ type: 'hang' });
  const controller = new AbortController();
  const pending = transcriber().transcribe(
    { audio: silentWav(1), mimeType: 'audio/wav' },
    { signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 50);
  expect((await failure(pending)).code).toBe('aborted');
  simulator.inject({ type: 'reset' });
  expect((await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).code).toBe(
    'connection',
  );
  simulator.inject({ type: 'malformed' });
  expect(await failure(transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }))).toMatchObject({
    code: 'unavailable',
    vendorCode: 'malformed_response',
  });
}

/** Defines the cases that each failed status on `path` is mapped to its code after exactly one request. */
export function itMapsHttpStatuses(options: {
  simulator: () => VendorSimulator;
  transcriber: () => Transcriber;
  path: string;
  vendor: string;
}): void {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [500, 'unavailable'],
    [503, 'unavailable'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    const simulator = options.simulator();
    simulator.inject({ type: 'status', status }, { path: options.path });
    const error = await failure(options.transcriber().transcribe({ audio: silentWav(1), mimeType: 'audio/wav' }));
    expect(error).toMatchObject({ code, status, provider: options.vendor, vendor: options.vendor });
    expect(simulator.requestsTo(options.path)).toHaveLength(1);
  });
}
