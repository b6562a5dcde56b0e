import { PatchbayError } from '../errors/patchbay-error.js';
import { patchbayStatusHooks, type StatusHooks } from '../health/status-hooks.js';
import { type StatusReport, testWithTimeout } from '../health/status-report.js';
import { createPatchbay, type Patchbay } from '../patchbay.js';
import type { BaseProvider, HealthResult } from '../spec/provider.js';
import { type CliArguments, parseArguments, UsageError, usage } from './cli-arguments.js';
import { loadConfigFile } from './config-file.js';
import { formatStatusTable, paint, printable } from './status-table.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  env: Readonly<Record<string, string | undefined>>;
}

interface CredentialLine {
  provider: string;
  ok: boolean;
  sources?: Record<string, string> | undefined;
  missing?: string[] | undefined;
  invalid?: string[] | undefined;
  tried?: string[] | undefined;
  note?: string | undefined;
}

/** The credential half of an adapter (AbstractProvider), reached without a live call. */
interface CredentialIntrospection {
  resolveCredentials?: (
    settings: unknown,
    options: { tenant?: string | undefined },
  ) => Promise<{ sources: Record<string, string> }>;
  settings?: unknown;
}

async function credentialLine(provider: BaseProvider, tenant: string | undefined): Promise<CredentialLine> {
  const adapter = provider as unknown as CredentialIntrospection;
  if (typeof adapter.resolveCredentials !== 'function') {
    return { provider: provider.id, ok: true, note: 'credentials not inspectable offline' };
  }
  try {
    const resolved = await adapter.resolveCredentials.call(provider, adapter.settings, { tenant });
    return { provider: provider.id, ok: true, sources: { ...resolved.sources } };
  } catch (error) {
    const details = PatchbayError.isInstance(error) ? (error.details ?? {}) : {};
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
    return {
      provider: provider.id,
      ok: false,
      missing: list(details.missing),
      invalid: list(details.invalid),
      tried: list(details.sourcesTried),
      note: PatchbayError.isInstance(error) ? error.message : 'credentials could not be resolved',
    };
  }
}

/** Shows that checks are running (stderr), without touching stdout, which may be piped to a file. */
function progress(io: CliIo, label: string): () => void {
  if (!io.stderr.isTTY) {
    io.stderr.write(`${label}…\n`);
    return () => {};
  }
  const started = Date.now();
  const draw = () => io.stderr.write(`\r${label}… ${((Date.now() - started) / 1000).toFixed(1)} s`);
  draw();
  const timer = setInterval(draw, 200);
  return () => {
    clearInterval(timer);
    io.stderr.write('\r\u001b[2K');
  };
}

/** The hooks `createPatchbay` attaches for status and checks (entries, health time limit). */
function statusHooksOf(patchbay: Patchbay): StatusHooks {
  return (patchbay as unknown as Record<symbol, StatusHooks>)[patchbayStatusHooks] as StatusHooks;
}

async function open(args: CliArguments, io: CliIo): Promise<Patchbay> {
  const loaded = await loadConfigFile(args.config as string);
  const config = loaded.config as Record<string, unknown> & { health?: Record<string, unknown> };
  if (args.timeoutMs !== undefined) config.health = { ...(config.health ?? {}), timeoutMs: args.timeoutMs };
  return createPatchbay({ config: config as never, factories: loaded.factories, env: io.env });
}

async function check(args: CliArguments, io: CliIo, colour: boolean): Promise<number> {
  const patchbay = await open(args, io);
  try {
    const hooks = statusHooksOf(patchbay);
    const lines = await Promise.all(
      hooks.entries(args.tenant).map((entry) => credentialLine(entry.provider, args.tenant)),
    );
    const valid = lines.every((line) => line.ok);
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ valid, configuration: 'valid', credentials: lines }, null, 2)}\n`);
      return valid ? 0 : 1;
    }
    io.stdout.write(
      `${paint('✓', 'green', colour)} configuration is valid (${lines.length} ${lines.length === 1 ? 'provider' : 'providers'})\n`,
    );
    for (const line of lines) {
      if (line.ok) {
        const sources = Object.entries(line.sources ?? {}).map(([field, source]) => `${field} from ${source}`);
        io.stdout.write(
          `${paint('✓', 'green', colour)} ${printable(line.provider, 60)}: ${sources.length > 0 ? sources.join(', ') : (line.note ?? 'no credentials needed')}\n`,
        );
      } else {
        const parts = [
          line.missing?.length ? `missing ${line.missing.join(', ')}` : undefined,
          line.invalid?.length ? `invalid ${line.invalid.join(', ')}` : undefined,
          line.tried?.length ? `tried ${line.tried.join(', ')}` : undefined,
        ].filter(Boolean);
        io.stdout.write(
          `${paint('✗', 'red', colour)} ${printable(line.provider, 60)}: ${printable(parts.length > 0 ? parts.join('; ') : (line.note ?? 'credentials could not be resolved'), 400)}\n`,
        );
      }
    }
    return valid ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}

async function status(args: CliArguments, io: CliIo, colour: boolean): Promise<number> {
  const patchbay = await open(args, io);
  try {
    const view = args.tenant === undefined ? patchbay : patchbay.tenant(args.tenant);
    const done = progress(io, 'Checking providers');
    let report: StatusReport;
    try {
      report = await view.status();
    } finally {
      done();
    }
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusTable(report, colour));
    return report.overall_status === 'healthy' ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}

async function validate(args: CliArguments, io: CliIo, colour: boolean): Promise<number> {
  const patchbay = await open(args, io);
  try {
    const view = args.tenant === undefined ? patchbay : patchbay.tenant(args.tenant);
    const provider = view.provider(args.provider as string);
    // Bounded like `status`: `--timeout`, else the configuration's `health.timeoutMs`.
    const hooks = statusHooksOf(patchbay);
    const done = progress(io, `Testing ${printable(provider.id, 60)}`);
    let result: HealthResult;
    try {
      result = await testWithTimeout(provider, hooks.timeoutMs(), { tenant: args.tenant });
    } finally {
      done();
    }
    if (args.json) io.stdout.write(`${JSON.stringify({ provider: provider.id, ...result }, null, 2)}\n`);
    else {
      const mark = result.healthy ? paint('✓', 'green', colour) : paint('✗', 'red', colour);
      io.stdout.write(
        `${mark} ${printable(provider.id, 60)}: ${result.status} (${result.latencyMs} ms) ${printable(result.message, 400)}\n`,
      );
    }
    return result.healthy ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}

/** Runs the CLI; answers the exit code. Errors are printed (typed errors by message and field path). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (args.command === 'help') {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const colour = args.color ?? (io.stdout.isTTY === true && !args.json && io.env.NO_COLOR === undefined);
  try {
    if (args.command === 'check') return await check(args, io, colour);
    if (args.command === 'status') return await status(args, io, colour);
    return await validate(args, io, colour);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\n`);
      return 2;
    }
    const message = PatchbayError.isInstance(error)
      ? error.message
      : `Unexpected failure: ${(error as Error)?.message ?? error}`;
    if (args.json)
      io.stdout.write(
        `${JSON.stringify({ valid: false, error: { code: PatchbayError.isInstance(error) ? error.code : 'unknown', message } }, null, 2)}\n`,
      );
    io.stderr.write(`${paint('✗', 'red', colour)} ${printable(message, 2_000)}\n`);
    return 1;
  }
}
