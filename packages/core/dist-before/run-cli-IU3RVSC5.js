import { parseArguments, usage, UsageError } from './chunk-IBBAYEQC.js';
import { patchbayStatusHooks, createPatchbay } from './chunk-SAJRBGIX.js';
import './chunk-M7DSVO2L.js';
import './chunk-373R6TVW.js';
import './chunk-KWNWYJ7G.js';
import './chunk-EFFKKI2Q.js';
import { PatchbayError } from './chunk-JE5GE6TU.js';
import { readFile } from 'fs/promises';
import * as nodeModule from 'module';
import { resolve, extname, join, dirname, isAbsolute } from 'path';
import { pathToFileURL } from 'url';

var moduleExtensions = /* @__PURE__ */ new Set([".js", ".mjs", ".cjs", ".ts", ".mts"]);
function invalid(message, field) {
  return new PatchbayError({ code: "invalid_request", message, details: field ? { field } : void 0 });
}
function isFactory(value) {
  const candidate = value;
  return typeof candidate === "object" && candidate !== null && typeof candidate.kind === "string" && typeof candidate.vendor === "string" && typeof candidate.create === "function";
}
function exportTarget(entry) {
  if (typeof entry === "string") return entry;
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return void 0;
  for (const condition of ["import", "node", "default"]) {
    if (Object.hasOwn(entry, condition)) {
      const target = exportTarget(entry[condition]);
      if (target) return target;
    }
  }
  return void 0;
}
function resolveFactoryModule(specifier, configFile) {
  if (specifier.startsWith("./") || specifier.startsWith("../"))
    return pathToFileURL(resolve(dirname(configFile), specifier)).href;
  if (isAbsolute(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith("file:") || specifier.startsWith("node:")) return specifier;
  const find = nodeModule.findPackageJSON;
  if (!find) return specifier;
  let manifestPath;
  try {
    manifestPath = find(specifier, pathToFileURL(configFile).href);
  } catch {
    manifestPath = void 0;
  }
  if (!manifestPath)
    throw invalid(`factories: cannot find the package of "${specifier}" from ${dirname(configFile)}`, "factories");
  return manifestPath;
}
async function importFactoryModule(specifier, configFile) {
  let url = resolveFactoryModule(specifier, configFile);
  if (url.endsWith("package.json")) {
    const manifest = JSON.parse(await readFile(url, "utf8"));
    const subpath = manifest.name && specifier.length > manifest.name.length ? `.${specifier.slice(manifest.name.length)}` : ".";
    const exportsField = manifest.exports;
    const entry = typeof exportsField === "object" && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((key) => key.startsWith(".")) ? Object.hasOwn(exportsField, subpath) ? exportsField[subpath] : void 0 : subpath === "." ? exportsField ?? manifest.main ?? "index.js" : void 0;
    const target = exportTarget(entry);
    if (!target)
      throw invalid(`factories: "${specifier}" is not exported by ${manifest.name ?? "its package"}`, "factories");
    url = pathToFileURL(join(dirname(url), target)).href;
  }
  try {
    return await import(url);
  } catch (error) {
    throw invalid(`factories: could not load "${specifier}": ${error.message ?? error}`, "factories");
  }
}
async function loadConfigFile(path) {
  const file = resolve(path);
  let raw;
  if (moduleExtensions.has(extname(file))) {
    try {
      raw = (await import(pathToFileURL(file).href)).default;
    } catch (error) {
      throw invalid(`${path}: could not load the module: ${error.message ?? error}`);
    }
  } else {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw invalid(`${path}: cannot read the file (${error.code ?? "error"})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw invalid(`${path}: not valid JSON: ${error.message}`);
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw invalid(`${path}: expected an object (the configuration)`);
  }
  const { factories: named, ...config } = raw;
  if (named !== void 0 && !Array.isArray(named))
    throw invalid("factories: expected a list of module names", "factories");
  const factories = [];
  const factorySources = [];
  for (const [index, item] of (named ?? []).entries()) {
    if (isFactory(item)) {
      factories.push(item);
      factorySources.push(`factories[${index}]`);
      continue;
    }
    if (typeof item !== "string" || item.length === 0) {
      throw invalid(`factories[${index}]: expected a module name or a provider factory`, `factories[${index}]`);
    }
    const loaded = await importFactoryModule(item, file);
    const found = Object.values(loaded).filter(isFactory);
    if (found.length === 0)
      throw invalid(`factories[${index}]: "${item}" exports no provider factory`, `factories[${index}]`);
    for (const factory of found) {
      factories.push(factory);
      factorySources.push(item);
    }
  }
  return { config, factories, factorySources };
}

// src/cli/status-table.ts
var colours = { green: 32, red: 31, yellow: 33, dim: 2 };
function paint(text, colour, enabled) {
  return enabled ? `\x1B[${colours[colour]}m${text}\x1B[0m` : text;
}
var statusColour = (status2) => status2 === "connected" || status2 === "healthy" ? "green" : status2 === "error" || status2 === "degraded" ? "red" : "yellow";
function printable(text, max = 120) {
  let out = "";
  for (const character of String(text)) {
    const code = character.codePointAt(0);
    out += code < 32 || code >= 127 && code < 160 ? " " : character;
    if (out.length >= max) return `${out.slice(0, max - 1)}\u2026`;
  }
  return out;
}
function formatStatusTable(report, colour) {
  const header = ["INTEGRATION", "KIND", "VENDOR", "STATUS", "BREAKER", "LATENCY", "MESSAGE"];
  const rows = Object.entries(report.integrations).map(([id, line]) => [
    printable(id, 40),
    printable(line.kind, 12),
    printable(line.vendor, 20),
    line.status,
    line.circuit ?? "-",
    `${line.latency_ms} ms`,
    printable(line.message)
  ]);
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => row[column].length))
  );
  const render = (row, isHeader) => row.map((cell, column) => {
    const padded = column === row.length - 1 ? cell : cell.padEnd(widths[column]);
    if (isHeader) return paint(padded, "dim", colour);
    return column === 3 ? paint(padded, statusColour(cell), colour) : padded;
  }).join("  ").trimEnd();
  const lines = [render(header, true), ...rows.map((row) => render(row, false))];
  lines.push(
    "",
    `Overall: ${paint(report.overall_status, statusColour(report.overall_status), colour)} (checked ${report.last_checked})`
  );
  return `${lines.join("\n")}
`;
}

// src/cli/run-cli.ts
async function credentialLine(provider, tenant) {
  const adapter = provider;
  if (typeof adapter.resolveCredentials !== "function") {
    return { provider: provider.id, ok: true, note: "credentials not inspectable offline" };
  }
  try {
    const resolved = await adapter.resolveCredentials.call(provider, adapter.settings, { tenant });
    return { provider: provider.id, ok: true, sources: { ...resolved.sources } };
  } catch (error) {
    const details = PatchbayError.isInstance(error) ? error.details ?? {} : {};
    const list = (value) => Array.isArray(value) ? value.map(String) : void 0;
    return {
      provider: provider.id,
      ok: false,
      missing: list(details.missing),
      invalid: list(details.invalid),
      tried: list(details.sourcesTried),
      note: PatchbayError.isInstance(error) ? error.message : "credentials could not be resolved"
    };
  }
}
function progress(io, label) {
  if (!io.stderr.isTTY) {
    io.stderr.write(`${label}\u2026
`);
    return () => {
    };
  }
  const started = Date.now();
  const draw = () => io.stderr.write(`\r${label}\u2026 ${((Date.now() - started) / 1e3).toFixed(1)} s`);
  draw();
  const timer = setInterval(draw, 200);
  return () => {
    clearInterval(timer);
    io.stderr.write("\r\x1B[2K");
  };
}
async function open(args, io) {
  const loaded = await loadConfigFile(args.config);
  const config = loaded.config;
  if (args.timeoutMs !== void 0) config.health = { ...config.health ?? {}, timeoutMs: args.timeoutMs };
  return createPatchbay({ config, factories: loaded.factories, env: io.env });
}
async function check(args, io, colour) {
  const patchbay = await open(args, io);
  try {
    const hooks = patchbay[patchbayStatusHooks];
    const lines = await Promise.all(
      hooks.entries(args.tenant).map((entry) => credentialLine(entry.provider, args.tenant))
    );
    const valid = lines.every((line) => line.ok);
    if (args.json) {
      io.stdout.write(`${JSON.stringify({ valid, configuration: "valid", credentials: lines }, null, 2)}
`);
      return valid ? 0 : 1;
    }
    io.stdout.write(
      `${paint("\u2713", "green", colour)} configuration is valid (${lines.length} ${lines.length === 1 ? "provider" : "providers"})
`
    );
    for (const line of lines) {
      if (line.ok) {
        const sources = Object.entries(line.sources ?? {}).map(([field, source]) => `${field} from ${source}`);
        io.stdout.write(
          `${paint("\u2713", "green", colour)} ${printable(line.provider, 60)}: ${sources.length > 0 ? sources.join(", ") : line.note ?? "no credentials needed"}
`
        );
      } else {
        const parts = [
          line.missing?.length ? `missing ${line.missing.join(", ")}` : void 0,
          line.invalid?.length ? `invalid ${line.invalid.join(", ")}` : void 0,
          line.tried?.length ? `tried ${line.tried.join(", ")}` : void 0
        ].filter(Boolean);
        io.stdout.write(
          `${paint("\u2717", "red", colour)} ${printable(line.provider, 60)}: ${printable(parts.length > 0 ? parts.join("; ") : line.note ?? "credentials could not be resolved", 400)}
`
        );
      }
    }
    return valid ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}
async function status(args, io, colour) {
  const patchbay = await open(args, io);
  try {
    const view = args.tenant === void 0 ? patchbay : patchbay.tenant(args.tenant);
    const done = progress(io, "Checking providers");
    let report;
    try {
      report = await view.status();
    } finally {
      done();
    }
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}
` : formatStatusTable(report, colour));
    return report.overall_status === "healthy" ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}
async function validate(args, io, colour) {
  const patchbay = await open(args, io);
  try {
    const view = args.tenant === void 0 ? patchbay : patchbay.tenant(args.tenant);
    const provider = view.provider(args.provider);
    const done = progress(io, `Testing ${printable(provider.id, 60)}`);
    let result;
    try {
      result = await provider.test({ tenant: args.tenant });
    } finally {
      done();
    }
    if (args.json) io.stdout.write(`${JSON.stringify({ provider: provider.id, ...result }, null, 2)}
`);
    else {
      const mark = result.healthy ? paint("\u2713", "green", colour) : paint("\u2717", "red", colour);
      io.stdout.write(
        `${mark} ${printable(provider.id, 60)}: ${result.status} (${result.latencyMs} ms) ${printable(result.message, 400)}
`
      );
    }
    return result.healthy ? 0 : 1;
  } finally {
    await patchbay.close();
  }
}
async function runCli(argv, io) {
  let args;
  try {
    args = parseArguments(argv);
  } catch (error) {
    io.stderr.write(`${error.message}

${usage}
`);
    return 2;
  }
  if (args.command === "help") {
    io.stdout.write(`${usage}
`);
    return 0;
  }
  const colour = args.color ?? (io.stdout.isTTY === true && !args.json && io.env.NO_COLOR === void 0);
  try {
    if (args.command === "check") return await check(args, io, colour);
    if (args.command === "status") return await status(args, io, colour);
    return await validate(args, io, colour);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}
`);
      return 2;
    }
    const message = PatchbayError.isInstance(error) ? error.message : `Unexpected failure: ${error?.message ?? error}`;
    if (args.json)
      io.stdout.write(
        `${JSON.stringify({ valid: false, error: { code: PatchbayError.isInstance(error) ? error.code : "unknown", message } }, null, 2)}
`
      );
    io.stderr.write(`${paint("\u2717", "red", colour)} ${printable(message, 2e3)}
`);
    return 1;
  }
}

export { runCli };
//# sourceMappingURL=run-cli-IU3RVSC5.js.map
//# sourceMappingURL=run-cli-IU3RVSC5.js.map