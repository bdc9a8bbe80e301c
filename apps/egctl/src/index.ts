// egctl as a library: the dispatcher, the command table and the commands, for embedding and tests.
export type { CliIO, Command, CommandOptions, ParsedArgs } from "./cli.js";
export { EXIT_USAGE, resolveCommand, runCli } from "./cli.js";
export { commands } from "./commands.js";
export { validateCommand } from "./commands/validate.js";
