import { readdirSync, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Tests import sibling packages from their TypeScript sources, so a change is tested without a rebuild.
// Generated code (envoy-api) still comes from its generate target, which `npm test` runs first.
const root = import.meta.dirname;
const alias: { find: RegExp; replacement: string }[] = [];
for (const group of ["packages", "apps", "tools"]) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const manifest = join(dir, name, "package.json");
    const entry = join(dir, name, "src", "index.ts");
    if (!existsSync(manifest) || !existsSync(entry)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; exports?: Record<string, { default?: string }> };
    alias.push({ find: new RegExp(`^${pkg.name}$`), replacement: resolve(entry) });
    // Named subpath exports ("./registry" -> ./dist/Registry.js) map onto the source file the built one comes from.
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const built = /^\.\/dist\/([\w/]+)\.js$/.exec(target.default ?? "");
      if (subpath === "." || subpath.includes("*") || built === null) continue;
      alias.push({ find: new RegExp(`^${pkg.name}/${subpath.slice(2)}$`), replacement: join(dir, name, "src", `${built[1]}.ts`) });
    }
    // Subpath exports of the form "./generated/*" map onto the sources the same way.
    alias.push({ find: new RegExp(`^${pkg.name}/generated/(.*)$`), replacement: `${resolve(dir, name, "src", "generated")}/$1.ts` });
  }
}

export default defineConfig({
  resolve: { alias },
  test: {
    include: ["{packages,apps,tools}/*/src/**/*.test.ts", "{packages,apps,tools}/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    setupFiles: ["./tools/scripts/vitest-setup.ts"],
  },
});
