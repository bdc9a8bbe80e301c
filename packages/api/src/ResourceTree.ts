import type { Resources } from "./Resources.js";

type Json = Record<string, unknown>;
interface Obj {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: unknown;
}

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const groupOf = (o: Obj): string => (o.apiVersion?.includes("/") ? o.apiVersion.split("/")[0]! : "");

/** Keys an object reference may carry; an object with a string `name` and only these keys is taken for one. */
const referenceKeys = new Set(["group", "kind", "name", "namespace", "port", "weight", "sectionName", "filters", "fallback", "key"]);

interface Reference {
  readonly group?: string;
  readonly kind?: string;
  readonly namespace: string;
  readonly name: string;
}

/** A reference that may pull in an object of one candidate kind: the wanted-set key and namespace/name. */
interface Want {
  readonly group: string;
  readonly kind: string;
  /** "group/kind", the key of the wanted set. */
  readonly set: string;
  /** "namespace/name". */
  readonly target: string;
  readonly ref: Reference;
}

/** What the tree reads of one object, worked out once per object. */
interface ObjectFacts {
  /** Wants for references within the object's own namespace (they need no ReferenceGrant). */
  local?: ReadonlyArray<Want>;
  /** Wants for references into other namespaces (each needs a grant, unless the object is trusted). */
  remote?: ReadonlyArray<Want>;
  /** The parents it attaches to, as "kind|group|namespace/name". */
  parents?: ReadonlyArray<string>;
}

/**
 * What the tree reads of each object, remembered by object identity: objects are immutable once loaded, and a
 * provider hands the same object again while it is unchanged, so a rebuild after an edit walks only the
 * objects that changed.
 */
export type ReferenceMemo = WeakMap<object, ObjectFacts>;

const candidates: ReadonlyArray<readonly [string, string]> = [
  ["", "Service"],
  ["", "Secret"],
  ["", "ConfigMap"],
  ["gateway.envoyproxy.io", "Backend"],
  ["multicluster.x-k8s.io", "ServiceImport"],
];

function factsOf(memo: ReferenceMemo, o: Obj): ObjectFacts {
  let facts = memo.get(o);
  if (facts === undefined) {
    facts = {};
    memo.set(o, facts);
  }
  return facts;
}

/** The wants of an object's references (see {@link ObjectFacts}). */
function wantsOf(memo: ReferenceMemo, from: Obj): ObjectFacts & { local: ReadonlyArray<Want>; remote: ReadonlyArray<Want> } {
  const facts = factsOf(memo, from);
  if (facts.local === undefined || facts.remote === undefined) {
    const refs: Reference[] = [];
    referencesIn(from.spec, from.metadata.namespace ?? "", refs);
    const local: Want[] = [];
    const remote: Want[] = [];
    for (const ref of refs) {
      for (const [group, kind] of candidates) {
        if (ref.kind !== undefined && ref.kind !== kind) continue;
        const want: Want = { group, kind, set: `${group}/${kind}`, target: `${ref.namespace}/${ref.name}`, ref };
        (ref.namespace === (from.metadata.namespace ?? "") ? local : remote).push(want);
      }
    }
    facts.local = local;
    facts.remote = remote;
  }
  return facts as ObjectFacts & { local: ReadonlyArray<Want>; remote: ReadonlyArray<Want> };
}

/** Whether an object is among those wanted of its group and kind (see TreeSelection.wanted). */
function isWanted(wanted: ReadonlyMap<string, ReadonlySet<string>>, group: string, kind: string, o: Obj): boolean {
  return wanted.get(`${group}/${kind}`)?.has(`${o.metadata.namespace ?? ""}/${o.metadata.name}`) ?? false;
}

