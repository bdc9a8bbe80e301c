// EnvoyExtensionPolicy (upstream envoyextensionpolicy.go): external processors, Lua scripts, Wasm modules and
// dynamic modules on the IR routes of the targeted routes, listeners and Gateways. A route whose extension
// cannot be built answers 500 unless every broken extension is fail-open.
import type { EnvoyExtensionPolicy, EnvoyExtensionPolicySpec, EnvoyProxySpec, ListenerSet } from "@egts/api";
import type * as ir from "@egts/ir";
import { translateTrafficFeatures } from "../ClusterSettings.js";
import type { ResourceIndex } from "../Index.js";
import { irListenerName, type GatewayContext, type ListenerContext } from "../Model.js";
import type { Mutable } from "../Mutable.js";
import type { RouteContext } from "../RouteContext.js";
import { translateExtServiceBackendRefs, type ExtServiceBackendRef, type ExtServiceEnv } from "./ExtService.js";
import type { PolicyTarget } from "./PolicyTargets.js";
import { irRoutePrefix, ownerOf, processTargetedPolicies, type PolicyOwners, type TargetedPolicyHandler } from "./TargetedPolicies.js";
import { IRRouteLookup } from "./TargetedPolicies.js";
import { canonicalDuration } from "./Values.js";
import { luaValidationLevel, validateLua } from "./LuaValidation.js";
import { dataAtKeyInRef, resolveSecretRef } from "./PolicyReferences.js";

type LuaSpec = NonNullable<EnvoyExtensionPolicySpec["lua"]>[number];
type ExtProcSpec = NonNullable<EnvoyExtensionPolicySpec["extProc"]>[number];
type WasmSpec = NonNullable<EnvoyExtensionPolicySpec["wasm"]>[number];
type RegisteredDynamicModule = NonNullable<EnvoyProxySpec["dynamicModules"]>[number];

/** Fetches a Wasm module and answers where Envoy downloads it from and its checksum (upstream wasm.Cache). */
export type WasmCache = (url: string, options: WasmFetchOptions) => { readonly servingURL: string; readonly checksum: string } | { readonly error: string };

/** How a Wasm module is fetched: expected checksum, pull policy, credentials and trust (upstream wasm.GetOptions). */
export interface WasmFetchOptions {
  readonly checksum: string;
  readonly resourceName: string;
  readonly resourceVersion?: string;
  readonly pullPolicy?: "Always" | "IfNotPresent";
  /** The registry credentials (a .dockerconfigjson document) for image sources. */
  readonly pullSecret?: Uint8Array;
  /** PEM CA bundle the source's server certificate must chain to. */
  readonly caCert?: Uint8Array;
}

/** What the EnvoyExtensionPolicy pass needs from the translation. */
export interface EnvoyExtensionPolicyContext extends ExtServiceEnv {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly routes: ReadonlyArray<RouteContext>;
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
  /** Without a cache, Wasm extensions fail as upstream's do when its cache is not initialized. */
  readonly wasmCache?: WasmCache;
  /** Shared IR route index; one is made per pass when absent. */
  readonly routeLookup?: IRRouteLookup;
}

function configName(policy: EnvoyExtensionPolicy): string {
  return `envoyextensionpolicy/${policy.metadata.namespace ?? ""}/${policy.metadata.name}`;
}

/** Built extensions of one kind, the joined error text and whether the failures are all fail-open. */
interface Built<T> {
  readonly items: T[];
  readonly error?: string;
  readonly failOpen: boolean;
}

function luaBody(policy: EnvoyExtensionPolicy, lua: LuaSpec, ctx: EnvoyExtensionPolicyContext): string {
  if (lua.type !== "ValueRef") return String(lua.inline ?? "");
  const ns = policy.metadata.namespace ?? "";
  const name = String(lua.valueRef?.name ?? "");
  const cm = ctx.index.configMap(ns, name);
  if (cm === undefined) throw new Error(`can't find the referenced configmap ${name} in namespace ${ns}`);
  const data = (cm.data ?? {}) as Record<string, string>;
  // Without a "lua" key upstream takes any key (Go map order); the first in sorted order is deterministic.
  const body = data["lua"] ?? data[Object.keys(data).sort()[0] ?? ""];
  if (body === undefined) throw new Error(`can't find the key lua in the referenced configmap ${name}`);
  return body;
}

