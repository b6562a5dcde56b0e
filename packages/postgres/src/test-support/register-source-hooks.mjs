import { register } from 'node:module';

register(new URL('./source-hooks.mjs', import.meta.url));