/** The parents an object attaches to (its parentRefs, or its single parentRef), as "kind|group|namespace/name". */
function parentsOf(memo: ReferenceMemo, o: Obj): ReadonlyArray<string> {
  const facts = factsOf(memo, o);
  if (facts.parents === undefined) {
    const refs =
      isRecord(o.spec) && Array.isArray(o.spec["parentRefs"])
        ? (o.spec["parentRefs"] as Json[])
        : isRecord(o.spec) && isRecord(o.spec["parentRef"])
          ? [o.spec["parentRef"]]
          : [];
    facts.parents = refs.map(
      (r) =>
        `${String(r["kind"] ?? "Gateway")}|${String(r["group"] ?? "gateway.networking.k8s.io")}|${(r["namespace"] as string | undefined) ?? o.metadata.namespace ?? ""}/${String(r["name"])}`,
    );
  }
  return facts.parents;
}

/** Every object reference found anywhere in `value` (any depth), namespaced by `namespace` when it names none. */
function referencesIn(value: unknown, namespace: string, out: Reference[]): void {
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, namespace, out);
    return;
  }
  if (!isRecord(value)) return;
  if (typeof value["name"] === "string" && Object.keys(value).every((k) => referenceKeys.has(k))) {
    out.push({
      ...(typeof value["group"] === "string" ? { group: value["group"] } : {}),
      ...(typeof value["kind"] === "string" ? { kind: value["kind"] } : {}),
      namespace: typeof value["namespace"] === "string" ? value["namespace"] : namespace,
      name: value["name"],
    });
  }
  for (const v of Object.values(value)) referencesIn(v, namespace, out);
}

/** Whether a ReferenceGrant in the target's namespace lets `from` refer to the target. */
function granted(grants: ReadonlyArray<Obj>, from: Obj, targetGroup: string, targetKind: string, target: Reference): boolean {
  const fromNamespace = from.metadata.namespace ?? "";
  return grants.some((g) => {
    if ((g.metadata.namespace ?? "") !== target.namespace || !isRecord(g.spec)) return false;
    const froms = Array.isArray(g.spec["from"]) ? (g.spec["from"] as Json[]) : [];
    const tos = Array.isArray(g.spec["to"]) ? (g.spec["to"] as Json[]) : [];
    return (
      froms.some((f) => (f["group"] ?? "") === groupOf(from) && f["kind"] === from.kind && f["namespace"] === fromNamespace) &&
      tos.some(
        (t) =>
          ((t["group"] ?? "") === targetGroup || (t["group"] ?? "") === "") &&
          t["kind"] === targetKind &&
          (t["name"] === undefined || t["name"] === "" || t["name"] === target.name),
      )
    );
  });
}

/** Options of {@link buildResourceTree}. */
export interface ResourceTreeOptions {
  /** The controller's namespace, where the Envoy TLS Secret (`envoy`) lives. Default envoy-gateway-system. */
  readonly controllerNamespace?: string;
}

/** Labels upstream's infrastructure puts on the Envoy Service of a Gateway (or of a merged GatewayClass). */
const owningGatewayName = "gateway.envoyproxy.io/owning-gateway-name";
const owningGatewayNamespace = "gateway.envoyproxy.io/owning-gateway-namespace";
const owningGatewayClass = "gateway.envoyproxy.io/owning-gatewayclass";

const controllerSecrets = new Set(["envoy", "envoy-oidc-hmac"]);

const routeLists = ["httpRoutes", "grpcRoutes", "tlsRoutes", "tcpRoutes", "udpRoutes"] as const;

/**
 * The resource tree of one GatewayClass, as upstream's Kubernetes reconciler builds it: the class's Gateways,
 * the ListenerSets and routes attached to them, every policy, filter and ReferenceGrant, and only the
 * Services, ServiceImports, Backends, Secrets and ConfigMaps those objects (and the class's EnvoyProxies)
 * refer to, with the EndpointSlices of the chosen Services and ServiceImports; plus the Envoy Services of
 * the class's Gateways and the Envoy TLS and OIDC HMAC Secrets of the controller namespace. References made by
 * EnvoyProxies need no ReferenceGrant. A reference into another
 * namespace counts only where a ReferenceGrant there permits it. Namespaces and ClusterTrustBundles are
 * kept whole (listeners select routes by namespace labels).
 *
 * `all` holds every object (one bundle as {@link resourcesFromObjects} makes it); `gatewayClassName` picks
 * the Gateways.
 */