function buildLuas(policy: EnvoyExtensionPolicy, gateway: GatewayContext, ctx: EnvoyExtensionPolicyContext): Built<ir.Lua> {
  const luas = policy.spec.lua ?? [];
  if (luas.length > 0 && ctx.options.luaEnvoyExtensionPolicyDisabled === true) {
    return { items: [], error: "Skipping Lua EnvoyExtensionPolicy as feature is disabled in the Gateway", failOpen: false };
  }
  const items: ir.Lua[] = [];
  for (let i = 0; i < luas.length; i++) {
    const lua = luas[i] as LuaSpec;
    let code: string;
    try {
      code = luaBody(policy, lua, ctx);
    } catch (e) {
      return { items: [], error: (e as Error).message, failOpen: false };
    }
    const name = `${configName(policy)}/lua/${i}`;
    const invalid = validateLua(code, luaValidationLevel(gateway.envoyProxy), ctx.options.luaValidator);
    if (invalid !== undefined) return { items: [], error: `validation failed for lua body in policy with name ${name}: ${invalid}`, failOpen: false };
    const out: Mutable<ir.Lua> = { name, code };
    // The filter context is any JSON the policy holds.
    if (lua.filterContext !== undefined) out.filterContext = lua.filterContext as ir.JsonValue;
    items.push(out);
  }
  return { items, failOpen: false };
}

function buildExtProc(
  policy: EnvoyExtensionPolicy,
  ep: ExtProcSpec,
  i: number,
  gateway: GatewayContext,
  ctx: EnvoyExtensionPolicyContext,
): ir.ExtProc | string {
  const refs: ReadonlyArray<ExtServiceBackendRef> = ep.backendRefs ?? [];
  const dest = translateExtServiceBackendRefs(
    { kind: "EnvoyExtensionPolicy", metadata: policy.metadata },
    refs,
    "GRPC" as ir.AppProtocol,
    gateway,
    "extproc",
    i,
    ctx,
  );
  if (typeof dest === "string") return dest;
  const first = refs[0] as ExtServiceBackendRef;
  const ns = first.namespace !== undefined && first.namespace !== "" ? first.namespace : (policy.metadata.namespace ?? "");
  const authority = first.port !== undefined ? `${first.name}.${ns}:${first.port}` : `${first.name}.${ns}`;
  const traffic = translateTrafficFeatures(ep.backendSettings);
  if (typeof traffic === "string") return traffic;
  const out: Mutable<ir.ExtProc> = { name: `${configName(policy)}/extproc/${i}`, destination: dest, authority };
  if (traffic !== undefined) out.traffic = traffic;
  if (ep.messageTimeout !== undefined) {
    const d = canonicalDuration(String(ep.messageTimeout));
    if (d === undefined) return `invalid ExtProc MessageTimeout value ${String(ep.messageTimeout)}`;
    out.messageTimeout = d;
  }
  if (ep.shadowMode !== undefined) out.shadowMode = ep.shadowMode;
  if (ep.failOpen !== undefined) out.failOpen = ep.failOpen;
  if (ep.statusOnError !== undefined) out.statusOnError = ep.statusOnError;
  const mode = ep.processingMode;
  if (mode !== undefined) {
    // The body modes are open enums in the CRD type; the schema admits only the IR's values.
    if (mode.request !== undefined) {
      out.requestHeaderProcessing = true;
      if (mode.request.body !== undefined) out.requestBodyProcessingMode = mode.request.body as ir.ExtProcBodyProcessingMode;
      if (mode.request.attributes !== undefined) out.requestAttributes = [...mode.request.attributes];
    }
    if (mode.response !== undefined) {
      out.responseHeaderProcessing = true;
      if (mode.response.body !== undefined) out.responseBodyProcessingMode = mode.response.body as ir.ExtProcBodyProcessingMode;
      if (mode.response.attributes !== undefined) out.responseAttributes = [...mode.response.attributes];
    }
    if (mode.allowModeOverride !== undefined) out.allowModeOverride = mode.allowModeOverride;
  }
  const md = ep.metadata;
  if (md?.accessibleNamespaces !== undefined) out.forwardingMetadataNamespaces = [...md.accessibleNamespaces];
  if (md?.writableNamespaces !== undefined) out.receivingMetadataNamespaces = [...md.writableNamespaces];
  return out;
}

/** Builds a list of fail-open-capable extensions: errors join; the list fails open only if every failure does. */
function buildAll<S extends { readonly failOpen?: boolean }, T>(specs: ReadonlyArray<S>, build: (spec: S, i: number) => T | string): Built<T> {
  const items: T[] = [];
  const errors: string[] = [];
  let failClose = false;
  specs.forEach((spec, i) => {
    const r = build(spec, i);
    if (typeof r === "string") {
      errors.push(r);
      if (spec.failOpen !== true) failClose = true;
    } else items.push(r);
  });
  return errors.length > 0 ? { items, error: errors.join("\n"), failOpen: !failClose } : { items, failOpen: false };
}

