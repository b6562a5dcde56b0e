import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const sdks = ['openai', '@deepgram/sdk', '@elevenlabs/elevenlabs-js'];

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

it('never imports a vendor SDK at module load (they are optional peers, loaded on first call)', () => {
  const offenders: string[] = [];
  for (const file of sources(import.meta.dirname)) {
    const text = readFileSync(file, 'utf8');
    for (const sdk of sdks) {
      const escaped = sdk.replace(/[/.@-]/g, '\\$&');
      // Static value imports and re-exports; `import type` is erased and dynamic `import()` is the lazy path.
      const statically = new RegExp(`^\\s*(import|export)\\s+(?!type\\b)[^;]*from\\s+['"]${escaped}['"]`, 'm');
      if (statically.test(text)) offenders.push(`${file}: ${sdk}`);
    }
  }
  expect(offenders).toEqual([]);
  // The lazy path exists: each adapter loads its SDK with a dynamic import.
  const all = sources(import.meta.dirname)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  for (const sdk of sdks) expect(all).toContain(`import('${sdk}')`);
});
