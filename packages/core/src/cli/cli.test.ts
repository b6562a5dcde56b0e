// Runs the real built `patchbay` bin (packages/core/dist/cli/main.js) in a child process against the
// OpenAI simulator, with the configuration in a folder of the examples project so `@patchbay/llm/openai`
// resolves the way it does in a user's project. `pnpm check` builds before testing; run alone, the
// packages are built here when their dist is missing.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeClock } from '@patchbay/testing';
import { createOpenAISimulator } from '@patchbay/testing/simulators/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineProviderFactory } from '../adapter/index.js';
import { runCli } from './run-cli.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = join(root, 'packages/core/dist/cli/main.js');
const workDirectory = join(root, 'examples/.cli-test-output', `run-${process.pid}`);
const simulator = createOpenAISimulator({ apiKeys: ['sk-cli-canary-0123456789abcdef'] });
const goodKey = 'sk-cli-canary-0123456789abcdef';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runBin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: workDirectory, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function writeConfig(name: string, config: unknown): string {
  const path = join(workDirectory, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

const openaiProvider = (extra: Record<string, unknown> = {}) => ({
  kind: 'llm',
  vendor: 'openai',
  settings: { model: 'gpt-4o-mini', baseURL: `${simulator.url}/v1`, ...extra },
});

beforeAll(async () => {
  const needed = [
    ['@patchbay/core', bin],
    ['@patchbay/llm', join(root, 'packages/llm/dist/openai/index.js')],
  ].filter(([, file]) => !existsSync(file as string));
  for (const [name] of needed) {
    execFileSync('pnpm', ['--filter', name as string, 'build'], { cwd: root, stdio: 'ignore' });
  }
  mkdirSync(workDirectory, { recursive: true });
  await simulator.start();
}, 600_000);

afterAll(async () => {
  await simulator.close();
  rmSync(workDirectory, { recursive: true, force: true });
});

describe('the patchbay bin', () => {
  it('check: validates the configuration and names missing credentials and the variables tried', async () => {
    const config = writeConfig('patchbay.json', {
      factories: ['@patchbay/llm/openai'],
      providers: { openai: openaiProvider() },
    });
    const missing = await runBin(['check', config]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('openai');
    expect(missing.stdout).toContain('missing apiKey');
    expect(missing.stdout).toContain('OPENAI_API_KEY');
    const present = await runBin(['check', config, '--json'], { OPENAI_API_KEY: goodKey });
    expect(present.code).toBe(0);
    const body = JSON.parse(present.stdout);
    expect(body.credentials[0]).toMatchObject({ provider: 'openai', ok: true, sources: { apiKey: 'environment' } });
    expect(present.stdout).not.toContain(goodKey);
  });

  it('check: names the path of an invalid field, and refuses a factory module that does not exist', async () => {
    const invalid = writeConfig('invalid.json', {
      factories: ['@patchbay/llm/openai'],
      providers: { openai: { ...openaiProvider(), kind: 'sms' } },
      routes: { llm: { providers: 'openai' } },
    });
    const result = await runBin(['check', invalid]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('routes.llm.providers');
    const unknown = writeConfig('unknown.json', { factories: ['@patchbay/nothing-here'], providers: {} });
    const missingModule = await runBin(['check', unknown]);
    expect(missingModule.code).toBe(1);
    expect(missingModule.stderr).toContain('@patchbay/nothing-here');
    const broken = writeConfig('broken.json', '{ "providers": ');
    expect((await runBin(['check', broken])).stderr).toContain('not valid JSON');
  });

  it('status: prints the table (no colour when piped), progress on stderr, exit 0 only when healthy', async () => {
    const config = writeConfig('status.json', {
      factories: ['@patchbay/llm/openai'],
      providers: {
        openai: openaiProvider(),
        backup: openaiProvider({ apiKey: 'sk-wrong-key-000000000000000000' }),
      },
    });
    const result = await runBin(['status', config], { OPENAI_API_KEY: goodKey });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/openai\s+llm\s+openai\s+connected/);
    expect(result.stdout).toMatch(/backup\s+llm\s+openai\s+error/);
    expect(result.stdout).toContain('Overall: degraded');
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stderr).toContain('Checking providers');
    expect(result.stdout + result.stderr).not.toContain(goodKey);
    expect(result.stdout + result.stderr).not.toContain('sk-wrong-key-000000000000000000');

    const healthy = writeConfig('healthy.json', {
      factories: ['@patchbay/llm/openai'],
      providers: { openai: openaiProvider() },
    });
    const json = await runBin(['status', healthy, '--json'], { OPENAI_API_KEY: goodKey });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).overall_status).toBe('healthy');
  });

  it('validate: runs one provider live test; a module config whose default export is the configuration', async () => {
    const moduleConfig = writeConfig(
      'patchbay.config.mjs',
      `export default ${JSON.stringify({
        factories: ['@patchbay/llm/openai'],
        providers: { openai: openaiProvider() },
      })};\n`,
    );
    const ok = await runBin(['validate', moduleConfig, 'openai'], { OPENAI_API_KEY: goodKey });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('openai: connected');
    const wrong = await runBin(['validate', moduleConfig, 'openai'], {
      OPENAI_API_KEY: 'sk-not-accepted-00000000000000',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('openai: error');
    const unknownProvider = await runBin(['validate', moduleConfig, 'nope'], { OPENAI_API_KEY: goodKey });
    expect(unknownProvider.code).toBe(1);
    expect(unknownProvider.stderr).toContain('No provider "nope"');
  });

  it('answers bad usage with exit code 2 and the usage text', async () => {
    const result = await runBin(['stauts', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command');
    expect(result.stderr).toContain('Usage: patchbay');
    expect((await runBin(['validate', 'x.json'])).code).toBe(2);
    expect((await runBin(['--help'])).stdout).toContain('check <config>');
  });
});

// In process, on the fake clock: a provider whose `test()` never answers, handed to a module configuration through
// a global (the module is the configuration file the CLI loads).
describe('validate: the live check is bounded in time', () => {
  const factoriesKey = Symbol.for('patchbay.cli-test.hung-factories');
  let tested: () => void = () => {};

  beforeAll(() => {
    const hung = defineProviderFactory({
      kind: 'llm',
      vendor: 'hung',
      create: ({ id }) =>
        ({
          specificationVersion: 'v1',
          id,
          kind: 'llm',
          vendor: 'hung',
          capabilities: { streaming: false, tools: false, images: false, jsonOutput: false },
          generate: () => Promise.reject(new Error('not used')),
          stream: () => Promise.reject(new Error('not used')),
          test: () => {
            tested();
            return new Promise(() => {});
          },
          getConfig: () => ({ id }),
          updateConfig: async () => {},
        }) as never,
    });
    (globalThis as Record<symbol, unknown>)[factoriesKey] = [hung];
  });

  afterAll(() => {
    delete (globalThis as Record<symbol, unknown>)[factoriesKey];
  });

  async function validateHung(name: string, config: Record<string, unknown>, extra: string[], limitMs: number) {
    const path = writeConfig(
      name,
      `export default { factories: globalThis[Symbol.for('patchbay.cli-test.hung-factories')], ...${JSON.stringify(config)} };\n`,
    );
    const clock = createFakeClock();
    try {
      const called = new Promise<void>((resolve) => {
        tested = resolve;
      });
      const stdout: string[] = [];
      let code: number | undefined;
      const run = runCli(['validate', path, 'h', ...extra], {
        stdout: { write: (text: string) => stdout.push(text) },
        stderr: { write: () => true },
        env: {},
      }).then((exit) => {
        code = exit;
      });
      await called;
      await clock.advance(limitMs - 1);
      expect(code).toBeUndefined();
      await clock.advance(1);
      for (let turn = 0; turn < 20 && code === undefined; turn++) await new Promise((resolve) => setImmediate(resolve));
      expect(code).toBe(1);
      await run;
      expect(stdout.join('')).toContain(`h: error`);
      expect(stdout.join('')).toContain(`timed out after ${limitMs} ms`);
      expect(clock.pendingTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  }

  it('--timeout bounds a test() that never answers', async () => {
    await validateHung(
      'hung-timeout.config.mjs',
      { providers: { h: { kind: 'llm', vendor: 'hung' } } },
      ['--timeout', '300'],
      300,
    );
  });

  it('without --timeout, the configuration health.timeoutMs bounds it', async () => {
    await validateHung(
      'hung-config.config.mjs',
      { providers: { h: { kind: 'llm', vendor: 'hung' } }, health: { timeoutMs: 1_000 } },
      [],
      1_000,
    );
  });
});