function buildExtProcs(policy: EnvoyExtensionPolicy, gateway: GatewayContext, ctx: EnvoyExtensionPolicyContext): Built<ir.ExtProc> {
  return buildAll(policy.spec.extProc ?? [], (ep, i) => buildExtProc(policy, ep, i, gateway, ctx));
}

function ociURL(url: string): string {
  const withScheme = url.startsWith("oci://") ? url : `oci://${url}`;
  if (withScheme.includes("@")) return withScheme;
  const parts = withScheme.slice("oci://".length).split(":");
  const hasTag = parts.length > 1 && !(parts[parts.length - 1] as string).includes("/");
  return hasTag ? withScheme : `${withScheme}:latest`;
}

function buildWasm(policy: EnvoyExtensionPolicy, w: WasmSpec, i: number, ctx: EnvoyExtensionPolicyContext): ir.Wasm | string {
  const cache = ctx.wasmCache;
  if (cache === undefined) return "wasm cache is not initialized";
  const name = `${configName(policy)}/wasm/${i}`;
  const code = w.code;
  const owner = { kind: "EnvoyExtensionPolicy", namespace: policy.metadata.namespace ?? "" };
  const options: Mutable<WasmFetchOptions> = { checksum: "", resourceName: name };
  if (policy.metadata.resourceVersion !== undefined) options.resourceVersion = policy.metadata.resourceVersion;
  // The CRD's enum is open (string & {}), which the equality check does not narrow.
  if (code.pullPolicy === "Always" || code.pullPolicy === "IfNotPresent") options.pullPolicy = code.pullPolicy as "Always" | "IfNotPresent";
  const source = code.type === "HTTP" ? code.http : code.type === "Image" ? code.image : undefined;
  if (code.type !== "HTTP" && code.type !== "Image") return `unsupported Wasm code source type "${String(code.type)}"`;
  if (source === undefined) return `missing ${code.type === "HTTP" ? "HTTP" : "Image"} field in Wasm code source`;
  if (source.tls !== undefined) {
    const ca = dataAtKeyInRef(source.tls.caCertificateRef, owner, ctx.index, ["ca.crt"]);
    if (typeof ca === "string") return ca;
    options.caCert = ca;
  }
  const pullSecretRef = code.type === "Image" ? code.image?.pullSecretRef : undefined;
  if (pullSecretRef !== undefined) {
    const secret = resolveSecretRef(pullSecretRef, owner, ctx.index);
    if (typeof secret === "string") return secret;
    const config = secret.data[".dockerconfigjson"];
    if (config === undefined) return `missing .dockerconfigjson key in secret ${secret.namespace}/${secret.name}`;
    options.pullSecret = new Uint8Array(Buffer.from(config, "base64"));
  }
  const url = code.type === "Image" ? ociURL(String(source.url)) : String(source.url);
  options.checksum = String(source.sha256 ?? "");
  const fetched = cache(url, options);
  if ("error" in fetched) return fetched.error;
  const out: Mutable<ir.Wasm> = {
    name,
    wasmName: w.name ?? name,
    failOpen: w.failOpen === true,
    httpWasmCode: { servingURL: fetched.servingURL, sha256: fetched.checksum, originalDownloadingURL: url },
  };
  if (w.rootID !== undefined) out.rootID = w.rootID;
  // The module's config is any JSON the policy holds.
  if (w.config !== undefined) out.config = w.config as ir.JsonValue;
  const hostKeys = w.env?.hostKeys ?? [];
  if (hostKeys.length > 0) out.hostKeys = hostKeys;
  return out;
}

function buildWasms(policy: EnvoyExtensionPolicy, ctx: EnvoyExtensionPolicyContext): Built<ir.Wasm> {
  const specs = policy.spec.wasm ?? [];
  if (specs.length === 0) return { items: [], failOpen: false };
  if (ctx.wasmCache === undefined) return { items: [], error: "wasm cache is not initialized", failOpen: false };
  return buildAll(specs, (w, i) => buildWasm(policy, w, i, ctx));
}

function validateRemoteURL(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `parse "${raw}": invalid URI for request`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `unsupported URL scheme "${u.protocol.slice(0, -1)}"`;
  if (u.hostname === "") return "URL must include a hostname";
  return undefined;
}

