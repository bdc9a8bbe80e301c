import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "@bufbuild/protobuf";
import { binaryToProtoJson, formatViolations, protoJsonToBinary, validate } from "@egts/envoy-api";
import { parse, stringify } from "yaml";
import { renderBootstrapYaml } from "./Bootstrap.js";
import { mergeBootstrap } from "./BootstrapMerge.js";
import { applyJsonPatch, type JsonPatchOperation } from "./internal/JsonPatch.js";

const BOOTSTRAP = "envoy.config.bootstrap.v3.Bootstrap";

/** An EnvoyProxy's `spec.bootstrap`: Replace (the default), Merge, or JSONPatch. */
export interface ProxyBootstrapConfig {
  readonly type?: string;
  readonly value?: string;
  readonly jsonPatches?: ReadonlyArray<JsonPatchOperation>;
}

/** The outcome of applying a bootstrap customization: Envoy's YAML, or why it cannot be applied. */
export type BootstrapApplyResult = { readonly ok: true; readonly yaml: string } | { readonly ok: false; readonly error: string };

/**
 * Applies an EnvoyProxy's bootstrap customization to a rendered default bootstrap, as upstream does: `Replace`
 * (the default type) takes the given bootstrap as is, `Merge` merges it into the default, `JSONPatch` applies
 * RFC 6902 operations (by `path`) to the default.
 */
export function applyBootstrapConfig(config: ProxyBootstrapConfig, defaultYaml: string): BootstrapApplyResult {
  switch (config.type ?? "Replace") {
    case "Replace":
      return { ok: true, yaml: config.value ?? "" };
    case "Merge":
      return config.value === undefined ? { ok: true, yaml: defaultYaml } : mergeBootstrap(defaultYaml, config.value);
    case "JSONPatch":
      try {
        // Upstream converts the patched JSON back to YAML with sorted keys (sigs.k8s.io/yaml).
        return {
          ok: true,
          yaml: stringify(applyJsonPatch(parse(defaultYaml, { maxAliasCount: 100 }), config.jsonPatches ?? []), { lineWidth: 0, sortMapEntries: true }),
        };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    default:
      return { ok: false, error: `unsupported bootstrap patch type ${config.type}` };
  }
}

/** Parses Envoy bootstrap YAML and checks it against Envoy's rules; returns its proto3 JSON or the reason it is bad. */
export function checkedBootstrapJson(
  yaml: string,
  what: string,
): { readonly ok: true; readonly json: Record<string, JsonValue> } | { readonly ok: false; readonly error: string } {
  let bytes: Uint8Array;
  try {
    bytes = protoJsonToBinary(BOOTSTRAP, parse(yaml, { maxAliasCount: 100 }) as JsonValue);
  } catch (e) {
    return { ok: false, error: `unable to unmarshal ${what} bootstrap: ${e instanceof Error ? e.message : String(e)}` };
  }
  const violations = validate(BOOTSTRAP, bytes);
  if (violations.length > 0) return { ok: false, error: `validation failed for ${what} bootstrap: ${formatViolations(violations)}` };
  return { ok: true, json: binaryToProtoJson(BOOTSTRAP, bytes) as Record<string, JsonValue> };
}

type Json = Record<string, unknown>;
const withoutFetchTimeouts = (dynamic: unknown): unknown =>
  JSON.parse(JSON.stringify(dynamic ?? null), (key, value: unknown) => (key === "initialFetchTimeout" ? undefined : value));
const xdsClusterLoad = (bootstrap: Json): unknown =>
  ((bootstrap["staticResources"] as Json | undefined)?.["clusters"] as Json[] | undefined)?.find((c) => c["name"] === "xds_cluster")?.["loadAssignment"];

/**
 * Upstream's check of an EnvoyProxy bootstrap: the result must be a valid bootstrap that still reaches the
 * control plane the same way (dynamic resources equal but for initial fetch timeouts; xds_cluster endpoints
 * equal). Returns the reason it is rejected, in upstream's words, or undefined when it is acceptable.
 */
export function bootstrapConfigProblem(config: ProxyBootstrapConfig | undefined): string | undefined {
  if (config === undefined) return undefined;
  const defaultYaml = renderBootstrapYaml();
  const base = checkedBootstrapJson(defaultYaml, "default");
  if (!base.ok) return base.error;
  const applied = applyBootstrapConfig(config, defaultYaml);
  if (!applied.ok) return applied.error;
  const user = checkedBootstrapJson(applied.yaml, "user");
  if (!user.ok) return user.error;
  const dynamic = user.json["dynamicResources"];
  if (dynamic === undefined || !isDeepStrictEqual(withoutFetchTimeouts(dynamic), withoutFetchTimeouts(base.json["dynamicResources"]))) {
    return "dynamic_resources cannot be modified";
  }
  const load = xdsClusterLoad(user.json);
  // Upstream's message, spelling included.
  if (load === undefined || !isDeepStrictEqual(load, xdsClusterLoad(base.json))) return "xds_cluster's loadAssigntment cannot be modified";
  return undefined;
}
