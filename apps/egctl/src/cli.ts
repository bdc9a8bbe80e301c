// The command table and dispatcher of egctl: no framework, node:util parseArgs per command.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Where a command reads and writes: injectable so commands are testable without a process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  readonly stdin?: NodeJS.ReadableStream;
}

/** Option definitions, as node:util parseArgs takes them. */
export type CommandOptions = NonNullable<ParseArgsConfig["options"]>;

/** Parsed arguments handed to a command. */
export interface ParsedArgs {
  readonly values: { readonly [name: string]: string | boolean | ReadonlyArray<string | boolean> | undefined };
  readonly positionals: ReadonlyArray<string>;
}

/** One subcommand: its words (e.g. ["x", "validate"]), help text, options and behaviour. */
export interface Command {
  readonly path: ReadonlyArray<string>;
  readonly summary: string;
  /** Usage line after `egctl <path>`, e.g. "--file FILE [--file FILE...]". */
  readonly usage: string;
  readonly options: CommandOptions;
  readonly allowPositionals?: boolean;
  /** Runs the command; resolves to the process exit code. */
  readonly run: (args: ParsedArgs, io: CliIO) => Promise<number>;
}

/** Exit code for a command line that cannot be understood. */
export const EXIT_USAGE = 2;

function helpOf(cmd: Command): string {
  const lines = [`Usage: egctl ${cmd.path.join(" ")} ${cmd.usage}`.trimEnd(), "", cmd.summary, ""];
  const opts = Object.entries(cmd.options);
  if (opts.length > 0) {
    lines.push("Options:");
    for (const [name, o] of opts) {
      const short = o.short ? `-${o.short}, ` : "    ";
      lines.push(`  ${short}--${name}${o.type === "string" ? " VALUE" : ""}${o.multiple ? " (repeatable)" : ""}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function listing(commands: ReadonlyArray<Command>, prefix: ReadonlyArray<string>): string {
  const below = commands.filter((c) => prefix.every((w, i) => c.path[i] === w));
  const width = Math.max(0, ...below.map((c) => c.path.join(" ").length));
  const lines = [
    `Usage: egctl ${prefix.length > 0 ? prefix.join(" ") + " " : ""}<command> [options]`,
    "",
    "Commands:",
    ...below.map((c) => `  ${c.path.join(" ").padEnd(width)}  ${c.summary}`),
    "",
    'Run "egctl <command> --help" for a command\'s options.',
    "",
  ];
  return lines.join("\n");
}

/** Finds the command whose words match the longest prefix of argv; returns it and the remaining args. */
export function resolveCommand(
  commands: ReadonlyArray<Command>,
  argv: ReadonlyArray<string>,
): { readonly command: Command; readonly rest: ReadonlyArray<string> } | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    if (c.path.length <= argv.length && c.path.every((w, i) => argv[i] === w) && (!best || c.path.length > best.path.length)) best = c;
  }
  return best ? { command: best, rest: argv.slice(best.path.length) } : undefined;
}

/**
 * Runs egctl with the given arguments (without the program name) against a command table.
 * Resolves to the exit code; never calls process.exit.
 */
export async function runCli(argv: ReadonlyArray<string>, commands: ReadonlyArray<Command>, io: CliIO): Promise<number> {
  const found = resolveCommand(commands, argv);
  if (!found) {
    const words: string[] = [];
    for (const a of argv) {
      if (a.startsWith("-")) break;
      words.push(a);
    }
    // the longest prefix that still names a group of commands
    while (words.length > 0 && !commands.some((c) => words.every((w, i) => c.path[i] === w))) words.pop();
    const helpWanted = argv.length === 0 || argv.includes("--help") || argv.includes("-h") || (words.length > 0 && words.length === argv.length);
    if (helpWanted) {
      io.stdout(listing(commands, words));
      return 0;
    }
    io.stderr(`egctl: unknown command "${argv.join(" ")}"\n\n${listing(commands, words)}`);
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(helpOf(command));
    return 0;
  }
  let parsed: ParsedArgs;
  try {
    const r = parseArgs({ args: [...rest], options: command.options, allowPositionals: command.allowPositionals ?? false, strict: true });
    parsed = { values: r.values as ParsedArgs["values"], positionals: r.positionals };
  } catch (e) {
    io.stderr(`egctl ${command.path.join(" ")}: ${e instanceof Error ? e.message : String(e)}\n\n${helpOf(command)}`);
    return EXIT_USAGE;
  }
  return command.run(parsed, io);
}
