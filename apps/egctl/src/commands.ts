// The command table. A new subcommand adds an entry here.
import type { Command } from "./cli.js";
import { collectCommand } from "./commands/collect.js";
import { completionCommand } from "./commands/completion.js";
import { configEnvoyGatewayCommand } from "./commands/config.js";
import { configEnvoyProxyCommands, statsEnvoyProxyCommand } from "./commands/proxy.js";
import { statusCommand } from "./commands/status.js";
import { translateCommand } from "./commands/translate.js";
import { validateCommand } from "./commands/validate.js";
import { versionCommand } from "./commands/version.js";

/** Every egctl command, in help order. */
export const commands: ReadonlyArray<Command> = [
  configEnvoyGatewayCommand,
  ...configEnvoyProxyCommands,
  statusCommand,
  translateCommand,
  validateCommand,
  collectCommand,
  statsEnvoyProxyCommand,
  versionCommand,
  completionCommand(() => commands),
];
