import { isCredentialName } from './credential-names.js';
import { redactedText } from './secret.js';

/** Longest text `scrubText` returns; vendor messages past this carry nothing a caller needs. */
export const maxScrubbedLength = 500;

/**
 * Removes secrets from free text that is about to leave through an error,
 * a log line, a delivery log or a status report — typically a vendor's error
 * message, which may echo the key it refused. Known values are cut out
 * wherever they stand; key-shaped tokens (OpenAI/Anthropic/ElevenLabs `sk-…`,
 * Google `AIza…`, Deepgram and Twilio hex keys, Twilio `SK…`, Meta `EAA…`,
 * JWTs), `Bearer`/`Basic`/`Token` credentials, `key=`/`token=`/`"apiKey":"…"`
 * values and URL userinfo are cut out even when unknown. Runs in linear time on
 * any input (no backtracking regular expressions) and returns at most
 * `maxScrubbedLength` characters, the `…` that marks a cut included. The one
 * scrubber every kind uses for vendor text.
 */
export function scrubText(text: string, secrets: readonly (string | undefined)[] = []): string {
  const scrubbed = scrubSecrets(String(text), secrets);
  if (scrubbed.length <= maxScrubbedLength) return scrubbed;
  // The ellipsis counts towards the bound; a surrogate pair is never cut in half.
  let end = maxScrubbedLength - 1;
  const last = scrubbed.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${scrubbed.slice(0, end)}…`;
}

/** `scrubText` without the length bound, for texts Patchbay writes itself (error messages, config values). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  return scrubShapes(removeKnownSecrets(text, secrets));
}

/** Known values shorter than this are never cut: they would cut ordinary words out of messages. */
export const minimumKnownSecretLength = 4;

/**
 * `text` with each known value (at least `minimumKnownSecretLength` characters), and the same value as it appears
 * inside a URL or a form body, replaced by `[redacted]`; the same string when none is there.
 */
export function removeKnownSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  // Only the values present are sorted and cut: the list may hold thousands of remembered secrets.
  const present = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < minimumKnownSecretLength) continue;
    if (text.includes(secret)) present.add(secret);
    // The same value as it appears inside a URL or a form body.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && text.includes(encoded)) present.add(encoded);
  }
  let scrubbed = text;
  // Longest first, so a secret that contains another is cut out whole.
  for (const value of [...present].sort((a, b) => b.length - a.length)) {
    scrubbed = scrubbed.split(value).join(redactedText);
  }
  return scrubbed;
}

// One character class, no nesting: each match is maximal and the scan never revisits a character.
const runPattern = /[A-Za-z0-9_\-.~+/%*]+/g;
const authSchemes = new Set(['bearer', 'basic', 'token', 'digest', 'apikey']);
const maxGap = 6;

/** A value that looks like a credential rather than a word (`unknown`, `expired`). */
function looksLikeCredential(run: string): boolean {
  if (run.length >= 20) return true;
  if (run.length < 6) return false;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/** The separator between a name and its value: `=`, `: `, `":"`, `='`. */
function assignment(gap: string): '=' | ':' | undefined {
  if (gap.length === 0 || gap.length > maxGap) return undefined;
  let operator: '=' | ':' | undefined;
  for (const character of gap) {
    if (character === '=' || character === ':') {
      if (operator) return undefined;
      operator = character;
    } else if (character !== ' ' && character !== '"' && character !== "'" && character !== '\t') return undefined;
  }
  return operator;
}

function isQuoted(gap: string): boolean {
  return gap.includes('"') || gap.includes("'");
}

function isBlank(gap: string): boolean {
  if (gap.length === 0 || gap.length > 3) return false;
  for (const character of gap) if (character !== ' ' && character !== '\t') return false;
  return true;
}

/** The last name in a dotted or slashed path: `headers.x-api-key` → `x-api-key`. */
function lastName(run: string): string {
  const cut = Math.max(run.lastIndexOf('.'), run.lastIndexOf('/'));
  return cut < 0 ? run : run.slice(cut + 1);
}

function scrubShapes(text: string): string {
  const pieces: string[] = [];
  let written = 0;
  let previous: { run: string; end: number; piece: number } | undefined;
  runPattern.lastIndex = 0;
  for (let match = runPattern.exec(text); match !== null; match = runPattern.exec(text)) {
    const run = match[0];
    const start = match.index;
    const end = start + run.length;
    pieces.push(text.slice(written, start));
    const gap = previous && start - previous.end <= maxGap ? text.slice(previous.end, start) : undefined;
    let replacement = redactKeyShapedParts(run);
    if (previous && gap !== undefined) {
      const operator = assignment(gap);
      const scheme = authSchemes.has(run.toLowerCase());
      if (operator && !scheme && isCredentialName(lastName(previous.run))) {
        if (operator === '=' || isQuoted(gap) || looksLikeCredential(run)) replacement = redactedText;
      } else if (isBlank(gap) && authSchemes.has(previous.run.toLowerCase()) && looksLikeCredential(run)) {
        replacement = redactedText;
      } else if (operator === ':' && text[end] === '@' && previous.run.startsWith('//')) {
        // `scheme://user:password@host`: both halves of the userinfo go.
        pieces[previous.piece] = `//${redactedText}`;
        replacement = redactedText;
      }
    }
    if (run.startsWith('//') && text[end] === '@') replacement = `//${redactedText}`;
    pieces.push(replacement);
    previous = { run, end, piece: pieces.length - 1 };
    written = end;
  }
  pieces.push(text.slice(written));
  return pieces.join('');
}

/** Cuts key-shaped parts out of one run, keeping the path and dot structure around them. */
export function redactKeyShapedParts(run: string): string {
  if (run.length < 8) return run;
  const segments = run.split('/');
  let changed = false;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as string;
    if (segment.length < 8) continue;
    if (isJwt(segment)) {
      segments[index] = redactedText;
      changed = true;
      continue;
    }
    const parts = segment.split('.');
    let partChanged = false;
    for (let part = 0; part < parts.length; part++) {
      if (isKeyShaped(parts[part] as string)) {
        parts[part] = redactedText;
        partChanged = true;
      }
    }
    if (partChanged) {
      segments[index] = parts.join('.');
      changed = true;
    }
  }
  return changed ? segments.join('/') : run;
}

