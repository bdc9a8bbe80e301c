#!/usr/bin/env node
// The `egctl` executable npm links at install time. It is committed (not built) so that `npm ci` links it
// even before dist/ exists; npm skips a bin whose file is missing, and `npx egctl` then asks the registry.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(`egctl: ${fileURLToPath(main)} is missing; build it first (npm run build, or npx nx run @egts/egctl:build)\n`);
  process.exit(1);
}
await import(main.href);
