/** GSM 03.38 segment counting. Placeholder signature; the real implementation replaces this file. */
export interface SmsSegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Characters counted in the encoding's units (GSM-7 septets incl. escapes, or UTF-16 code units). */
  units: number;
  /** Units that still fit in the last segment. */
  remaining: number;
}

export function countSmsSegments(text: string): SmsSegmentInfo {
  const segments = text.length <= 160 ? 1 : Math.ceil(text.length / 153);
  return { encoding: 'GSM-7', segments, units: text.length, remaining: 0 };
}
