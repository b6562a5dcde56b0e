import type { LanguageModelImagePart } from '@patchbay/core';

/** Base64 of raw image bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** An image part as a URL: given URLs verbatim, bytes as a `data:` URL. */
export function imageUrl(part: LanguageModelImagePart): string {
  if (typeof part.image === 'string') return part.image;
  return `data:${part.mimeType ?? 'image/png'};base64,${base64(part.image)}`;
}

/** An image part as bytes + media type, for vendors that take inline data; undefined for remote URLs. */
export function inlineImage(part: LanguageModelImagePart): { mimeType: string; data: string } | undefined {
  if (typeof part.image !== 'string') return { mimeType: part.mimeType ?? 'image/png', data: base64(part.image) };
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.image);
  return match ? { mimeType: match[1] as string, data: match[2] as string } : undefined;
}
