// Envoy bootstrap as `egctl x translate` prints it: upstream's default, with an EnvoyProxy's
// spec.bootstrap applied (Replace or Merge) and checked the way upstream checks user bootstraps.
import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "@bufbuild/protobuf";
import { binaryToProtoJson, protoJsonToBinary, validate, formatViolations } from "@egts/envoy-api";
import { renderBootstrap } from "@egts/infra-host";
import { parse, stringify } from "yaml";

const BOOTSTRAP = "envoy.config.bootstrap.v3.Bootstrap";

/** The default bootstrap upstream renders when no EnvoyProxy changes it, in Envoy's YAML. */
export const defaultBootstrapYaml = (): string => stringify(renderBootstrap());

/** EnvoyProxy `spec.bootstrap`. */
export interface ProxyBootstrap {
  readonly type?: "Replace" | "Merge" | "JSONPatch";
  readonly value?: string;
  readonly jsonPatches?: ReadonlyArray<unknown>;
}

function bootstrapBytes(yaml: string, what: string): Uint8Array {
  try {
    return protoJsonToBinary(BOOTSTRAP, parse(yaml, { maxAliasCount: 100 }) as JsonValue);
  } catch (e) {
    throw new Error(`unable to unmarshal ${what} bootstrap: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checked(bytes: Uint8Array, what: string): Record<string, JsonValue> {
  const violations = validate(BOOTSTRAP, bytes);
  if (violations.length > 0) throw new Error(`validation failed for ${what} bootstrap: ${formatViolations(violations)}`);
  return binaryToProtoJson(BOOTSTRAP, bytes) as Record<string, JsonValue>;
}

/** The bootstrap after applying an EnvoyProxy's spec.bootstrap to the default one, as proto3 JSON. */
export function applyBootstrap(config: ProxyBootstrap | undefined): Record<string, JsonValue> {
  const base = bootstrapBytes(defaultBootstrapYaml(), "default");
  if (config === undefined) return checked(base, "default");
  switch (config.type ?? "Replace") {
    case "Replace":
      return checked(bootstrapBytes(config.value ?? "", "user"), "user");
    case "Merge": {
      // Protobuf merge semantics are those of concatenated encodings: later scalars win, lists append.
      const override = bootstrapBytes(config.value ?? "", "override");
      const merged = new Uint8Array(base.length + override.length);
      merged.set(base);
      merged.set(override, base.length);
      return checked(merged, "merged");
    }
    default:
      throw new Error(`bootstrap type ${config.type} is not supported by egctl x translate yet`);
  }
}

type Json = Record<string, unknown>;
const withoutFetchTimeouts = (dynamic: unknown): unknown =>
  JSON.parse(JSON.stringify(dynamic ?? null), (key, value: unknown) => (key === "initialFetchTimeout" ? undefined : value));
const xdsClusterLoad = (bootstrap: Json): unknown =>
  ((bootstrap["staticResources"] as Json | undefined)?.["clusters"] as Json[] | undefined)?.find((c) => c["name"] === "xds_cluster")?.["loadAssignment"];

/**
 * Upstream's check of a user bootstrap: it may not change how the proxy reaches the control plane (the dynamic
 * resources, but for initial fetch timeouts, and the xds_cluster's endpoints). Returns the reason, or undefined.
 */
export function bootstrapProblem(config: ProxyBootstrap | undefined): string | undefined {
  if (config === undefined) return undefined;
  let user: Json;
  try {
    user = applyBootstrap(config);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const base = applyBootstrap(undefined);
  if (user["dynamicResources"] === undefined || !isDeepStrictEqual(withoutFetchTimeouts(user["dynamicResources"]), withoutFetchTimeouts(base["dynamicResources"]))) {
    return "dynamic_resources cannot be modified";
  }
  const userLoad = xdsClusterLoad(user);
  if (userLoad === undefined || !isDeepStrictEqual(userLoad, xdsClusterLoad(base))) return "xds_cluster's loadAssigntment cannot be modified";
  return undefined;
}
