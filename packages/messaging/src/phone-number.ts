/** E.164 normalisation. Placeholder signature; the real implementation (libphonenumber-js) replaces this file. */
export function normalizePhoneNumber(input: string, options: { defaultCountry?: string | undefined; field?: string } = {}): string {
  void options;
  return input;
}
