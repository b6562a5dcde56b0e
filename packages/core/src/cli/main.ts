#!/usr/bin/env node
// The `patchbay` bin. Importing this module parses nothing and opens nothing until it runs as the entry.
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
