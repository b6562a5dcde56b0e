/** Digits (optionally `+`-prefixed) become `+digits`; sender ids and other text stay as they are. */
export function plusPrefixedNumber(value: string | undefined): string {
  const raw = (value ?? '').trim();
  return /^\+?\d{6,15}$/.test(raw) ? `+${raw.replace(/^\+/, '')}` : raw;
}
