/**
 * Translates Envoy Gateway's xds IR into the Envoy resources a proxy needs (upstream v1.9
 * `internal/xds/translator`): listeners, route configurations, clusters, cluster load assignments and
 * secrets, each with a content-hash version, plus EnvoyPatchPolicy statuses and the errors found; and the
 * rate limit service configuration (`RateLimitConfig`s) for the global rate limits in an IR.
 *
 * @packageDocumentation
 */
import { binaryToProtoJson } from "@egts/envoy-api";
import type { JsonValue } from "@bufbuild/protobuf";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { Xds } from "@egts/ir";
import type { ExtensionHooks } from "./ExtensionHooks.js";
import { createIncrementalXds } from "./internal/Incremental.js";
import type { XdsTranslateOptions } from "./internal/Options.js";
import { resultOf, type XdsTranslateResult } from "./internal/Result.js";
import { translate, translateWithHooks } from "./internal/Translator.js";

export type { XdsTranslateOptions, RuntimeFlags } from "./internal/Options.js";
export type { XdsResource, XdsTranslateResult } from "./internal/Result.js";

/** The error of a translation as one message (upstream joins errors with newlines); undefined without errors. */
export const xdsResultError = (result: XdsTranslateResult): string | undefined =>
  result.errors.length === 0 ? undefined : result.errors.map((e) => e.message).join("\n");

/** Translates an xds IR into Envoy resources, exactly as upstream Envoy Gateway v1.9's xDS translator. */
export function translateXds(ir: Xds, options: XdsTranslateOptions = {}): XdsTranslateResult {
  const { table, errors } = translate(ir, options);
  return resultOf(table, errors);
}

/** What a memoising translator's last call did. */
export interface XdsTranslateRun {
  /** Resources whose message the call built (even when an equal earlier one then took its place). */
  readonly built: number;
  /** Resources taken over from earlier calls without being built. */
  readonly reused: number;
  /**
   * `identical`: the same IR object as last time, the last result; `endpoints`: only endpoints changed, the
   * last result with the changed load assignments rebuilt; `steps`: a translation reusing the unchanged
   * listeners' work; `full`: a full translation (EnvoyPatchPolicies present, or errors to report).
   */
  readonly path: "identical" | "endpoints" | "steps" | "full";
}

/** A translator for successive IRs of one key that reuses work whose IR inputs did not change. */
export interface XdsTranslator {
  /** Exactly what `translateXds(ir, options)` returns (resources, their order, bytes and versions, errors). */
  translate(ir: Xds): XdsTranslateResult;
  /** What the last `translate` call did; undefined before the first. */
  readonly lastRun: XdsTranslateRun | undefined;
}

/**
 * A memoising `translateXds` for one IR key. Each call gives what `translateXds` gives, reusing per resource
 * what earlier calls built from the same (===) IR objects: a listener, route configuration, cluster, load
 * assignment or secret whose inputs did not change is not built, checked, encoded or hashed again, and
 * keeps its `XdsResource` object (bytes and version included). An IR that differs only in endpoints rebuilds
 * just the affected load assignments. IRs with EnvoyPatchPolicies are translated in full.
 */
export function createXdsTranslator(options: XdsTranslateOptions = {}): XdsTranslator {
  const incremental = createIncrementalXds(options);
  let lastRun: XdsTranslateRun | undefined;
  return {
    translate(ir) {
      const { result, work, path } = incremental.translate(ir);
      lastRun = { ...work, path };
      return result;
    },
    get lastRun() {
      return lastRun;
    },
  };
}

/**
 * `translateXds` with an extension manager's hooks, called where and in the order upstream calls them.
 * Hook failures follow `hooks.failOpen`: ignored (and reported to `onFailOpenError`), or joined into the
 * result's errors with the resource left as built (a failing Cluster or Endpoints hook leaves that cluster out).
 */
export async function translateXdsWithExtensions(ir: Xds, options: XdsTranslateOptions, hooks: ExtensionHooks): Promise<XdsTranslateResult> {
  const { table, errors } = await translateWithHooks(ir, options, hooks);
  return resultOf(table, errors);
}

/** The result in canonical proto3 JSON, one list per type (as the reference corpus stores expected output). */
export function xdsResultToJson(result: XdsTranslateResult): {
  listeners: JsonValue[];
  routes: JsonValue[];
  clusters: JsonValue[];
  endpoints: JsonValue[];
  secrets: JsonValue[];
} {
  return {
    listeners: result.listeners.map((r) => binaryToProtoJson(Listener.$type, r.bytes)),
    routes: result.routes.map((r) => binaryToProtoJson(RouteConfiguration.$type, r.bytes)),
    clusters: result.clusters.map((r) => binaryToProtoJson(Cluster.$type, r.bytes)),
    endpoints: result.endpoints.map((r) => binaryToProtoJson(ClusterLoadAssignment.$type, r.bytes)),
    secrets: result.secrets.map((r) => binaryToProtoJson(Secret.$type, r.bytes)),
  };
}
export {
  chainExtensionHooks,
  defaultTranslationHookSelection,
  type ChainedExtension,
  type ClusterHookContext,
  type ExtensionHookName,
  type ExtensionHooks,
  type ExtensionObject,
  type GroupKind,
  type ListenerHookContext,
  type RouteHookContext,
  type TranslationHookContext,
  type TranslationHookSelection,
  type TranslationResources,
} from "./ExtensionHooks.js";
export {
  configDumpOf,
  configDumpTypeNames,
  type ConfigDump,
  type ConfigDumpEntry,
  type ConfigDumpResources,
  type ConfigDumpSource,
} from "./ConfigDump.js";
export {
  buildRateLimitServiceConfigs,
  buildRouteRateLimits,
  rateLimitConfigToJson,
  routeRateLimitToJson,
} from "./RateLimitServiceConfig.js";
