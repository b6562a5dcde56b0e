#!/usr/bin/env node
import { parseArguments, UsageError, usage } from '../chunk-IBBAYEQC.js';

// src/cli/main.ts
var command;
try {
  command = parseArguments(process.argv.slice(2)).command;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}

${usage}
`);
  process.exitCode = 2;
}
if (command === "help") process.stdout.write(`${usage}
`);
else if (command !== void 0) {
  const { runCli } = await import('../run-cli-IU3RVSC5.js');
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env
  });
}
//# sourceMappingURL=main.js.map
//# sourceMappingURL=main.js.map