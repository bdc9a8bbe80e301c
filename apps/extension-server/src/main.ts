#!/usr/bin/env node
import { createExtensionServer } from "@egts/extension-server";
import { parseServerArgs, usage } from "./Args.js";
import { exampleHandlers, type ExampleLog } from "./ExampleHandlers.js";

async function main(): Promise<void> {
  let args;
  try {
    args = parseServerArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(usage);
    return;
  }
  const quiet = args.logLevel === "error";
  const log: ExampleLog = (level, message, fields) => {
    if (quiet && level !== "error") return;
    console.log(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  const server = await createExtensionServer(exampleHandlers(log), {
    ...args.options,
    onError: (method, error) => log("error", `${method} failed`, { error: error.message }),
  });
  log("info", "extension server listening", { address: server.address, tls: args.options.tls !== undefined });
  const stop = () => {
    log("info", "shutting down");
    server.setServing(false);
    void server.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
