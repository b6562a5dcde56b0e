/** Reads a byte stream (an audio clip, an upload) into one buffer; stops at once when the signal aborts. */
export async function collectBytes(source: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