function isJwt(segment: string): boolean {
  if (!segment.startsWith('eyJ') || segment.length < 20) return false;
  const parts = segment.split('.');
  return parts.length === 3 && (parts[1] as string).length > 0;
}

const vendorPrefixes: readonly (readonly [prefix: string, minimumLength: number])[] = [
  ['sk-', 8], // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-)
  ['sk_', 8], // ElevenLabs, Stripe-style
  ['rk-', 12],
  ['rk_', 12],
  ['dg_', 8],
  ['dg-', 8],
  ['xi_', 8],
  ['xi-', 8],
  ['AIza', 30], // Google API keys
  ['EAA', 40], // Meta Graph access tokens
  ['atsk_', 12], // Africa's Talking
  ['ghp_', 20],
  ['github_pat_', 20],
  ['glpat-', 20],
  ['xoxb-', 20],
  ['xoxp-', 20],
  ['AKIA', 20],
];

function isKeyShaped(part: string): boolean {
  if (part.length < 8) return false;
  for (const [prefix, minimumLength] of vendorPrefixes) {
    if (part.length >= minimumLength && part.startsWith(prefix)) return true;
  }
  if (part.length < 32) return false;
  let lowerHex = true;
  let upperHex = true;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  for (let index = 0; index < part.length; index++) {
    const code = part.charCodeAt(index);
    const isDigit = code >= 48 && code <= 57;
    const isUpper = code >= 65 && code <= 90;
    const isLower = code >= 97 && code <= 122;
    if (!isDigit && !isUpper && !isLower && code !== 45 && code !== 95) return false;
    if (isDigit) digits++;
    if (isUpper) upper++;
    if (isLower) lower++;
    if (!isDigit && !(code >= 97 && code <= 102)) lowerHex = false;
    if (!isDigit && !(code >= 65 && code <= 70)) upperHex = false;
  }
  // Twilio resource ids (AC…, MG…, SM…) are two capitals and 32 lower-case hex digits: identifiers, not
  // secrets, and what support needs. Twilio API key ids (SK…) are paired with a secret and are cut.
  if (/^[A-Z]{2}[0-9a-f]{32}$/.test(part)) return part.startsWith('SK');
  // Deepgram keys (40), Twilio auth tokens and legacy ElevenLabs keys (32) are bare hex.
  if (lowerHex || upperHex) return digits > 0;
  // Anything else this long that mixes cases and digits is random key material, not a word.
  return digits > 0 && upper > 0 && lower > 0;
}