function buildDynamicModules(policy: EnvoyExtensionPolicy, gateway: GatewayContext): Built<ir.DynamicModule> {
  const specs = policy.spec.dynamicModule ?? [];
  const registry = new Map<string, RegisteredDynamicModule>();
  for (const entry of gateway.envoyProxy?.spec?.dynamicModules ?? []) registry.set(entry.name, entry);
  const items: ir.DynamicModule[] = [];
  const errors: string[] = [];
  specs.forEach((dm, i) => {
    const moduleName = String(dm.name);
    const entry = registry.get(moduleName);
    if (entry === undefined) {
      errors.push(`dynamic module "${moduleName}" is not registered in the EnvoyProxy dynamicModules allowlist`);
      return;
    }
    const out: Mutable<ir.DynamicModule> = {
      name: `${configName(policy)}/dynamic-module/${i}`,
      filterName: dm.filterName ?? "",
      doNotClose: entry.doNotClose === true,
      loadGlobally: entry.loadGlobally === true,
      terminalFilter: dm.terminalFilter === true,
    };
    // The module's config is any JSON the policy holds.
    if (dm.config !== undefined) out.config = dm.config as ir.JsonValue;
    const source: RegisteredDynamicModule["source"] = entry.source ?? {};
    const type = source.type ?? "Local";
    if (type === "Remote") {
      const remote = source.remote;
      if (remote === undefined) return void errors.push(`dynamic module "${moduleName}" has no remote source configured`);
      if (!remote.url) return void errors.push(`dynamic module "${moduleName}" has no remote source URL configured`);
      if (!remote.sha256) return void errors.push(`dynamic module "${moduleName}" has no remote source SHA256 configured`);
      const bad = validateRemoteURL(String(remote.url));
      if (bad !== undefined) return void errors.push(`dynamic module "${moduleName}" has invalid remote source URL "${String(remote.url)}": ${bad}`);
      out.remote = { url: remote.url, sha256: remote.sha256 };
    } else if (type === "Local") {
      if (source.local === undefined) return void errors.push(`dynamic module "${moduleName}" has no local source configured`);
      out.path = source.local.path;
    } else return void errors.push(`dynamic module "${moduleName}" has unsupported source type "${String(type)}"`);
    items.push(out);
  });
  return errors.length > 0 ? { items, error: errors.join("\n"), failOpen: false } : { items, failOpen: false };
}

interface Extensions {
  readonly features: ir.EnvoyExtensionFeatures;
  readonly errors: string[];
  readonly failRoute: boolean;
}

function extensionsFor(own: PolicyOwners<EnvoyExtensionPolicy>, gateway: GatewayContext, ctx: EnvoyExtensionPolicyContext, wasms: Built<ir.Wasm>): Extensions {
  // Each kind is built from the policy that owns it (after a merge, the route's or the parent's), which
  // also names it; lists are never merged item by item, so the owner's list is the merged one.
  const extProcs = buildExtProcs(own("extProc"), gateway, ctx);
  const luas = buildLuas(own("lua"), gateway, ctx);
  const modules = buildDynamicModules(own("dynamicModule"), gateway);
  // On routes upstream reports Lua before ExtProc (on Gateways, ExtProc first).
  const errors: string[] = [];
  if (luas.error !== undefined) errors.push(`Lua: ${luas.error}`);
  if (extProcs.error !== undefined) errors.push(`ExtProc: ${extProcs.error}`);
  if (modules.error !== undefined) errors.push(`DynamicModule: ${modules.error}`);
  const failRoute =
    luas.error !== undefined ||
    modules.error !== undefined ||
    (wasms.error !== undefined && !wasms.failOpen) ||
    (extProcs.error !== undefined && !extProcs.failOpen);
  const features = extensionFeatures(extProcs, wasms, luas, modules);
  return { features, errors, failRoute };
}

/** The IR extensions of a route: each kind that built at least one item. */
function extensionFeatures(
  extProcs: Built<ir.ExtProc>,
  wasms: Built<ir.Wasm>,
  luas: Built<ir.Lua>,
  modules: Built<ir.DynamicModule>,
): ir.EnvoyExtensionFeatures {
  const features: Mutable<ir.EnvoyExtensionFeatures> = {};
  if (extProcs.items.length > 0) features.extProcs = extProcs.items;
  if (wasms.items.length > 0) features.wasms = wasms.items;
  if (luas.items.length > 0) features.luas = luas.items;
  if (modules.items.length > 0) features.dynamicModules = modules.items;
  return features;
}

function apply(r: Mutable<ir.HTTPRoute>, ext: Extensions): void {
  if (ext.failRoute) r.directResponse = { statusCode: 500 };
  else r.envoyExtensions = ext.features;
}

