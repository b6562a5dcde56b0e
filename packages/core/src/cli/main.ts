#!/usr/bin/env node
// The `patchbay` bin. Help and usage errors answer from the argument parser alone; the rest of Patchbay
// is loaded only for a command that needs it.
import { parseArguments, UsageError, usage } from './cli-arguments.js';

let command: string | undefined;
try {
  command = parseArguments(process.argv.slice(2)).command;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n\n${usage}\n`);
  process.exitCode = 2;
}
if (command === 'help') process.stdout.write(`${usage}\n`);
else if (command !== undefined) {
  const { runCli } = await import('./run-cli.js');
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
