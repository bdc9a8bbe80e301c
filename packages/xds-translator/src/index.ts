/**
 * Translates Envoy Gateway's xds IR into the Envoy resources a proxy needs (upstream v1.9
 * `internal/xds/translator`): listeners, route configurations, clusters, cluster load assignments and
 * secrets, each with a content-hash version, plus EnvoyPatchPolicy statuses and the errors found; and the
 * rate limit service configuration (`RateLimitConfig`s) for the global rate limits in an IR.
 *
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { binaryToProtoJson } from "@egts/envoy-api";
import type { JsonValue } from "@bufbuild/protobuf";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { EnvoyPatchPolicyStatus, Xds } from "@egts/ir";
import type { XdsTranslateOptions } from "./internal/Options.js";
import type { ExtensionHooks } from "./ExtensionHooks.js";
import { newBuilderCaches, translate, translateWithHooks, type TranslationOutput } from "./internal/Translator.js";

export type { XdsTranslateOptions, RuntimeFlags } from "./internal/Options.js";

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

/** The error of a translation as one message (upstream joins errors with newlines); undefined without errors. */
export const xdsResultError = (result: XdsTranslateResult): string | undefined =>
  result.errors.length === 0 ? undefined : result.errors.map((e) => e.message).join("\n");

function resources<T extends object>(bytesOf: (m: T) => Uint8Array, list: readonly T[], nameOf: (m: T) => string): XdsResource<T>[] {
  return list.map((message) => {
    const bytes = bytesOf(message);
    return { name: nameOf(message), message, bytes, version: createHash("sha256").update(bytes).digest("hex").slice(0, 16) };
  });
}

/** Translates an xds IR into Envoy resources, exactly as upstream Envoy Gateway v1.9's xDS translator. */
export function translateXds(ir: Xds, options: XdsTranslateOptions = {}): XdsTranslateResult {
  return resultOf(translate(ir, options));
}

/** Resources a memoising translator's last call built anew and took over from the call before. */
export interface XdsTranslateRun {
  readonly built: number;
  readonly reused: number;
}

/** A translator for successive IRs of one key that reuses work whose IR inputs did not change. */
export interface XdsTranslator {
  /** Exactly what `translateXds(ir, options)` returns. */
  translate(ir: Xds): XdsTranslateResult;
  /** Counts of the last `translate` call; undefined before the first. */
  readonly lastRun: XdsTranslateRun | undefined;
}

/**
 * A memoising `translateXds` for one IR key. The same Xds object (===) as last time gives the last result
 * back; otherwise the translation runs again, reusing pure builder outputs (JWT providers and requirements,
 * whose names cost a content hash) of IR objects that are === to ones seen before. Keeps only the last result.
 */
export function createXdsTranslator(options: XdsTranslateOptions = {}): XdsTranslator {
  const caches = newBuilderCaches();
  let last: { ir: Xds; result: XdsTranslateResult } | undefined;
  let lastRun: XdsTranslateRun | undefined;
  const count = (r: XdsTranslateResult) => r.listeners.length + r.routes.length + r.clusters.length + r.endpoints.length + r.secrets.length;
  return {
    translate(ir) {
      if (last !== undefined && last.ir === ir) {
        lastRun = { built: 0, reused: count(last.result) };
        return last.result;
      }
      const result = resultOf(translate(ir, options, caches));
      last = { ir, result };
      lastRun = { built: count(result), reused: 0 };
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
  return resultOf(await translateWithHooks(ir, options, hooks));
}

function resultOf({ table, errors }: TranslationOutput): XdsTranslateResult {
  return {
    listeners: resources(
      (m) => table.bytesOf("listeners", m),
      table.listeners,
      (m) => m.name,
    ),
    routes: resources(
      (m) => table.bytesOf("routes", m),
      table.routes,
      (m) => m.name,
    ),
    clusters: resources(
      (m) => table.bytesOf("clusters", m),
      table.clusters,
      (m) => m.name,
    ),
    endpoints: resources(
      (m) => table.bytesOf("endpoints", m),
      table.endpoints,
      (m) => m.clusterName,
    ),
    secrets: resources(
      (m) => table.bytesOf("secrets", m),
      table.secrets,
      (m) => m.name,
    ),
    envoyPatchPolicyStatuses: table.patchPolicyStatuses,
    errors,
  };
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
