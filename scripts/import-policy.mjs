// What a package root's import loads, and what it may not load, shared by `benchmarks/cold-import.bench.mjs` and
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

/**
 * A module script for `node --input-type=module -e <script> <specifier>`: imports the specifier and writes the
 * `file:` URL of every module the import loaded to stdout, as JSON.
 */
export const traceImportScript = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { if (url.startsWith('file:')) loaded.push(url); return next(url, context); } });
await import(process.argv[1]);
process.stdout.write(JSON.stringify(loaded));`;

/** The package a loaded file's URL belongs to: `zod`, `@scope/name`, or `@patchbay/<folder>` for workspace builds. */
export function packageOf(url) {
  const path = decodeURIComponent(new URL(url).pathname);
  const inModules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inModules) return inModules[1];
  const inWorkspace = /\/packages\/([^/]+)\//.exec(path);
  return inWorkspace ? `@patchbay/${inWorkspace[1]}` : path;
}
