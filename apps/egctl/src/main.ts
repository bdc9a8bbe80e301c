#!/usr/bin/env node
// The egctl executable: runs the command table against the real process.
import { commands } from "./commands.js";
import { runCli } from "./cli.js";

const code = await runCli(process.argv.slice(2), commands, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  stdin: process.stdin,
});
process.exitCode = code;
