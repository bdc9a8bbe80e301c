import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBootstrap } from "./index.js";

// The reference corpus (upstream v1.9's own test data) lives beside the repository; `egctl x translate --to xds`
// prints the bootstrap upstream renders with default options as the first entry of each IR key's config dump.
const repoRoot = resolve(import.meta.dirname, "../../..");
const corpusCase = resolve(repoRoot, "../shared/reference/egctl/from-gateway-api-to-xds.all.json.xds/expected.json");

const camel = (key: string) => (/^[a-z0-9_]+$/.test(key) ? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : key);

/** Brings proto3 JSON and Envoy YAML to one form: lowerCamel keys, no zero values, durations in seconds, int64 as numbers. */
function normalize(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) {
    const list = value.map((v) => normalize(v)).filter((v) => v !== undefined);
    return list.length === 0 ? undefined : list;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const name = camel(k);
      const n = normalize(v, name);
      if (n !== undefined) out[name] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === "" || value === 0 || value === false) return undefined;
  // Enum zero values (Cluster.lb_policy ROUND_ROBIN, SocketAddress.protocol TCP): proto3 JSON leaves them out.
  if ((key === "lbPolicy" && value === "ROUND_ROBIN") || (key === "protocol" && value === "TCP")) return undefined;
  if (typeof value === "string" && /^\d+(\.\d+)?s$/.test(value)) return Number(value.slice(0, -1));
  if (typeof value === "string" && /^\d+$/.test(value) && key !== "minClusterSize") return Number(value);
  return value;
}

describe("renderBootstrap against upstream", () => {
  it.runIf(existsSync(corpusCase))("matches the bootstrap upstream's egctl prints for default options", () => {
    const expected = JSON.parse(readFileSync(corpusCase, "utf8")) as { xds: Record<string, { configs: { "@type": string; bootstrap?: unknown }[] }> };
    const dump = Object.values(expected.xds)[0]!;
    const upstream = dump.configs.find((c) => c["@type"] === "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump")!.bootstrap;
    expect(normalize(renderBootstrap())).toEqual(normalize(upstream));
  });
});
