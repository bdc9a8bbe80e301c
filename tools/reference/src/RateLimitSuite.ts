import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseXdsYaml } from "@egts/ir";
import { buildRateLimitServiceConfigs, buildRouteRateLimits, rateLimitConfigToJson, routeRateLimitToJson } from "@egts/xds-translator";
import { caseNames, errorText, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/**
 * Runs the rate limit service configuration translation on every ratelimit case: ir.yaml (HTTP listeners)
 * -> actual/config.json (the RateLimitConfigs, sorted by domain) and actual/routes.json (per route, its rate
 * limit actions by domain).
 */
export function translateRateLimitSuite(corpus: string, out: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "ratelimit")) {
    const caseDir = join(corpus, "ratelimit", name);
    const actualDir = join(out, "ratelimit", name);
    rmSync(actualDir, { recursive: true, force: true });
    try {
      // Upstream's test reads these inputs with Go's non-strict YAML decoding: stray fields are skipped.
      const listeners = parseXdsYaml(readFileSync(join(caseDir, "ir.yaml"), "utf8"), { ignoreUnknownFields: true }).http ?? [];
      writeJson(join(actualDir, "actual", "config.json"), buildRateLimitServiceConfigs(listeners).map(rateLimitConfigToJson));
      const routes = listeners.flatMap((listener) =>
        (listener.routes ?? []).map((route) => {
          const byDomain = buildRouteRateLimits(listener.name, route);
          return {
            routeName: route.name,
            rateLimitsByDomain:
              byDomain === undefined ? null : Object.fromEntries([...byDomain].map(([domain, list]) => [domain, list.map(routeRateLimitToJson)])),
          };
        }),
      );
      writeJson(join(actualDir, "actual", "routes.json"), routes);
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "ratelimit", written, skipped: 0 };
}