export function buildResourceTree(all: Resources, gatewayClassName: string, options: ResourceTreeOptions = {}): Resources {
  return buildResourceTreeWith(all, gatewayClassName, options, new WeakMap()).tree;
}

/** {@link buildResourceTree} with the references of objects seen before taken from `memo`. */
export function buildResourceTreeWith(
  all: Resources,
  gatewayClassName: string,
  options: ResourceTreeOptions,
  memo: ReferenceMemo,
): { readonly tree: Resources; readonly selection: TreeSelection } {
  const controllerNamespace = options.controllerNamespace ?? "envoy-gateway-system";
  const gateways = all.gateways.filter((g) => g.spec.gatewayClassName === gatewayClassName);
  const gatewayKeys = new Set(gateways.map((g) => `${g.metadata.namespace ?? ""}/${g.metadata.name}`));
  // Parent keys carry kind and group: a Gateway's key as a ListenerSet parent would not match, as upstream.
  const gatewayParents = new Set([...gatewayKeys].map((k) => `Gateway|gateway.networking.k8s.io|${k}`));
  const attachedTo = (o: Obj, parents: ReadonlySet<string>): boolean => parentsOf(memo, o).some((p) => parents.has(p));
  const listenerSets = all.listenerSets.filter((l) => attachedTo(l as unknown as Obj, gatewayParents));
  const routeParents = new Set([
    ...gatewayParents,
    ...listenerSets.map((l) => `ListenerSet|gateway.networking.k8s.io|${l.metadata.namespace ?? ""}/${l.metadata.name}`),
  ]);
  const routes: Record<string, unknown[]> = {};
  for (const key of routeLists) routes[key] = (all[key] as ReadonlyArray<unknown>).filter((r) => attachedTo(r as Obj, routeParents));

  // Everything whose references pull in backends, secrets and config maps.
  const referrers: Obj[] = [
    ...(gateways as unknown as Obj[]),
    ...(listenerSets as unknown as Obj[]),
    ...routeLists.flatMap((k) => routes[k] as Obj[]),
    ...(all.clientTrafficPolicies as unknown as Obj[]),
    ...(all.backendTrafficPolicies as unknown as Obj[]),
    ...(all.securityPolicies as unknown as Obj[]),
    ...(all.envoyExtensionPolicies as unknown as Obj[]),
    ...(all.envoyPatchPolicies as unknown as Obj[]),
    ...(all.backendTLSPolicies as unknown as Obj[]),
    ...(all.httpFilters as unknown as Obj[]),
    ...(all.extensionServerPolicies as unknown as Obj[]),
    ...(all.extensionRefFilters as unknown as Obj[]),
    ...(all.envoyProxiesForGateways as unknown as Obj[]),
    ...(all.envoyProxyForGatewayClass ? [all.envoyProxyForGatewayClass as unknown as Obj] : []),
  ];
  const grants = all.referenceGrants as unknown as Obj[];
  const wanted = new Map<string, Set<string>>(candidates.map(([group, kind]) => [`${group}/${kind}`, new Set<string>()])); // "group/kind" -> namespace/name
  // EnvoyProxy is the operator's configuration: its references (telemetry sinks) need no ReferenceGrant.
  const trusted = new Set<Obj>([
    ...(all.envoyProxiesForGateways as unknown as Obj[]),
    ...(all.envoyProxyForGatewayClass ? [all.envoyProxyForGatewayClass as unknown as Obj] : []),
  ]);
  const collect = (from: Obj) => {
    const { local, remote } = wantsOf(memo, from);
    for (const w of local) wanted.get(w.set)!.add(w.target);
    // Groups are not compared: references spell them loosely ("", "core", "v1"), and a wider tree is harmless.
    for (const w of remote) if (trusted.has(from) || granted(grants, from, w.group, w.kind, w.ref)) wanted.get(w.set)!.add(w.target);
  };
  for (const o of referrers) collect(o);
  const has = (group: string, kind: string, o: Obj) => isWanted(wanted, group, kind, o);
  // Backends refer onwards (CA certificates, client certificates).
  const backends = all.backends.filter((b) => has("gateway.envoyproxy.io", "Backend", b as unknown as Obj));
  for (const b of backends) collect(b as unknown as Obj);
  const selection: TreeSelection = { gatewayClassName, controllerNamespace, gatewayKeys, wanted };
  const tree: Resources = {
    ...all,
    gateways,
    listenerSets,
    ...(routes as unknown as Pick<Resources, (typeof routeLists)[number]>),
    backends,
    ...leavesOf(all, selection),
  };
  return { tree, selection };
}

