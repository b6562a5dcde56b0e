import { defineConfig } from 'tsup';
import { packageEntries } from '../../scripts/tsup-shared.js';

export default defineConfig(packageEntries(import.meta.dirname));
