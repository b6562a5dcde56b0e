/**
 * SMS segment counting and splitting per GSM 03.38 / 3GPP TS 23.038.
 *
 * A message is GSM-7 when every character is in the GSM default alphabet or its extension table,
 * otherwise UCS-2. One GSM-7 message carries 160 septets; a concatenated one 153 per segment
 * (the user data header takes the rest). UCS-2 carries 70 UTF-16 code units, 67 per segment.
 */

export interface SmsSegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Characters counted in the encoding's units (GSM-7 septets incl. escapes, or UTF-16 code units). */
  units: number;
  /** Units that still fit in the last segment. */
  remaining: number;
}

/** GSM 03.38 default alphabet (the escape 0x1B itself is not a character a user can send). */
const gsmBasic = new Set(
  Array.from(
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
      '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ),
);

/** Extension table: each costs two septets (escape + character). */
const gsmExtension = new Set(Array.from('\f^{}\\[~]|€'));

export const smsLimits = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const;

/** Septets one character takes in GSM-7, or undefined when it is outside the alphabet. */
function gsmSeptets(char: string): 1 | 2 | undefined {
  if (gsmBasic.has(char)) return 1;
  if (gsmExtension.has(char)) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  for (const char of text) {
    if (gsmSeptets(char) === undefined) return false;
  }
  return true;
}

interface Piece {
  text: string;
  units: number;
}

/**
 * Atoms that may never be split: a GSM-7 character (1 or 2 septets: an escape pair stays together),
 * or a UCS-2 code point (1 or 2 code units: a surrogate pair stays together). Iterating a string
 * yields code points, so a lone surrogate comes out alone and counts as one unit.
 */
function atoms(text: string, encoding: SmsSegmentInfo['encoding']): Piece[] {
  const result: Piece[] = [];
  for (const char of text) {
    result.push({ text: char, units: encoding === 'GSM-7' ? (gsmSeptets(char) ?? 1) : char.length });
  }
  return result;
}

function encodingOf(text: string): SmsSegmentInfo['encoding'] {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

/** Greedy split into multipart segments; an atom that does not fit closes the segment early. */
function split(text: string, encoding: SmsSegmentInfo['encoding']): Piece[] {
  const pieces = atoms(text, encoding);
  const total = pieces.reduce((sum, piece) => sum + piece.units, 0);
  if (total === 0) return [];
  if (total <= smsLimits[encoding].single) return [{ text, units: total }];
  const limit = smsLimits[encoding].multipart;
  const segments: Piece[] = [];
  let current: Piece = { text: '', units: 0 };
  for (const piece of pieces) {
    if (current.units + piece.units > limit) {
      segments.push(current);
      current = { text: '', units: 0 };
    }
    current.text += piece.text;
    current.units += piece.units;
  }
  segments.push(current);
  return segments;
}

/**
 * How many SMS segments `text` is billed as. An empty text is 0 segments (nothing to send);
 * `remaining` is what still fits in the last segment before another one starts.
 */
export function countSmsSegments(text: string): SmsSegmentInfo {
  const encoding = encodingOf(text);
  const segments = split(text, encoding);
  const units = segments.reduce((sum, segment) => sum + segment.units, 0);
  const limits = smsLimits[encoding];
  const last = segments.at(-1);
  let remaining: number;
  if (last === undefined) remaining = limits.single;
  else if (segments.length === 1) remaining = limits.single - last.units;
  else remaining = limits.multipart - last.units;
  return { encoding, segments: segments.length, units, remaining };
}

/** The texts of the segments `text` is sent as, in order (empty text → no segment). */
export function splitSmsSegments(text: string): string[] {
  return split(text, encodingOf(text)).map((segment) => segment.text);
}
