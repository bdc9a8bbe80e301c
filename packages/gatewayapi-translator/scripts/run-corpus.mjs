// Runs the translator over the reference corpus and writes <out>/gatewayapi/<case>/actual.json (or error.txt),
// for judging with ../shared/reference/refcheck.mjs. Test-only tooling: needs a build (`tsc -b`) first.
// Usage: node scripts/run-corpus.mjs <out-dir> [case-name-filter]
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { translate } from "../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
// The corpus lives beside the repository; EGTS_REFERENCE overrides its location (e.g. for a git worktree).
const corpus = resolve(process.env.EGTS_REFERENCE ?? resolve(here, "../../../../shared/reference"), "gatewayapi");
const out = resolve(process.argv[2] ?? "/tmp/egts-gwt-out");
const filter = process.argv[3];
let ok = 0;
let failed = 0;
for (const name of readdirSync(corpus).sort()) {
  if (filter !== undefined && !name.includes(filter)) continue;
  const dir = join(out, "gatewayapi", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const resources = parse(readFileSync(join(corpus, name, "resources.yaml"), "utf8"), { maxAliasCount: 100 }) ?? {};
    const options = JSON.parse(readFileSync(join(corpus, name, "options.json"), "utf8"));
    const result = translate(resources, options);
    writeFileSync(join(dir, "actual.json"), JSON.stringify(result, null, 1));
    ok++;
  } catch (e) {
    writeFileSync(join(dir, "error.txt"), String(e?.stack ?? e));
    failed++;
  }
}
console.log(`translated ${ok}, errors ${failed}`);
