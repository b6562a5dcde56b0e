import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const hooks = fileURLToPath(new URL('./register-source-hooks.mjs', import.meta.url));

/** Starts `node <script> …args` on the TypeScript sources (see source-hooks.mjs). */
export function spawnOnSources(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--experimental-strip-types', '--import', hooks, script, ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runOnSources(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ChildResult> {
  const child = spawnOnSources(script, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