/**
 * What decides which Services, ServiceImports, EndpointSlices, Secrets and ConfigMaps a class's tree holds:
 * its Gateways and the references of its other objects. Those five kinds refer to nothing themselves, so an
 * edit of them alone leaves the selection as it was.
 */
export interface TreeSelection {
  readonly gatewayClassName: string;
  readonly controllerNamespace: string;
  readonly gatewayKeys: ReadonlySet<string>;
  /** "group/kind" -> namespace/name of each object referred to. */
  readonly wanted: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Kinds whose objects count in a tree only through what they attach to and refer to: an edit that keeps
 * both (see {@link sameTreeShape}) leaves every class's selection, and the object's own membership, as they
 * were. (Gateways, ListenerSets and ReferenceGrants decide more than that.)
 */
export const shapedKinds: ReadonlySet<string> = new Set([
  "HTTPRoute",
  "GRPCRoute",
  "TLSRoute",
  "TCPRoute",
  "UDPRoute",
  "ClientTrafficPolicy",
  "BackendTrafficPolicy",
  "SecurityPolicy",
  "EnvoyExtensionPolicy",
  "EnvoyPatchPolicy",
  "BackendTLSPolicy",
  "HTTPRouteFilter",
  "Backend",
]);

/** Whether two versions of an object attach to the same parents and refer to the same objects. */
export function sameTreeShape(memo: ReferenceMemo, before: object, after: object): boolean {
  const a = before as Obj;
  const b = after as Obj;
  if (a.kind !== b.kind || a.apiVersion !== b.apiVersion || a.metadata.namespace !== b.metadata.namespace) return false;
  const pa = parentsOf(memo, a);
  const pb = parentsOf(memo, b);
  if (pa.length !== pb.length || pa.some((p, i) => p !== pb[i])) return false;
  const wa = wantsOf(memo, a);
  const wb = wantsOf(memo, b);
  const same = (x: ReadonlyArray<Want>, y: ReadonlyArray<Want>) =>
    x.length === y.length &&
    x.every((w, i) => {
      const v = y[i]!;
      return w.set === v.set && w.target === v.target && w.ref.group === v.ref.group && w.ref.kind === v.ref.kind;
    });
  return same(wa.local, wb.local) && same(wa.remote, wb.remote);
}

/** The kinds {@link leavesOf} selects (objects that refer to nothing the tree follows). */
export const leafKinds: ReadonlySet<string> = new Set(["Service", "ServiceImport", "EndpointSlice", "Secret", "ConfigMap"]);

type LeafKey = "services" | "serviceImports" | "endpointSlices" | "secrets" | "configMaps";

/**
 * Whether a leaf object belongs to a class's tree, by its list. An EndpointSlice belongs when the tree holds
 * the Service (or ServiceImport) it names, which `holds` answers by list, namespace and name.
 */
type LeafRule = (o: Obj, holds: (list: "services" | "serviceImports", namespace: string, name: string) => boolean) => boolean;

function leafRules(selection: TreeSelection): Readonly<Record<LeafKey, LeafRule>> {
  const { gatewayClassName, controllerNamespace, gatewayKeys, wanted } = selection;
  // The Envoy Services of the class's Gateways (their proxy service clusters), as upstream adds them.
  const ownedByClass = (labels: Readonly<Record<string, string>>) =>
    labels[owningGatewayClass] === gatewayClassName ||
    (labels[owningGatewayName] !== undefined && gatewayKeys.has(`${labels[owningGatewayNamespace] ?? ""}/${labels[owningGatewayName]}`));
  return {
    services: (s) => isWanted(wanted, "", "Service", s) || ownedByClass(labelsOf(s)),
    serviceImports: (s) => isWanted(wanted, "multicluster.x-k8s.io", "ServiceImport", s),
    endpointSlices: (e, holds) => {
      const labels = labelsOf(e);
      const ns = e.metadata.namespace ?? "";
      const svc = labels["kubernetes.io/service-name"];
      const imported = labels["multicluster.kubernetes.io/service-name"];
      return (svc !== undefined && holds("services", ns, svc)) || (imported !== undefined && holds("serviceImports", ns, imported));
    },
    // The Envoy TLS Secret and the OIDC HMAC Secret of the controller namespace are always in, as upstream adds them.
    secrets: (s) => isWanted(wanted, "", "Secret", s) || (controllerSecrets.has(s.metadata.name) && s.metadata.namespace === controllerNamespace),
    configMaps: (c) => isWanted(wanted, "", "ConfigMap", c),
  };
}

const labelsOf = (o: Obj): Readonly<Record<string, string>> => o.metadata.labels ?? {};
const keyOf = (o: { readonly metadata: { readonly namespace?: string; readonly name: string } }): string => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** The Services, ServiceImports, EndpointSlices, Secrets and ConfigMaps of `all` that a class's tree holds. */
export function leavesOf(all: Resources, selection: TreeSelection): Pick<Resources, LeafKey> {
  const rules = leafRules(selection);
  const services = all.services.filter((s) => rules.services(s as unknown as Obj, () => false));
  const serviceImports = all.serviceImports.filter((s) => rules.serviceImports(s as unknown as Obj, () => false));
  const held = { services: new Set(services.map(keyOf)), serviceImports: new Set(serviceImports.map(keyOf)) };
  const holds = (list: "services" | "serviceImports", namespace: string, name: string) => held[list].has(`${namespace}/${name}`);
  return {
    services,
    serviceImports,
    endpointSlices: all.endpointSlices.filter((e) => rules.endpointSlices(e as unknown as Obj, holds)),
    secrets: all.secrets.filter((s) => rules.secrets(s as unknown as Obj, holds)),
    configMaps: all.configMaps.filter((c) => rules.configMaps(c as unknown as Obj, holds)),
  };
}

/**
 * A class's leaf lists after leaves were edited in place (each pair keeps its slot: kind, namespace, name),
 * without filtering the lists again: an edited object takes its predecessor's place where both belong, and
 * lists stay as they are where neither does. Undefined when an edit changes whether its object belongs (a
 * Service's labels, an EndpointSlice's Service), which only {@link leavesOf} works out (it may move others).
 */
export function leavesAfterEdit(
  leaves: Pick<Resources, LeafKey>,
  edits: ReadonlyArray<readonly [{ readonly kind: string }, { readonly kind: string }]>,
  listOf: (kind: string) => string,
  selection: TreeSelection,
): Pick<Resources, LeafKey> | undefined {
  const rules = leafRules(selection);
  const { services, serviceImports, endpointSlices, secrets, configMaps } = leaves;
  const lists: Partial<Record<LeafKey, ReadonlyArray<unknown>>> = { services, serviceImports, endpointSlices, secrets, configMaps };
  // One edit's question, so a scan, by namespace and name (no key built per object).
  const holds = (list: "services" | "serviceImports", namespace: string, name: string) =>
    ((lists[list] ?? []) as ReadonlyArray<Obj>).some((o) => o.metadata.name === name && (o.metadata.namespace ?? "") === namespace);
  for (const [before, after] of edits) {
    const key = listOf(after.kind) as LeafKey;
    const list = lists[key];
    if (list === undefined) return undefined;
    const at = list.indexOf(before);
    if (at >= 0 !== rules[key](after as unknown as Obj, holds)) return undefined;
    if (at >= 0) lists[key] = list.map((o, i) => (i === at ? after : o));
  }
  return lists as unknown as Pick<Resources, LeafKey>;
}
