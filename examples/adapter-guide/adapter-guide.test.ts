// The adapter guide (docs/writing-an-adapter.md) promises that its Acme SMS adapter passes the messaging
// conformance suite. This runs the guide's own code: every block that starts with a file name comment is written
// out as that file, and the guide's test block registers the suite here. `pnpm snippets` type-checks the same blocks.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const guide = readFileSync(join(root, 'docs/writing-an-adapter.md'), 'utf8');
// The guide imports zod as a user would; here it is core's copy (the examples package does not declare zod).
const zod = createRequire(join(root, 'packages/core/package.json'))
  .resolve('zod')
  .replace(/\.cjs$/, '.js');

/** The guide's files, by name: a ```ts block whose first line is `// <file>.ts`. */
function guideFiles(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of markdown.matchAll(/^```ts\n\/\/ ([a-z0-9-]+(?:\.test)?\.ts)\n([\s\S]*?)^```$/gm)) {
    const [, name, code] = match;
    if (name && code !== undefined) files.set(name, `// ${name}\n${code}`);
  }
  return files;
}

const files = guideFiles(guide);
const folder = join(root, 'examples/adapter-guide/.generated');
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
for (const [name, code] of files) {
  // The test block is renamed so that no test glob ever picks the generated copy up on its own.
  const fileName = name === 'acme-sms-provider.test.ts' ? 'acme-sms-provider.guide.ts' : name;
  writeFileSync(join(folder, fileName), code.replaceAll("from 'zod'", `from '${zod}'`));
}

describe('the adapter guide: Acme SMS', async () => {
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  if (!files.has('acme-sms-provider.test.ts') || !files.has('acme-sms-provider.ts')) {
    throw new Error('docs/writing-an-adapter.md lost its acme-sms-provider.ts or acme-sms-provider.test.ts block');
  }
  // Registers beforeAll/afterAll and one test per conformance case, exactly as the guide's test file does.
  await import(join(folder, 'acme-sms-provider.guide.ts'));
});
