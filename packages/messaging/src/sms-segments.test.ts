import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7, splitSmsSegments } from './sms-segments.js';

const gsm = (n: number) => 'a'.repeat(n);
const ucs = (n: number) => 'ж'.repeat(n);

function joinedEquals(text: string) {
  expect(splitSmsSegments(text).join('')).toBe(text);
}

describe('countSmsSegments — GSM-7', () => {
  it('empty text is no segment', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, units: 0, remaining: 160 });
    expect(splitSmsSegments('')).toEqual([]);
  });

  it('1 and 160 characters fit in one segment', () => {
    expect(countSmsSegments(gsm(1))).toEqual({ encoding: 'GSM-7', segments: 1, units: 1, remaining: 159 });
    expect(countSmsSegments(gsm(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160, remaining: 0 });
  });

  it('161 characters need two segments of at most 153', () => {
    expect(countSmsSegments(gsm(161))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161, remaining: 145 });
    expect(splitSmsSegments(gsm(161)).map((s) => s.length)).toEqual([153, 8]);
  });

  it('306 characters are exactly two segments, 307 are three', () => {
    expect(countSmsSegments(gsm(306))).toMatchObject({ segments: 2, units: 306, remaining: 0 });
    expect(countSmsSegments(gsm(307))).toMatchObject({ segments: 3, units: 307, remaining: 152 });
    expect(countSmsSegments(gsm(459))).toMatchObject({ segments: 3, remaining: 0 });
    expect(countSmsSegments(gsm(460))).toMatchObject({ segments: 4 });
  });

  it('counts every extension-table character as two septets', () => {
    for (const char of ['^', '{', '}', '\\', '[', ']', '~', '|', '€', '\f']) {
      expect(countSmsSegments(char)).toEqual({ encoding: 'GSM-7', segments: 1, units: 2, remaining: 158 });
    }
  });

  it('80 euro signs fill one message exactly, 81 overflow', () => {
    expect(countSmsSegments('€'.repeat(80))).toMatchObject({ segments: 1, units: 160, remaining: 0 });
    expect(countSmsSegments('€'.repeat(81))).toMatchObject({ segments: 2, units: 162 });
  });

  it('an extension character at septets 153/154 moves whole to the next segment', () => {
    const text = `${gsm(152)}€${gsm(10)}`;
    // 152 + 2 + 10 = 164 septets; the escape pair would straddle 153/154, so segment one closes at 152.
    expect(splitSmsSegments(text).map((s) => s.length)).toEqual([152, 11]);
    expect(countSmsSegments(text)).toEqual({ encoding: 'GSM-7', segments: 2, units: 164, remaining: 141 });
    joinedEquals(text);
  });

  it('an extension character ending exactly at septet 153 stays in segment one', () => {
    const text = `${gsm(151)}€${gsm(10)}`;
    expect(splitSmsSegments(text).map((s) => s.length)).toEqual([152, 10]);
    expect(countSmsSegments(text)).toMatchObject({ segments: 2, units: 163, remaining: 143 });
  });

  it('an early close can add a segment', () => {
    // 152 + '€' + 151 = 305 septets: segment one closes at 152, segment two holds 2 + 151 = 153 exactly.
    // One more character (306 septets, which would fit two segments of 153 if splittable) needs three.
    expect(countSmsSegments(`${gsm(152)}€${gsm(151)}`)).toMatchObject({ segments: 2, remaining: 0 });
    expect(countSmsSegments(`${gsm(152)}€${gsm(152)}`)).toMatchObject({ segments: 3, remaining: 152 });
  });

  it('recognises the accented letters and Greek capitals of the default alphabet', () => {
    expect(isGsm7('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r')).toBe(true);
    expect(countSmsSegments('Ça coûte 5€')).toMatchObject({ encoding: 'UCS-2' }); // û is not GSM
    expect(countSmsSegments('Ça côute')).toMatchObject({ encoding: 'UCS-2' });
    expect(countSmsSegments('Ça marche, 5€ {ok}')).toMatchObject({ encoding: 'GSM-7', units: 21 });
  });
});

describe('countSmsSegments — UCS-2', () => {
  it('70 code units fit in one segment, 71 need two', () => {
    expect(countSmsSegments(ucs(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70, remaining: 0 });
    expect(countSmsSegments(ucs(71))).toEqual({ encoding: 'UCS-2', segments: 2, units: 71, remaining: 63 });
  });

  it('134 code units are two segments of 67, 135 are three', () => {
    expect(countSmsSegments(ucs(134))).toMatchObject({ segments: 2, units: 134, remaining: 0 });
    expect(countSmsSegments(ucs(135))).toMatchObject({ segments: 3, units: 135, remaining: 66 });
  });

  it('one non-GSM character switches the whole message to UCS-2', () => {
    expect(countSmsSegments(`${gsm(100)}ж`)).toEqual({ encoding: 'UCS-2', segments: 2, units: 101, remaining: 33 });
  });

  it('an emoji counts as two code units', () => {
    expect(countSmsSegments('😀')).toEqual({ encoding: 'UCS-2', segments: 1, units: 2, remaining: 68 });
    expect(countSmsSegments('😀'.repeat(35))).toMatchObject({ segments: 1, units: 70, remaining: 0 });
    expect(countSmsSegments('😀'.repeat(36))).toMatchObject({ segments: 2, units: 72 });
  });

  it('an emoji straddling unit 67/68 moves whole to the next segment', () => {
    const text = `${ucs(66)}😀${ucs(10)}`;
    expect(splitSmsSegments(text)).toEqual([ucs(66), `😀${ucs(10)}`]);
    expect(countSmsSegments(text)).toEqual({ encoding: 'UCS-2', segments: 2, units: 78, remaining: 55 });
  });

  it('an emoji ending exactly at unit 67 stays', () => {
    const text = `${ucs(65)}😀${ucs(10)}`;
    expect(splitSmsSegments(text)).toEqual([`${ucs(65)}😀`, ucs(10)]);
  });

  it('in UCS-2 the GSM extension characters count one unit each', () => {
    expect(countSmsSegments('€ж')).toMatchObject({ encoding: 'UCS-2', units: 2 });
  });

  it('a lone surrogate counts as one unit and never throws', () => {
    expect(countSmsSegments('\ud83d')).toMatchObject({ encoding: 'UCS-2', units: 1, segments: 1 });
  });

  it('mixed emoji, Cyrillic and ASCII split without losing or splitting characters', () => {
    const text = 'Привет 👋 '.repeat(30);
    const parts = splitSmsSegments(text);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(67);
      expect(/[\ud800-\udbff]$/.test(part)).toBe(false);
    }
    expect(parts.length).toBe(countSmsSegments(text).segments);
  });
});
