// What no package root may load on import, shared by `benchmarks/cold-import.bench.mjs` and
// `examples/package-roots.test.ts`: adapters load their vendor SDK or driver on first use, and these heavy
// dependencies load when first needed.

/** Vendor SDKs and drivers: loaded by an adapter or store on its first call. */
export const vendorSdks = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/genai',
  '@elevenlabs/elevenlabs-js',
  '@deepgram/sdk',
  '@aws-sdk/client-bedrock-runtime',
  'ws',
  'pg',
  '@electric-sql/pglite',
  'redis',
];

/** Heavy dependencies loaded on first use: phone metadata, the fake clock, the HTTP client. */
export const loadedOnFirstUse = ['libphonenumber-js', '@sinonjs/fake-timers', 'undici'];
