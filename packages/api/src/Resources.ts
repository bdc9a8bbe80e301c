import type {
  Backend,
  BackendTLSPolicy,
  BackendTrafficPolicy,
  ClientTrafficPolicy,
  EnvoyExtensionPolicy,
  EnvoyPatchPolicy,
  EnvoyProxy,
  EnvoyProxySpec,
  Gateway,
  GatewayClass,
  GRPCRoute,
  HTTPRoute,
  HTTPRouteFilter,
  ListenerSet,
  ReferenceGrant,
  SecurityPolicy,
  TCPRoute,
  TLSRoute,
  UDPRoute,
} from "./generated/crdTypes.js";
import type { ClusterTrustBundle, ConfigMap, EndpointSlice, Namespace, Secret, Service, ServiceImport } from "./core.js";
import { parse } from "yaml";
import type { KubernetesObject } from "./meta.js";
import { DEFAULT_NAMESPACE, decodeObject, identityOf, type DecodeOptions, type ObjectIdentity } from "./Decode.js";
import type { KnownObject } from "./Kinds.js";
import {
  buildResourceTreeWith,
  leafKinds,
  leavesAfterEdit,
  leavesOf,
  sameTreeShape,
  shapedKinds,
  type ReferenceMemo,
  type TreeSelection,
} from "./ResourceTree.js";

/** An object of a kind egts does not model (extension filters and policies): kept as plain JSON. */
export interface UnstructuredObject extends KubernetesObject {
  readonly [field: string]: unknown;
}

/**
 * Everything the Gateway API translator reads for one GatewayClass (upstream's resource.Resources).
 * Every list is present (possibly empty); the JSON names are those of upstream's YAML/JSON form.
 */
export interface Resources {
  readonly envoyProxyForGatewayClass?: EnvoyProxy;
  readonly envoyProxiesForGateways: ReadonlyArray<EnvoyProxy>;
  readonly envoyProxyDefaultSpec?: EnvoyProxySpec;
  readonly gatewayClass?: GatewayClass;
  readonly gateways: ReadonlyArray<Gateway>;
  readonly listenerSets: ReadonlyArray<ListenerSet>;
  readonly httpRoutes: ReadonlyArray<HTTPRoute>;
  readonly grpcRoutes: ReadonlyArray<GRPCRoute>;
  readonly tlsRoutes: ReadonlyArray<TLSRoute>;
  readonly tcpRoutes: ReadonlyArray<TCPRoute>;
  readonly udpRoutes: ReadonlyArray<UDPRoute>;
  readonly referenceGrants: ReadonlyArray<ReferenceGrant>;
  readonly namespaces: ReadonlyArray<Namespace>;
  readonly services: ReadonlyArray<Service>;
  readonly serviceImports: ReadonlyArray<ServiceImport>;
  readonly endpointSlices: ReadonlyArray<EndpointSlice>;
  readonly secrets: ReadonlyArray<Secret>;
  readonly configMaps: ReadonlyArray<ConfigMap>;
  readonly extensionRefFilters: ReadonlyArray<UnstructuredObject>;
  readonly envoyPatchPolicies: ReadonlyArray<EnvoyPatchPolicy>;
  readonly clientTrafficPolicies: ReadonlyArray<ClientTrafficPolicy>;
  readonly backendTrafficPolicies: ReadonlyArray<BackendTrafficPolicy>;
  readonly securityPolicies: ReadonlyArray<SecurityPolicy>;
  readonly backendTLSPolicies: ReadonlyArray<BackendTLSPolicy>;
  readonly envoyExtensionPolicies: ReadonlyArray<EnvoyExtensionPolicy>;
  readonly extensionServerPolicies: ReadonlyArray<UnstructuredObject>;
  readonly backends: ReadonlyArray<Backend>;
  readonly httpFilters: ReadonlyArray<HTTPRouteFilter>;
  readonly clusterTrustBundles: ReadonlyArray<ClusterTrustBundle>;
}

/** The list-valued keys of {@link Resources}. */
export type ResourceListKey = {
  [K in keyof Resources]-?: Resources[K] extends ReadonlyArray<unknown> ? K : never;
}[keyof Resources];

