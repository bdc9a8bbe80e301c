// Lookup tables over the input resources (upstream's TranslatorContext), built once per translation.
import type { Backend, ConfigMap, EndpointSlice, Namespace, ReferenceGrant, Resources, Secret, Service, ServiceImport } from "@egts/api";
import type { TranslationObserver } from "./TranslationObserver.js";

const serviceNameLabel = "kubernetes.io/service-name";
const serviceImportNameLabel = "multicluster.kubernetes.io/service-name";

type ListIndexes = TranslationObserver["listIndexes"];

/** A table built over a list, taken from `indexes` when that list was indexed before (see TranslationObserver). */
function indexed<T, V>(items: ReadonlyArray<T>, indexes: ListIndexes, build: (items: ReadonlyArray<T>) => ReadonlyMap<string, V>): ReadonlyMap<string, V> {
  const known = indexes?.get(items) as ReadonlyMap<string, V> | undefined;
  if (known !== undefined) return known;
  const built = build(items);
  // An empty list is a fresh `[]` in most inputs: not worth remembering.
  if (items.length > 0) indexes?.set(items, built);
  return built;
}

function byNamespacedName<T extends { readonly metadata: { readonly name: string; readonly namespace?: string } }>(
  items: ReadonlyArray<T>,
  indexes: ListIndexes,
): ReadonlyMap<string, T> {
  return indexed(items, indexes, (list) => {
    const map = new Map<string, T>();
    for (const item of list) map.set(`${item.metadata.namespace ?? ""}/${item.metadata.name}`, item);
    return map;
  });
}

/** The owner an EndpointSlice serves (`Service/<ns>/<name>` or `ServiceImport/<ns>/<name>`), from its labels. */
export function endpointSliceOwnerKey(slice: EndpointSlice): string | undefined {
  const labels = slice.metadata.labels ?? {};
  if (labels[serviceNameLabel] !== undefined) return `Service/${slice.metadata.namespace ?? ""}/${labels[serviceNameLabel]}`;
  if (labels[serviceImportNameLabel] !== undefined) return `ServiceImport/${slice.metadata.namespace ?? ""}/${labels[serviceImportNameLabel]}`;
  return undefined;
}

/**
 * EndpointSlices by owner (see endpointSliceOwnerKey), each owner's in input order; with `only`, of those owners
 * alone. `keyOf` reads a slice's owner (a caller holding raw slices may normalize them first).
 */
export function slicesByOwner(
  slices: ReadonlyArray<EndpointSlice>,
  only?: ReadonlySet<string>,
  keyOf: (slice: EndpointSlice) => string | undefined = endpointSliceOwnerKey,
): Map<string, EndpointSlice[]> {
  const byOwner = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const key = keyOf(slice);
    if (key === undefined || (only !== undefined && !only.has(key))) continue;
    const list = byOwner.get(key);
    if (list === undefined) byOwner.set(key, [slice]);
    else list.push(slice);
  }
  return byOwner;
}

/** Read-only lookups over one translation's resources. */
export class ResourceIndex {
  private readonly namespaces: Map<string, Namespace>;
  private readonly services: ReadonlyMap<string, Service>;
  private readonly serviceImports: ReadonlyMap<string, ServiceImport>;
  private readonly backends: ReadonlyMap<string, Backend>;
  private readonly secrets: ReadonlyMap<string, Secret>;
  private readonly configMaps: ReadonlyMap<string, ConfigMap>;
  private readonly endpointSlices: ReadonlyMap<string, ReadonlyArray<EndpointSlice>>;
  readonly referenceGrants: ReadonlyArray<ReferenceGrant>;
  /** Whether the resources list any namespaces at all. */
  readonly hasNamespaces: boolean;

  constructor(
    readonly resources: Resources,
    /** Told which endpoints were built from which slices (the incremental translator's endpoint path). */
    readonly observer?: TranslationObserver,
  ) {
    const indexes = observer?.listIndexes;
    this.namespaces = new Map((resources.namespaces ?? []).map((ns) => [ns.metadata.name, ns]));
    this.hasNamespaces = this.namespaces.size > 0;
    this.services = byNamespacedName(resources.services ?? [], indexes);
    this.serviceImports = byNamespacedName(resources.serviceImports ?? [], indexes);
    this.backends = byNamespacedName(resources.backends ?? [], indexes);
    this.secrets = byNamespacedName(resources.secrets ?? [], indexes);
    this.configMaps = byNamespacedName(resources.configMaps ?? [], indexes);
    this.referenceGrants = resources.referenceGrants ?? [];
    this.endpointSlices = indexed(resources.endpointSlices ?? [], indexes, (slices) => slicesByOwner(slices));
  }

  namespace(name: string): Namespace | undefined {
    return this.namespaces.get(name);
  }
  service(namespace: string, name: string): Service | undefined {
    return this.services.get(`${namespace}/${name}`);
  }
  serviceImport(namespace: string, name: string): ServiceImport | undefined {
    return this.serviceImports.get(`${namespace}/${name}`);
  }
  backend(namespace: string, name: string): Backend | undefined {
    return this.backends.get(`${namespace}/${name}`);
  }
  secret(namespace: string, name: string): Secret | undefined {
    return this.secrets.get(`${namespace}/${name}`);
  }
  configMap(namespace: string, name: string): ConfigMap | undefined {
    return this.configMaps.get(`${namespace}/${name}`);
  }
  /** The EndpointSlices of a Service or ServiceImport, in input order. */
  endpointSlicesFor(kind: string, namespace: string, name: string): ReadonlyArray<EndpointSlice> {
    return this.endpointSlices.get(`${kind}/${namespace}/${name}`) ?? [];
  }
  /** The first Service in a namespace whose labels include all the given labels. */
  serviceByLabels(labels: Readonly<Record<string, string>>, namespace: string): Service | undefined {
    return (this.resources.services ?? []).find(
      (svc) => (svc.metadata.namespace ?? "") === namespace && Object.entries(labels).every(([k, v]) => svc.metadata.labels?.[k] === v),
    );
  }
}

/** The referring side of a cross-namespace reference. */
export interface ReferenceFrom {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
}

/** The referred side of a cross-namespace reference. */
export interface ReferenceTo {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** Whether a reference is same-namespace or allowed by a ReferenceGrant in the target namespace. */
export function isReferencePermitted(from: ReferenceFrom, to: ReferenceTo, grants: ReadonlyArray<ReferenceGrant>): boolean {
  if (from.namespace === to.namespace) return true;
  return grants.some(
    (grant) =>
      (grant.metadata.namespace ?? "") === to.namespace &&
      grant.spec.from.some((f) => f.namespace === from.namespace && f.group === from.group && f.kind === from.kind) &&
      grant.spec.to.some((t) => t.group === to.group && t.kind === to.kind && (t.name === undefined || t.name === "" || t.name === to.name)),
  );
}
