// src/cli/cli-arguments.ts
var usage = `Usage: patchbay <command> <config> [options]

Commands:
  check <config>               validate the configuration and resolve credentials from the environment
  status <config>              check every provider live and print the status table
  validate <config> <provider> run one provider's live test

<config> is a JSON file, or a JavaScript module whose default export is the configuration.
Its "factories" list names modules whose exported provider factories to use,
e.g. "factories": ["@patchbay/llm/openai", "./my-factories.mjs"].

Options:
  --json            print JSON instead of the table
  --tenant <id>     check as this tenant
  --timeout <ms>    time limit of each live check (default: the configuration's health.timeoutMs)
  --no-color        no colour even on a terminal
  -h, --help        this text

Exit codes: 0 healthy / valid, 1 not healthy / invalid, 2 bad usage.`;
var UsageError = class extends Error {
};
var commands = /* @__PURE__ */ new Set(["check", "status", "validate", "help"]);
function parseArguments(argv) {
  const parsed = {
    command: "help",
    config: void 0,
    provider: void 0,
    tenant: void 0,
    json: false,
    color: void 0,
    timeoutMs: void 0
  };
  const positional = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === void 0 || next.startsWith("--")) throw new UsageError(`${argument} needs a value`);
      return next;
    };
    if (argument === "--json") parsed.json = true;
    else if (argument === "--no-color") parsed.color = false;
    else if (argument === "--color") parsed.color = true;
    else if (argument === "--tenant") parsed.tenant = value();
    else if (argument === "--timeout") {
      const timeout = Number(value());
      if (!Number.isInteger(timeout) || timeout <= 0)
        throw new UsageError("--timeout: expected a positive whole number of ms");
      parsed.timeoutMs = timeout;
    } else if (argument === "-h" || argument === "--help") return { ...parsed, command: "help" };
    else if (argument.startsWith("-")) throw new UsageError(`Unknown option ${argument.slice(0, 40)}`);
    else positional.push(argument);
  }
  if (positional.length === 0) return parsed;
  const [command, config, provider, ...rest] = positional;
  if (!commands.has(command)) throw new UsageError(`Unknown command "${String(command).slice(0, 40)}"`);
  parsed.command = command;
  if (parsed.command === "help") return parsed;
  if (config === void 0) throw new UsageError(`patchbay ${command}: name the configuration file`);
  parsed.config = config;
  if (parsed.command === "validate") {
    if (provider === void 0) throw new UsageError("patchbay validate: name the provider to test");
    parsed.provider = provider;
  } else if (provider !== void 0) throw new UsageError(`Unexpected argument "${provider.slice(0, 40)}"`);
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${String(rest[0]).slice(0, 40)}"`);
  return parsed;
}

export { UsageError, parseArguments, usage };
//# sourceMappingURL=chunk-IBBAYEQC.js.map
//# sourceMappingURL=chunk-IBBAYEQC.js.map