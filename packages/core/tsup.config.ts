import { defineConfig } from 'tsup';
import { packageEntries } from '../../scripts/tsup-shared.js';

const entries = packageEntries(import.meta.dirname);

// Besides the exports subpaths: the `patchbay` bin (package.json `bin`), not importable as a subpath.
export default defineConfig({ ...entries, entry: { ...entries.entry, 'cli/main': 'src/cli/main.ts' } });
