import { hash } from "node:crypto";
import type { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import type { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { EnvoyPatchPolicyStatus } from "@egts/ir";
import type { ResourceTable } from "./ResourceTable.js";
import { sameBytes } from "./SameValue.js";
import type { ResourceKind } from "./Validation.js";

/** One emitted resource: its name, the message, its wire bytes and a version derived from them. */
export interface XdsResource<T> {
  readonly name: string;
  readonly message: T;
  /** The message's protobuf encoding (encode once, reuse on every stream). */
  readonly bytes: Uint8Array;
  /** Hex SHA-256 prefix of `bytes`: equal content, equal version. */
  readonly version: string;
}

/** Resources of one translation, by xDS type, in upstream's order. */
export interface XdsTranslateResult {
  readonly listeners: readonly XdsResource<Listener>[];
  readonly routes: readonly XdsResource<RouteConfiguration>[];
  readonly clusters: readonly XdsResource<Cluster>[];
  readonly endpoints: readonly XdsResource<ClusterLoadAssignment>[];
  readonly secrets: readonly XdsResource<Secret>[];
  /** Statuses of the IR's EnvoyPatchPolicies after applying them. */
  readonly envoyPatchPolicyStatuses: readonly EnvoyPatchPolicyStatus[];
  /** Problems found; translation is best effort, so resources may be present anyway. */
  readonly errors: readonly Error[];
}

/** The resource kinds of a result, in the order the result lists them. */
export const RESOURCE_KINDS = ["listeners", "routes", "clusters", "endpoints", "secrets"] as const satisfies readonly ResourceKind[];

/** The name a resource is served under (`cluster_name` for load assignments). */
export const resourceName = (message: object): string => {
  const m = message as { name?: string; clusterName?: string };
  return m.name ?? m.clusterName ?? "";
};

/** The version of a resource's bytes (one-shot `hash`: no Hash object per resource). */
export const versionOf = (bytes: Uint8Array): string => hash("sha256", bytes, "hex").slice(0, 16);

/** A resource of a message and its bytes. */
export const resourceOf = <T extends object>(message: T, bytes: Uint8Array): XdsResource<T> => ({
  name: resourceName(message),
  message,
  bytes,
  version: versionOf(bytes),
});

/** Turns one kind's messages into resources. */
type ResourcesOf = <T extends object>(kind: ResourceKind, messages: readonly T[]) => XdsResource<T>[];

/** The public result of a table and its errors, each kind's messages made resources by `list`. */
function shaped(table: ResourceTable, errors: readonly Error[], list: ResourcesOf): XdsTranslateResult {
  return {
    listeners: list("listeners", table.listeners),
    routes: list("routes", table.routes),
    clusters: list("clusters", table.clusters),
    endpoints: list("endpoints", table.endpoints),
    secrets: list("secrets", table.secrets),
    envoyPatchPolicyStatuses: table.patchPolicyStatuses,
    errors,
  };
}

/** Shapes a translation's table and errors into the public result. */
export function resultOf(table: ResourceTable, errors: readonly Error[]): XdsTranslateResult {
  return shaped(table, errors, (kind, messages) => messages.map((m) => resourceOf(m, table.bytesOf(kind, m))));
}

/** Resources of a result by kind and name (of several with one name, the last). */
export type ResourcesByName = { readonly [K in ResourceKind]: ReadonlyMap<string, XdsResource<object>> };

/** Indexes a result's resources by kind and name. */
export function resourcesByName(result: XdsTranslateResult): ResourcesByName {
  const index = (list: readonly XdsResource<object>[]) => new Map(list.map((r) => [r.name, r] as const));
  return {
    listeners: index(result.listeners),
    routes: index(result.routes),
    clusters: index(result.clusters),
    endpoints: index(result.endpoints),
    secrets: index(result.secrets),
  };
}

/** A result shaped with what earlier results already hold, and how much of it they did. */
export interface ReusingResult {
  readonly result: XdsTranslateResult;
  /** Resources whose message this translation built (even when an earlier equal one took its place). */
  readonly built: number;
  /** Resources whose message was taken over from an earlier translation. */
  readonly reused: number;
}

/**
 * `resultOf` for a memoising translator: a message that has a resource already (from `resources`, which this
 * updates) keeps it, and a new message encoding to the same bytes as the previous resource of its name
 * takes that resource, so unchanged resources keep their bytes and version objects (nothing is hashed
 * again, and the snapshot cache finds their encodings by identity).
 */
export function reusingResultOf(
  table: ResourceTable,
  errors: readonly Error[],
  previous: ResourcesByName | undefined,
  resources: WeakMap<object, XdsResource<object>>,
): ReusingResult {
  let built = 0;
  let reused = 0;
  const list: ResourcesOf = <T extends object>(kind: ResourceKind, messages: readonly T[]): XdsResource<T>[] =>
    messages.map((message) => {
      if (table.takenOver.has(message)) reused++;
      else built++;
      let resource = resources.get(message);
      if (resource === undefined) {
        const bytes = table.bytesOf(kind, message);
        const before = previous?.[kind].get(resourceName(message));
        resource = before !== undefined && sameBytes(before.bytes, bytes) ? before : resourceOf(message, bytes);
        resources.set(message, resource);
      }
      return resource as XdsResource<T>;
    });
  const result = shaped(table, errors, list);
  return { result, built, reused };
}