/** The list-valued keys of {@link Resources}, in upstream's declaration order. */
export const resourceListKeys: ReadonlyArray<ResourceListKey> = [
  "envoyProxiesForGateways",
  "gateways",
  "listenerSets",
  "httpRoutes",
  "grpcRoutes",
  "tlsRoutes",
  "tcpRoutes",
  "udpRoutes",
  "referenceGrants",
  "namespaces",
  "services",
  "serviceImports",
  "endpointSlices",
  "secrets",
  "configMaps",
  "extensionRefFilters",
  "envoyPatchPolicies",
  "clientTrafficPolicies",
  "backendTrafficPolicies",
  "securityPolicies",
  "backendTLSPolicies",
  "envoyExtensionPolicies",
  "extensionServerPolicies",
  "backends",
  "httpFilters",
  "clusterTrustBundles",
];

/** An empty {@link Resources}: every list empty, no GatewayClass or EnvoyProxy. */
export function emptyResources(): Resources {
  const lists = Object.fromEntries(resourceListKeys.map((k) => [k, []]));
  return lists as unknown as Resources;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding the bundle form, and building bundles from loaded objects.

/** The kind each Resources list holds ("*" for the extension lists, which hold any kind). */
export const resourceListKinds: { readonly [K in ResourceListKey]: string } = {
  envoyProxiesForGateways: "EnvoyProxy",
  gateways: "Gateway",
  listenerSets: "ListenerSet",
  httpRoutes: "HTTPRoute",
  grpcRoutes: "GRPCRoute",
  tlsRoutes: "TLSRoute",
  tcpRoutes: "TCPRoute",
  udpRoutes: "UDPRoute",
  referenceGrants: "ReferenceGrant",
  namespaces: "Namespace",
  services: "Service",
  serviceImports: "ServiceImport",
  endpointSlices: "EndpointSlice",
  secrets: "Secret",
  configMaps: "ConfigMap",
  extensionRefFilters: "*",
  envoyPatchPolicies: "EnvoyPatchPolicy",
  clientTrafficPolicies: "ClientTrafficPolicy",
  backendTrafficPolicies: "BackendTrafficPolicy",
  securityPolicies: "SecurityPolicy",
  backendTLSPolicies: "BackendTLSPolicy",
  envoyExtensionPolicies: "EnvoyExtensionPolicy",
  extensionServerPolicies: "*",
  backends: "Backend",
  httpFilters: "HTTPRouteFilter",
  clusterTrustBundles: "ClusterTrustBundle",
};

/** A problem found while decoding a Resources bundle: where in the bundle, which object, which field. */
export interface ResourcesProblem {
  /** Position in the bundle, such as `httpRoutes[3]` or `gatewayClass`. */
  readonly at: string;
  readonly identity: ObjectIdentity;
  /** Field path inside the object. */
  readonly path: string;
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** A decoded bundle: the good objects, and a problem for each bad one (which is left out). */
export interface ResourcesDecodeResult {
  readonly resources: Resources;
  readonly problems: ReadonlyArray<ResourcesProblem>;
}

const bundleKeys = new Set<string>([...resourceListKeys, "gatewayClass", "envoyProxyForGatewayClass", "envoyProxyDefaultSpec"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Decodes the upstream `Resources` YAML/JSON form (as in the reference corpus' resources.yaml). By default it
 * decodes as upstream's translator tests do (Go's strict typed YAML decoding): types checked, unknown fields
 * rejected, field names matched case-insensitively as a fallback, scalars accepted for strings, any
 * apiVersion accepted for a known kind; no defaults, no CRD validation, namespaces as written. Bad objects
 * are reported and left out; the rest are kept.
 */
export function decodeResources(raw: unknown, options: DecodeOptions = {}): ResourcesDecodeResult {
  const opts: DecodeOptions = {
    applyDefaults: options.applyDefaults ?? false,
    validate: options.validate ?? false,
    unknownFields: options.unknownFields ?? "error",
    defaultNamespace: options.defaultNamespace ?? false,
    goDecoding: options.goDecoding ?? true,
    anyServedVersion: options.anyServedVersion ?? true,
  };
  const problems: ResourcesProblem[] = [];
  const out: Record<string, unknown> = Object.fromEntries(resourceListKeys.map((k) => [k, []]));
  if (raw === null || raw === undefined) return { resources: out as unknown as Resources, problems };
  if (!isRecord(raw)) {
    problems.push({ at: "", identity: {}, path: "", message: "expected a mapping of resource lists", severity: "error" });
    return { resources: out as unknown as Resources, problems };
  }
  const one = (at: string, value: unknown, expectKind: string): unknown => {
    const identity = identityOf(value);
    if (expectKind === "*") {
      if (!isRecord(value) || identity.apiVersion === undefined || identity.kind === undefined || identity.name === undefined) {
        problems.push({ at, identity, path: "", message: "expected an object with apiVersion, kind and metadata.name", severity: "error" });
        return undefined;
      }
      return value;
    }
    if (identity.kind !== undefined && identity.kind !== expectKind) {
      problems.push({ at, identity, path: "kind", message: `expected kind ${expectKind}, got ${identity.kind}`, severity: "error" });
      return undefined;
    }
    const r = decodeObject(value, opts);
    if (!r.ok) {
      for (const e of r.errors) problems.push({ at, identity: r.identity, path: e.path, message: e.message, severity: "error" });
      return undefined;
    }
    for (const w of r.warnings) problems.push({ at, identity: identityOf(r.object), path: w.path, message: w.message, severity: "warning" });
    return r.object;
  };
  for (const [key, value] of Object.entries(raw)) {
    if (!bundleKeys.has(key)) {
      problems.push({ at: key, identity: {}, path: "", message: `unknown Resources field ${JSON.stringify(key)}`, severity: "error" });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (key === "gatewayClass" || key === "envoyProxyForGatewayClass") {
      const obj = one(key, value, key === "gatewayClass" ? "GatewayClass" : "EnvoyProxy");
      if (obj !== undefined) out[key] = obj;
      continue;
    }
    if (key === "envoyProxyDefaultSpec") {
      const wrapped = one(
        key,
        { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: { name: "default-spec" }, spec: value },
        "EnvoyProxy",
      );
      if (wrapped !== undefined) out[key] = (wrapped as { spec?: unknown }).spec ?? {};
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push({ at: key, identity: {}, path: "", message: "expected a list", severity: "error" });
      continue;
    }
    const kind = resourceListKinds[key as ResourceListKey];
    const list = out[key] as unknown[];
    value.forEach((item, i) => {
      const obj = one(`${key}[${i}]`, item, kind);
      if (obj !== undefined) list.push(obj);
    });
  }
  return { resources: out as unknown as Resources, problems };
}

/**
 * Parses and decodes the YAML/JSON text of a Resources bundle (YAML 1.1, as Go reads it; aliases bounded).
 * A text that does not parse yields one problem and an empty bundle.
 */
export function parseResources(text: string, options: DecodeOptions = {}): ResourcesDecodeResult {
  let raw: unknown;
  try {
    raw = parse(text, { version: "1.1", maxAliasCount: 100 });
  } catch (e) {
    return {
      resources: emptyResources(),
      problems: [{ at: "", identity: {}, path: "", message: e instanceof Error ? e.message : String(e), severity: "error" }],
    };
  }
  return decodeResources(raw, options);
}

/** A group/version/kind that an extension manager owns (from the EnvoyGateway configuration). */
export interface ExtensionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Options for building Resources from loaded objects. */
export interface BundleOptions {
  /** Kinds an extension manager owns as route filters or backends: they go to `extensionRefFilters`. */
  readonly extensionFilterKinds?: ReadonlyArray<ExtensionKind>;
  /** Kinds an extension manager owns as policies: they go to `extensionServerPolicies`. */
  readonly extensionPolicyKinds?: ReadonlyArray<ExtensionKind>;
  /** The namespace counted for objects without one, cluster-scoped ones included (default {@link DEFAULT_NAMESPACE}). */
  readonly defaultNamespace?: string;
  /** The controller's namespace, for each class's resource tree (default envoy-gateway-system). */
  readonly controllerNamespace?: string;
}

/** The objects a bundle is built from: a {@link LoadResult} or anything with the same two lists. */
export interface LoadedObjects {
  readonly objects: ReadonlyArray<{ readonly object: KnownObject }>;
  readonly unknown?: ReadonlyArray<{ readonly object: UnstructuredObject }>;
}

const listKeyOfKind: ReadonlyMap<string, ResourceListKey> = new Map(
  (Object.entries(resourceListKinds) as Array<[ResourceListKey, string]>)
    .filter(([k, kind]) => kind !== "*" && k !== "envoyProxiesForGateways")
    .map(([k, kind]) => [kind, k]),
);

function gvkMatches(obj: { apiVersion: string; kind: string }, kinds: ReadonlyArray<ExtensionKind> | undefined): boolean {
  return (kinds ?? []).some((k) => obj.kind === k.kind && obj.apiVersion === (k.group === "" ? k.version : `${k.group}/${k.version}`));
}

function timestampOf(o: KubernetesObject): string {
  return o.metadata.creationTimestamp ?? "";
}

/** Orders a list as upstream's Resources.Sort does: creation time, then namespace, then name. */
export function sortObjects<T extends KubernetesObject>(list: ReadonlyArray<T>): T[] {
  // Each timestamp is parsed once, not once per comparison.
  const keyed = list.map((o) => {
    const time = timestampOf(o);
    return { o, time, ms: Date.parse(time || "1970-01-01T00:00:00Z"), namespace: o.metadata.namespace ?? "", name: o.metadata.name };
  });
  keyed.sort((a, b) => {
    if (a.time !== b.time) return a.ms - b.ms || (a.time < b.time ? -1 : 1);
    if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return keyed.map((k) => k.o);
}

/** Sorts every list of a bundle as upstream's Resources.Sort does. */
export function sortResources(r: Resources): Resources {
  const out: Record<string, unknown> = { ...r };
  for (const k of resourceListKeys) {
    if (k === "envoyProxiesForGateways") continue; // upstream keeps these in discovery order
    out[k] = sortObjects(r[k] as ReadonlyArray<KubernetesObject>);
  }
  return out as unknown as Resources;
}

/**
 * Puts loaded objects into one bundle, as upstream's loader does for `egctl x translate` and the file
 * provider: one GatewayClass and one EnvoyProxy (the last ones seen), extension-owned kinds in the extension
 * lists, other unknown kinds left out, a Namespace added for every namespace used but not provided
 * (the default namespace included whenever an object has none, cluster-scoped ones too), every list sorted.
 */
export function resourcesFromObjects(loaded: LoadedObjects, options: BundleOptions = {}): Resources {
  return bundleOf(unwrapped(loaded.objects), unwrapped(loaded.unknown ?? []), options, undefined);
}

const unwrapped = <T>(list: ReadonlyArray<{ readonly object: T }>): T[] => list.map((o) => o.object);

/**
 * What a {@link ResourceGrouper} keeps from its previous call, so that what did not change comes out as the
 * same arrays and objects (and costs no sorting or tree walking again).
 */
interface GrouperMemo {
  /** Per list: the objects in load order last time, and that list sorted. */
  readonly lists: Map<string, { readonly loaded: ReadonlyArray<unknown>; readonly sorted: ReadonlyArray<unknown> }>;
  /** The Namespaces added last time for namespaces used but not provided, by name. */
  namespaces: ReadonlyMap<string, Namespace>;
  readonly references: ReferenceMemo;
  /** The last call's input, its bundle of every object, and per GatewayClass its tree and what selected it. */
  last?: {
    readonly objects: ReadonlyArray<KnownObject>;
    readonly unknown: ReadonlyArray<UnstructuredObject>;
    readonly all: Resources;
    readonly groups: ReadonlyArray<GatewayClassResources>;
    readonly selections: ReadonlyMap<string, TreeSelection>;
  };
}

function sameItems(a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function bundleOf(
  objects: ReadonlyArray<KnownObject>,
  unknown: ReadonlyArray<UnstructuredObject>,
  options: BundleOptions,
  memo: GrouperMemo | undefined,
): Resources {
  const out: Record<string, unknown> = Object.fromEntries(resourceListKeys.map((k) => [k, [] as unknown[]]));
  const provided = new Set<string>();
  const required = new Set<string>();
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
  for (const object of objects) {
    required.add(object.metadata.namespace ?? defaultNamespace);
    if (object.kind === "GatewayClass") out["gatewayClass"] = object;
    else if (object.kind === "EnvoyProxy") out["envoyProxyForGatewayClass"] = object;
    else {
      if (object.kind === "Namespace") provided.add(object.metadata.name);
      const key = listKeyOfKind.get(object.kind);
      if (key) (out[key] as unknown[]).push(object);
    }
  }
  for (const object of unknown) {
    if (gvkMatches(object, options.extensionFilterKinds)) (out["extensionRefFilters"] as unknown[]).push(object);
    else if (gvkMatches(object, options.extensionPolicyKinds)) (out["extensionServerPolicies"] as unknown[]).push(object);
    else continue;
    required.add(object.metadata.namespace ?? defaultNamespace);
  }
  const added = new Map<string, Namespace>();
  for (const ns of [...required].sort()) {
    if (provided.has(ns)) continue;
    const namespace = memo?.namespaces.get(ns) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
    added.set(ns, namespace);
    (out["namespaces"] as unknown[]).push(namespace);
  }
  if (memo !== undefined) memo.namespaces = added;
  if (memo === undefined) return sortResources(out as unknown as Resources);
  for (const k of resourceListKeys) {
    if (k === "envoyProxiesForGateways") continue;
    const list = out[k] as ReadonlyArray<KubernetesObject>;
    const before = memo.lists.get(k);
    if (before !== undefined && sameItems(before.loaded, list)) out[k] = before.sorted;
    else {
      const sorted = sortObjects(list);
      memo.lists.set(k, { loaded: list, sorted });
      out[k] = sorted;
    }
  }
  return out as unknown as Resources;
}

/** The bundle of one GatewayClass. */
export interface GatewayClassResources {
  readonly gatewayClassName: string;
  readonly resources: Resources;
}

/**
 * Splits loaded objects into one bundle per GatewayClass managed by `controllerName` (sorted by name), as the
 * provider hands them to the translator: each bundle holds its GatewayClass, the Gateways of that class, the
 * EnvoyProxy its parametersRef names, the EnvoyProxies its Gateways' infrastructure.parametersRef name, and
 * the class's resource tree ({@link buildResourceTree}: attached routes, policies, referenced backends,
 * secrets and config maps), as upstream's reconciler builds it for both its Kubernetes and File providers.
 */
export function groupResources(loaded: LoadedObjects, controllerName: string, options: BundleOptions = {}): ReadonlyArray<GatewayClassResources> {
  return groupWith(unwrapped(loaded.objects), unwrapped(loaded.unknown ?? []), controllerName, options, undefined);
}

/** Groups loaded objects again and again (see {@link createResourceGrouper}). */
export interface ResourceGrouper {
  /** The same bundles as {@link groupResources} would return for `loaded`. */
  readonly group: (loaded: LoadedObjects) => ReadonlyArray<GatewayClassResources>;
  /**
   * {@link group} for the objects themselves, without their wrappers (a provider regrouping thousands of objects
   * after each edit saves building and reading a wrapper per object).
   */
  readonly groupObjects: (objects: ReadonlyArray<KnownObject>, unknown?: ReadonlyArray<UnstructuredObject>) => ReadonlyArray<GatewayClassResources>;
}

/**
 * A {@link groupResources} for a provider that regroups after every change. Loaded objects must be treated as
 * immutable (an edit brings a new object), as the providers' caches already require. Each call returns what
 * `groupResources` would, but a list whose objects did not change is the same array as last time, a bundle
 * that did not change is the same object, and only objects not seen before are searched for references, so
 * an edit costs about what it changed.
 */
export function createResourceGrouper(controllerName: string, options: BundleOptions = {}): ResourceGrouper {
  const memo: GrouperMemo = { lists: new Map(), namespaces: new Map(), references: new WeakMap() };
  return {
    group: (loaded) => groupWith(unwrapped(loaded.objects), unwrapped(loaded.unknown ?? []), controllerName, options, memo),
    groupObjects: (objects, unknown = []) => groupWith(objects, unknown, controllerName, options, memo),
  };
}

function groupWith(
  objects: ReadonlyArray<KnownObject>,
  unknown: ReadonlyArray<UnstructuredObject>,
  controllerName: string,
  options: BundleOptions,
  memo: GrouperMemo | undefined,
): ReadonlyArray<GatewayClassResources> {
  const edit = memo === undefined ? undefined : inPlaceEdit(objects, unknown, memo);
  if (memo?.last !== undefined && edit !== undefined) {
    const shaped = groupShapedEdit(objects, unknown, edit, memo.last, memo);
    if (shaped !== undefined) return shaped;
  }
  const all = edit?.all ?? bundleOf(objects, unknown, options, memo);
  const classes = objects.filter((o): o is GatewayClass => o.kind === "GatewayClass" && o.spec.controllerName === controllerName);
  const proxies = objects.filter((o): o is EnvoyProxy => o.kind === "EnvoyProxy");
  const byName = new Map<string, GatewayClass>();
  for (const gc of classes) byName.set(gc.metadata.name, gc);
  const references: ReferenceMemo = memo?.references ?? new WeakMap();
  const previous = new Map(memo?.last?.groups.map((g) => [g.gatewayClassName, g.resources]));
  const selections = new Map<string, TreeSelection>();
  const groups = [...byName.values()]
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
    .map((gc) => {
      const ref = gc.spec.parametersRef;
      const forClass =
        ref && ref.group === "gateway.envoyproxy.io" && ref.kind === "EnvoyProxy"
          ? proxies.find((p) => p.metadata.name === ref.name && p.metadata.namespace === ref.namespace)
          : undefined;
      const gateways = all.gateways.filter((g) => g.spec.gatewayClassName === gc.metadata.name);
      const forGateways: EnvoyProxy[] = [];
      for (const g of gateways) {
        const p = g.spec.infrastructure?.parametersRef;
        if (!p || p.group !== "gateway.envoyproxy.io" || p.kind !== "EnvoyProxy") continue;
        const found = proxies.find((x) => x.metadata.name === p.name && x.metadata.namespace === g.metadata.namespace);
        if (found && !forGateways.includes(found)) forGateways.push(found);
      }
      const resources: Record<string, unknown> = { ...all, gatewayClass: gc, gateways, envoyProxiesForGateways: forGateways };
      if (forClass) resources["envoyProxyForGatewayClass"] = forClass;
      else delete resources["envoyProxyForGatewayClass"];
      const { tree, selection } = buildResourceTreeWith(
        resources as unknown as Resources,
        gc.metadata.name,
        options.controllerNamespace !== undefined ? { controllerNamespace: options.controllerNamespace } : {},
        references,
      );
      selections.set(gc.metadata.name, selection);
      return { gatewayClassName: gc.metadata.name, resources: reuseUnchanged(previous.get(gc.metadata.name), tree) };
    });
  if (memo !== undefined) memo.last = { objects, unknown, all, groups, selections };
  return groups;
}

/** Edits in place this many objects at most take the in-place path; more are cheaper regrouped whole. */
const MAX_IN_PLACE_EDITS = 64;

/**
 * When the objects differ from the last call's only by objects edited in place (same position, kind,
 * namespace, name and creation time, of a kind kept in a list other than Namespaces), the bundle of every
 * object with those replaced in their lists (which keep their order). Undefined for any other change.
 */
function inPlaceEdit(objects: ReadonlyArray<KnownObject>, unknown: ReadonlyArray<UnstructuredObject>, memo: GrouperMemo): InPlaceEdit | undefined {
  const last = memo.last;
  if (last === undefined || objects.length !== last.objects.length || !sameItems(unknown, last.unknown)) return undefined;
  const edits: Array<readonly [KnownObject, KnownObject]> = [];
  for (let i = 0; i < objects.length; i++) {
    const before = last.objects[i]!;
    const after = objects[i]!;
    if (before === after) continue;
    if (edits.length === MAX_IN_PLACE_EDITS || !sameSlot(before, after) || after.kind === "Namespace" || !listKeyOfKind.has(after.kind)) return undefined;
    edits.push([before, after]);
  }
  const all: Record<string, unknown> = { ...last.all };
  const lists = new Map<string, { loaded: ReadonlyArray<unknown>; sorted: ReadonlyArray<unknown> }>();
  for (const [before, after] of edits) {
    const key = listKeyOfKind.get(after.kind)!;
    const entry = lists.get(key) ?? memo.lists.get(key);
    const sortedAt = (all[key] as ReadonlyArray<unknown>).indexOf(before);
    const loadedAt = entry?.loaded.indexOf(before) ?? -1;
    // (An object given twice would need both places replaced: left to the full path.)
    if (entry === undefined || sortedAt < 0 || loadedAt < 0 || entry.loaded.lastIndexOf(before) !== loadedAt) return undefined;
    const sorted = [...(all[key] as ReadonlyArray<unknown>)];
    sorted[sortedAt] = after;
    const loadedOrder = [...entry.loaded];
    loadedOrder[loadedAt] = after;
    lists.set(key, { loaded: loadedOrder, sorted });
    all[key] = sorted;
  }
  for (const [key, entry] of lists) memo.lists.set(key, entry);
  return { all: all as unknown as Resources, edits };
}

/** Objects edited in place (see inPlaceEdit) and the bundle of every object with them replaced. */
interface InPlaceEdit {
  readonly all: Resources;
  readonly edits: ReadonlyArray<readonly [KnownObject, KnownObject]>;
}

/**
 * The bundles after an in-place edit of objects that kept what they attach to and refer to
 * ({@link sameTreeShape}), or of leaves ({@link leafKinds}, which refer to nothing): each class's tree keeps its
 * selection and its members, with the edited objects in their predecessors' places and the leaf lists filtered
 * again. Undefined when some edit changed more.
 */
function groupShapedEdit(
  objects: ReadonlyArray<KnownObject>,
  unknown: ReadonlyArray<UnstructuredObject>,
  edit: InPlaceEdit,
  last: NonNullable<GrouperMemo["last"]>,
  memo: GrouperMemo,
): ReadonlyArray<GatewayClassResources> | undefined {
  for (const [before, after] of edit.edits) {
    if (!leafKinds.has(after.kind) && (!shapedKinds.has(after.kind) || !sameTreeShape(memo.references, before, after))) return undefined;
  }
  const previousAll = last.all as unknown as Record<string, unknown>;
  const all = edit.all as unknown as Record<string, unknown>;
  const leafEdits = edit.edits.filter(([, after]) => leafKinds.has(after.kind));
  const groups = last.groups.map((g) => {
    const tree: Record<string, unknown> = { ...g.resources };
    for (const [before, after] of edit.edits) {
      if (leafKinds.has(after.kind)) continue; // leaves below
      const key = listKeyOfKind.get(after.kind)!;
      const list = tree[key] as ReadonlyArray<unknown>;
      // A list the tree took whole from the bundle of every object; or one it filtered: the same members.
      if (list === previousAll[key]) tree[key] = all[key];
      else {
        const at = list.indexOf(before);
        if (at >= 0) tree[key] = list.map((o, i) => (i === at ? after : o));
      }
    }
    const selection = last.selections.get(g.gatewayClassName)!;
    // The selection is the last one (the edits kept what is wanted): leaves edited without changing whether
    // they belong take their predecessors' places; otherwise the leaf lists are filtered again.
    const leaves = leavesAfterEdit(g.resources, leafEdits, (kind) => listKeyOfKind.get(kind)!, selection) ?? leavesOf(edit.all, selection);
    const next = { ...tree, ...leaves };
    return { gatewayClassName: g.gatewayClassName, resources: reuseUnchanged(g.resources, next as unknown as Resources) };
  });
  memo.last = { objects, unknown, all: edit.all, groups, selections: last.selections };
  return groups;
}

/** Whether `after` takes `before`'s place in every sorted list: same kind, namespace, name and creation time. */
function sameSlot(before: KnownObject, after: KnownObject): boolean {
  return (
    before.kind === after.kind &&
    before.metadata.name === after.metadata.name &&
    before.metadata.namespace === after.metadata.namespace &&
    before.metadata.creationTimestamp === after.metadata.creationTimestamp
  );
}

/** `next`, with every list holding the same objects as in `previous` taken from it; `previous` when all are. */
function reuseUnchanged(previous: Resources | undefined, next: Resources): Resources {
  if (previous === undefined) return next;
  const before = previous as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...next };
  let same = Object.keys(before).every((key) => key in out);
  for (const [key, value] of Object.entries(out)) {
    const old = before[key];
    if (value === old) continue;
    if (Array.isArray(value) && Array.isArray(old) && sameItems(old, value)) out[key] = old;
    else same = false;
  }
  return same ? previous : (out as unknown as Resources);
}
