// Enforces the layering of the design brief on every workspace package:
//   - packages never depend on apps;
//   - translators and codecs never depend on servers, providers or infrastructure managers.
// Both package.json dependencies and `@egts/*` import specifiers in src/ are checked.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("../..", import.meta.url).pathname;
const pure = new Set(["@egts/envoy-api", "@egts/api", "@egts/ir", "@egts/gatewayapi-translator", "@egts/xds-translator", "@egts/lua-validator"]);
const effectful = (name) => /^@egts\/(xds-server|extension-server|extension-client|provider-|infra-)/.test(name);

const workspaces = [];
for (const group of ["packages", "apps", "tools"]) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const manifest = join(dir, name, "package.json");
    if (existsSync(manifest)) workspaces.push({ group, dir: join(dir, name), pkg: JSON.parse(readFileSync(manifest, "utf8")) });
  }
}
const appNames = new Set(workspaces.filter((w) => w.group === "apps").map((w) => w.pkg.name));

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    if (entry === "generated" || entry === "node_modules") continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|js|mjs)$/.test(entry)) yield path;
  }
}

const problems = [];
const forbidden = (from, to) => {
  if (from.group === "packages" && appNames.has(to)) return "packages never import apps";
  if (pure.has(from.pkg.name) && (effectful(to) || appNames.has(to))) return "translators and codecs never import servers, providers or infrastructure";
  return undefined;
};
for (const ws of workspaces) {
  const deps = { ...ws.pkg.dependencies, ...ws.pkg.devDependencies, ...ws.pkg.peerDependencies };
  for (const dep of Object.keys(deps)) {
    const why = forbidden(ws, dep);
    if (why) problems.push(`${relative(root, ws.dir)}/package.json: depends on ${dep} (${why})`);
  }
  for (const file of sourceFiles(join(ws.dir, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](@egts\/[a-z0-9-]+)/g)) {
      const why = forbidden(ws, match[1]);
      if (why) problems.push(`${relative(root, file)}: imports ${match[1]} (${why})`);
    }
  }
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
console.log(`layering: ${workspaces.length} workspace packages checked, no violations`);
