import type { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { Route, VirtualHost } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { UnstructuredRef } from "@egts/ir";
import {
  defaultTranslationHookSelection,
  type ExtensionHookName,
  type ExtensionHooks,
  type ExtensionObject,
  type TranslationResources,
} from "../ExtensionHooks.js";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import { buildClusterResources, commitCluster, emitSystemTrustStoreSecret, placeEndpoints, type ClusterArgs } from "./Cluster.js";
import type { TranslationContext } from "./Context.js";
import { buildSystemTrustStoreSecret, SYSTEM_TRUST_STORE_SECRET_NAME } from "./Tls.js";

/**
 * Translation is written as generators of hook calls so that one body serves both drivers: without hooks
 * nothing is ever yielded and `runSync` finishes it synchronously; with hooks `runAsync` awaits each call
 * and resumes the translation with its outcome, in upstream's order.
 */
export type HookCall = () => Promise<unknown>;

/** The outcome of a hook call, as the translation is resumed with it. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

/** A translation step that may call extension hooks. */
export type Steps<R> = Generator<HookCall, R, Settled<unknown>>;

/** Calls one hook and returns how it went (never throws). */
export function* callHook<T>(call: () => Promise<T>): Generator<HookCall, Settled<T>, Settled<unknown>> {
  return (yield call) as Settled<T>;
}

/** Runs steps that must not call hooks (a translation without extension hooks). */
export function runSync<R>(steps: Steps<R>): R {
  const next = steps.next();
  if (!next.done) throw new Error("internal: an extension hook was called during a translation without hooks");
  return next.value;
}

/** Runs steps, awaiting each hook call. */
export async function runAsync<R>(steps: Steps<R>): Promise<R> {
  let next = steps.next();
  while (!next.done) {
    let settled: Settled<unknown>;
    try {
      settled = { ok: true, value: await next.value() };
    } catch (e) {
      settled = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
    next = steps.next(settled);
  }
  return next.value;
}

const objectsOf = (refs: readonly UnstructuredRef[] | undefined): ExtensionObject[] => (refs ?? []).map((r) => r.object ?? {});

/**
 * Upstream's handling of a hook's outcome: the new value on success; on failure the old one, with the error
 * returned to the caller when the hooks fail closed and reported to `onFailOpenError` otherwise.
 */
function settle<T>(hooks: ExtensionHooks, hook: ExtensionHookName, old: T, outcome: Settled<T | undefined>): { value: T; error?: Error } {
  if (outcome.ok) return { value: outcome.value ?? old };
  if (hooks.failOpen) {
    hooks.onFailOpenError?.(hook, outcome.error);
    return { value: old };
  }
  return { value: old, error: outcome.error };
}

/** The Route hook for one built route (only for IR routes with extension refs or policies). */
export function* postRouteHook(
  ctx: TranslationContext,
  route: Route,
  hostnames: readonly string[],
  refs: readonly UnstructuredRef[] | undefined,
  policies: readonly UnstructuredRef[] | undefined,
  errors: Error[],
): Steps<Route> {
  const hooks = ctx.hooks;
  const hook = hooks?.postRouteModify;
  if (hooks === undefined || hook === undefined || ((refs?.length ?? 0) === 0 && (policies?.length ?? 0) === 0)) return route;
  const context = { hostnames: [...hostnames], extensionResources: objectsOf(refs), extensionPolicies: objectsOf(policies) };
  const outcome = yield* callHook(() => hook.call(hooks, route, context));
  const { value, error } = settle(hooks, "Route", route, outcome);
  if (error !== undefined) errors.push(error);
  return value;
}

/** The VirtualHost hook for one virtual host whose routes are all in place. */
export function* postVirtualHostHook(ctx: TranslationContext, vhost: VirtualHost, errors: Error[]): Steps<VirtualHost> {
  const hooks = ctx.hooks;
  const hook = hooks?.postVirtualHostModify;
  if (hooks === undefined || hook === undefined) return vhost;
  const outcome = yield* callHook(() => hook.call(hooks, vhost));
  const { value, error } = settle(hooks, "VirtualHost", vhost, outcome);
  if (error !== undefined) errors.push(error);
  return value;
}

/**
 * Adds a route or merged-backend cluster as `addCluster` does, calling the Endpoints hook on its EDS load
 * assignment and, when the route has extension refs, the Cluster hook. A failing fail-closed hook leaves the
 * cluster out and throws (as upstream's addXdsCluster returns the error).
 */
export function* addClusterWithHooks(ctx: TranslationContext, args: ClusterArgs, refs: readonly UnstructuredRef[] | undefined): Steps<void> {
  const hooks = ctx.hooks;
  const built = buildClusterResources(ctx, args);
  if (built === undefined) return;
  let endpoints: ClusterLoadAssignment = built.endpoints;
  const endpointsHook = hooks?.postEndpointsModify;
  if (hooks !== undefined && endpointsHook !== undefined && args.endpointType === "Static") {
    const old = endpoints;
    const outcome = yield* callHook(() => endpointsHook.call(hooks, old));
    const { value, error } = settle(hooks, "Endpoints", old, outcome);
    if (error !== undefined) throw error;
    endpoints = value;
  }
  let cluster: Cluster = built.cluster;
  placeEndpoints(ctx, args, cluster, endpoints);
  const clusterHook = hooks?.postClusterModify;
  if (hooks !== undefined && clusterHook !== undefined && (refs?.length ?? 0) > 0) {
    const old = cluster;
    const context = { backendExtensionResources: objectsOf(refs) };
    const outcome = yield* callHook(() => clusterHook.call(hooks, old, context));
    const { value, error } = settle(hooks, "Cluster", old, outcome);
    if (error !== undefined) throw error;
    cluster = value;
  }
  commitCluster(ctx, cluster, built.secrets);
}

/** The IR listeners (HTTP, TCP, UDP) bound to an xDS listener's socket address. */
function extensionRefsAt(ctx: TranslationContext, listener: Listener): ExtensionObject[] {
  const a = listener.address?.address;
  if (a?.$case !== "socketAddress") return [];
  const address = a.value.address;
  const port = a.value.portSpecifier?.$case === "portValue" ? a.value.portSpecifier.value : 0;
  const seen = new Set<string>();
  const out: ExtensionObject[] = [];
  const irListeners = [...(ctx.ir.http ?? []), ...(ctx.ir.tcp ?? []), ...(ctx.ir.udp ?? [])];
  for (const l of irListeners) {
    if (l.address !== address || l.port !== port) continue;
    for (const ref of l.extensionRefs ?? []) {
      const o = ref.object ?? {};
      const md = (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as { name?: unknown; namespace?: unknown };
      const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
      const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
      const key = JSON.stringify([group, o.kind ?? "", md.namespace ?? "", md.name ?? ""]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(o);
    }
  }
  return out;
}

/** The HTTPListener hook over every listener built (upstream's notifyExtensionServerAboutListeners). */
export function* postListenerHooks(ctx: TranslationContext, errors: Error[]): Steps<void> {
  const hooks = ctx.hooks;
  const hook = hooks?.postHttpListenerModify;
  if (hooks === undefined || hook === undefined) return;
  // The hook sees whole listeners, so HTTP connection managers are packed into their filter chains first.
  errors.push(...ctx.table.sealHcms());
  const table = ctx.table;
  for (const listener of [...table.listeners]) {
    const context = { extensionResources: extensionRefsAt(ctx, listener) };
    const outcome = yield* callHook(() => hook.call(hooks, listener, context));
    const { value, error } = settle(hooks, "HTTPListener", listener, outcome);
    if (error !== undefined) errors.push(error);
    if (value === listener) continue;
    const at = table.listeners.findIndex((l) => l.name === value.name);
    if (at < 0) table.listeners.push(value);
    else table.listeners[at] = value;
  }
}

/** The Translation hook: the selected lists go out and the lists that come back replace them. */
export function* postTranslateHook(ctx: TranslationContext, errors: Error[]): Steps<boolean> {
  const hooks = ctx.hooks;
  const hook = hooks?.postTranslateModify;
  if (hooks === undefined || hook === undefined) return false;
  const sel = hooks.translation ?? defaultTranslationHookSelection;
  const t = ctx.table;
  const sent: TranslationResources = {
    ...(sel.clusters ? { clusters: [...t.clusters] } : {}),
    ...(sel.secrets ? { secrets: [...t.secrets] } : {}),
    ...(sel.listeners ? { listeners: [...t.listeners] } : {}),
    ...(sel.routes ? { routes: [...t.routes] } : {}),
  };
  const context = { extensionResources: objectsOf(ctx.ir.extensionServerPolicies) };
  const outcome = yield* callHook(() => hook.call(hooks, sent, context));
  const { value, error } = settle(hooks, "Translation", sent, outcome);
  if (error !== undefined) errors.push(error);
  if (value === sent) return false;
  const replace = <T>(list: T[], next: readonly T[] | undefined) => list.splice(0, list.length, ...(next ?? []));
  if (sel.listeners) replace(t.listeners, value.listeners);
  if (sel.routes) replace(t.routes, value.routes);
  if (sel.clusters) replace(t.clusters, value.clusters);
  if (sel.secrets) replace(t.secrets, value.secrets);
  t.reindex();
  return true;
}

/**
 * Restores the shared system trust store secret when the Translation hook removed, changed or duplicated it
 * while clusters still refer to it (upstream's ensureSystemTrustStoreSecret).
 */
export function repairSystemTrustStore(ctx: TranslationContext): void {
  const t = ctx.table;
  if (!t.systemTrustStore) return;
  const canonical = buildSystemTrustStoreSecret(SYSTEM_TRUST_STORE_SECRET_NAME);
  const found = t.secrets.filter((s) => s.name === SYSTEM_TRUST_STORE_SECRET_NAME);
  const same = (s: Secret) => Buffer.from(Secret.encode(s).finish()).equals(Buffer.from(Secret.encode(canonical).finish()));
  if (found.length === 1 && found[0] !== undefined && same(found[0])) return;
  const kept = t.secrets.filter((s) => s.name !== SYSTEM_TRUST_STORE_SECRET_NAME);
  t.secrets.splice(0, t.secrets.length, ...kept);
  t.reindex();
  t.systemTrustStore = false;
  emitSystemTrustStoreSecret(ctx, SYSTEM_TRUST_STORE_SECRET_NAME);
}