function translateForRoute(
  policy: EnvoyExtensionPolicy,
  route: RouteContext,
  target: PolicyTarget,
  ctx: EnvoyExtensionPolicyContext,
  listener?: ListenerContext,
  own: PolicyOwners<EnvoyExtensionPolicy> = () => policy,
): string | undefined {
  const wasms = buildWasms(own("wasm"), ctx);
  const errors: string[] = [];
  if (wasms.error !== undefined) errors.push(`Wasm: ${wasms.error}`);
  const prefix = irRoutePrefix(route);
  for (const parent of route.parentContexts) {
    const gateway = parent.listeners[0]?.gateway;
    if (gateway === undefined) continue;
    if (listener !== undefined && listener.gateway !== gateway) continue;
    const ext = extensionsFor(own, gateway, ctx, wasms);
    errors.push(...ext.errors);
    const x = ctx.xdsIR.get(gateway.irKey);
    for (const l of parent.listeners) {
      if (listener !== undefined && irListenerName(listener) !== irListenerName(l)) continue;
      const http = (x?.http ?? []).find((h) => h.name === irListenerName(l));
      if (http === undefined) continue;
      for (const r of (ctx.routeLookup ?? new IRRouteLookup()).routes(http, prefix)) {
        if (target.sectionName !== undefined && target.sectionName !== r.metadata?.sectionName) continue;
        if (r.envoyExtensions !== undefined) continue;
        apply(r, ext);
      }
    }
  }
  return errors.length > 0 ? errors.join("\n") : undefined;
}

function translateForListeners(
  policy: EnvoyExtensionPolicy,
  gateway: GatewayContext,
  listeners: ReadonlyArray<ListenerContext>,
  ctx: EnvoyExtensionPolicyContext,
): string | undefined {
  const extProcs = buildExtProcs(policy, gateway, ctx);
  const wasms = buildWasms(policy, ctx);
  const luas = buildLuas(policy, gateway, ctx);
  const modules = buildDynamicModules(policy, gateway);
  const errors: string[] = [];
  if (extProcs.error !== undefined) errors.push(`ExtProc: ${extProcs.error}`);
  if (wasms.error !== undefined) errors.push(`Wasm: ${wasms.error}`);
  if (luas.error !== undefined) errors.push(`Lua: ${luas.error}`);
  if (modules.error !== undefined) errors.push(`DynamicModule: ${modules.error}`);
  const features = extensionFeatures(extProcs, wasms, luas, modules);
  const failRoute =
    luas.error !== undefined ||
    modules.error !== undefined ||
    (wasms.error !== undefined && !wasms.failOpen) ||
    (extProcs.error !== undefined && !extProcs.failOpen);
  const ext: Extensions = { features, errors, failRoute };
  const names = new Set(listeners.map(irListenerName));
  for (const h of ctx.xdsIR.get(gateway.irKey)?.http ?? []) {
    if (!names.has(h.name)) continue;
    for (const r of (h.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
      if (r.envoyExtensions === undefined) apply(r, ext);
    }
  }
  return errors.length > 0 ? errors.join("\n") : undefined;
}

const extensionLists = new Set<string>(["extProc", "wasm", "lua", "dynamicModule"] satisfies ReadonlyArray<keyof EnvoyExtensionPolicySpec>);

/** Whether a feature name is one of the spec's extension lists. */
function isExtensionList(feature: string): feature is "extProc" | "wasm" | "lua" | "dynamicModule" {
  return extensionLists.has(feature);
}

/** Runs every EnvoyExtensionPolicy and returns the handled ones with their status, in upstream's order. */
export function processEnvoyExtensionPolicies(policies: ReadonlyArray<EnvoyExtensionPolicy>, context: EnvoyExtensionPolicyContext): unknown[] {
  const ctx: EnvoyExtensionPolicyContext = { ...context, routeLookup: context.routeLookup ?? new IRRouteLookup() };
  const handler: TargetedPolicyHandler<EnvoyExtensionPolicy> = {
    kind: "EnvoyExtensionPolicy",
    plural: "envoyExtensionPolicies",
    deprecationFirst: true,
    deprecatedFields: (p) => new Map(p.spec.targetRef !== undefined ? [["spec.targetRef", "spec.targetRefs"]] : []),
    translateForRoute: (policy, route, target, listener, owners) => translateForRoute(policy, route, target, ctx, listener, owners),
    // Features are the spec's list fields (extProc, wasm, lua, dynamicModule); a route that sets one owns it.
    owners: (route, parent) => (feature) => ownerOf(route, parent, (p) => isExtensionList(feature) && (p.spec[feature] ?? []).length > 0),
    translateForListeners: (policy, gateway, listeners) => translateForListeners(policy, gateway, listeners, ctx),
  };
  return processTargetedPolicies(policies, handler, ctx);
}
