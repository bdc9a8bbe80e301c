// The command table. New subcommands (x translate, x status, config envoy-gateway...) add an entry here.
import type { Command } from "./cli.js";
import { translateCommand } from "./commands/translate.js";
import { validateCommand } from "./commands/validate.js";

/** Every egctl command, in help order. */
export const commands: ReadonlyArray<Command> = [translateCommand, validateCommand];
