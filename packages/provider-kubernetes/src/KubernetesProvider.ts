import { createCoalescer, type LabelSelectorLike, labelSelectorMatches } from "@egts/api";
import type { KubeClient, KubeObject } from "./KubeClient.js";
import { defaultBackoff, startReflector, type Backoff, type ProviderLog, type Reflector } from "./Reflector.js";
import { envoyProxyLabelSelector, envoyWorkloadKinds, watchedKinds, type WatchedKind } from "./WatchedKinds.js";

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export type LabelSelector = LabelSelectorLike;
/** Whether `labels` satisfy `selector` (an empty selector matches everything): @egts/api's one implementation. */
export const selectorMatches = labelSelectorMatches;

/** Which namespaces are watched, as upstream's `provider.kubernetes.watch`. */
export interface WatchScope {
  /** Default: all namespaces. */
  readonly type?: "Namespaces" | "NamespaceSelector";
  readonly namespaces?: ReadonlyArray<string>;
  readonly namespaceSelector?: LabelSelector;
}

/** A kind an extension manager owns, watched as unstructured objects when the API server serves it. */
export interface ExtensionKindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** What the provider holds: every watched object in scope, the Envoy workloads it owns, and the kinds disabled. */
export interface ProviderSnapshot {
  /** Objects of the watched kinds (and extension kinds) in the watched namespaces. */
  readonly objects: ReadonlyArray<KubeObject>;
  /** Envoy Deployments, DaemonSets and Services in the controller namespace (for Gateway addresses and Programmed). */
  readonly envoyWorkloads: ReadonlyArray<KubeObject>;
  /** Optional kinds the API server does not serve (yet). */
  readonly disabledKinds: ReadonlyArray<string>;
}

/** Connection health: whether every watch is talking to the API server, and the last error if not. */
export interface ProviderHealth {
  readonly synced: boolean;
  readonly connected: boolean;
  readonly error?: string;
}

/** Options of {@link startKubernetesProvider}. */
export interface KubernetesProviderOptions {
  readonly client: KubeClient;
  /** Namespace of the controller: the Envoy workloads are read there. */
  readonly controllerNamespace: string;
  readonly watch?: WatchScope;
  readonly extensionKinds?: ReadonlyArray<ExtensionKindRef>;
  /** Called (coalesced) after changes once every enabled kind has synced. */
  readonly onChange: (snapshot: ProviderSnapshot) => void;
  readonly log?: ProviderLog;
  /**
   * A change after this much quiet is reported at once; changes closer together form a burst, reported once
   * more this long after its last change (and at most 10 times this long after its first). Default 10 ms.
   */
  readonly debounceMs?: number;
  /** Reconnect backoff of list/watch. */
  readonly backoff?: Backoff;
  /** Backoff of discovery retries for missing optional kinds. Default 1 s doubling up to 5 min. */
  readonly discoveryBackoff?: Backoff;
  /** The kinds to watch; default {@link watchedKinds}. */
  readonly kinds?: ReadonlyArray<WatchedKind>;
}

/** A running provider. */
export interface KubernetesProvider {
  /** Resolves once every enabled kind has been listed. */
  readonly synced: Promise<void>;
  snapshot(): ProviderSnapshot;
  health(): ProviderHealth;
  /** Stops every watch and retry. */
  close(): void;
}

/**
 * Starts the Kubernetes provider: looks up optional kinds through discovery, then lists and watches every
 * enabled kind in the watched namespaces (one reflector per kind, or per kind and namespace for
 * `watch.namespaces`), plus the Envoy workloads in the controller namespace. Missing optional kinds are
 * logged once and looked for again with backoff; a kind that appears later is watched from then on.
 */
export function startKubernetesProvider(options: KubernetesProviderOptions): KubernetesProvider {
  const { client } = options;
  const log = options.log ?? (() => undefined);
  const debounceMs = options.debounceMs ?? 10;
  const discoveryBackoff = options.discoveryBackoff ?? { initialMs: 1_000, maxMs: 300_000 };
  const scope = options.watch ?? {};
  const namespaceList = scope.type === "Namespaces" ? [...(scope.namespaces ?? [])] : undefined;
  const reflectors = new Map<string, Reflector[]>();
  const workloads: Reflector[] = [];
  const disabled = new Map<string, { readonly kind: WatchedKind | ExtensionKindRef; delay: number; timer?: NodeJS.Timeout }>();
  let closed = false;
  let resolveSynced!: () => void;
  const synced = new Promise<void>((r) => (resolveSynced = r));
  let isSynced = false;
  let discovering = true;

  const allReflectors = () => [...[...reflectors.values()].flat(), ...workloads];
  const checkSynced = (): boolean => {
    if (!isSynced && !discovering && allReflectors().every((r) => r.synced)) {
      isSynced = true;
      resolveSynced();
    }
    return isSynced;
  };
  // An isolated change is reported at once; a burst (a relist, a rollout) once more after it settles.
  const coalescer = createCoalescer({
    quietMs: debounceMs,
    maxDelayMs: debounceMs * 10,
    run: () => {
      if (!closed) options.onChange(snapshot());
    },
  });
  const changed = () => {
    if (closed || !checkSynced()) return;
    coalescer.trigger();
  };

  const namespaceAllowed = (): ((ns: string | undefined) => boolean) => {
    if (scope.type !== "NamespaceSelector" || scope.namespaceSelector === undefined) return () => true;
    const selector = scope.namespaceSelector;
    const allowed = new Set<string>();
    for (const r of reflectors.get("Namespace") ?? [])
      for (const ns of r.objects.values()) if (selectorMatches(selector, ns.metadata.labels ?? {})) allowed.add(ns.metadata.name);
    return (ns) => ns === undefined || allowed.has(ns);
  };

  const snapshot = (): ProviderSnapshot => {
    const allowed = namespaceAllowed();
    const objects: KubeObject[] = [];
    for (const list of reflectors.values())
      for (const r of list) for (const o of r.objects.values()) if (!r.scope.kind.namespaced || allowed(o.metadata.namespace)) objects.push(o);
    const envoyWorkloads = workloads.flatMap((r) => [...r.objects.values()]);
    return { objects, envoyWorkloads, disabledKinds: [...disabled.keys()].sort() };
  };

  const watchKind = (kind: WatchedKind) => {
    const reflectorOptions = { backoff: options.backoff ?? defaultBackoff, log };
    const scopes = kind.namespaced && namespaceList !== undefined ? namespaceList.map((namespace) => ({ kind, namespace })) : [{ kind }];
    reflectors.set(
      kind.kind,
      scopes.map((s) => startReflector(client, s, changed, reflectorOptions)),
    );
  };

  const kindKey = (k: { group: string; kind: string }) => `${k.kind}${k.group !== "" ? `.${k.group}` : ""}`;

  /** Resolves a kind through discovery: the kind to watch, or undefined when it is not served. */
  const resolve = async (k: WatchedKind | ExtensionKindRef, memo?: Map<string, ReturnType<KubeClient["discover"]>>): Promise<WatchedKind | undefined> => {
    const gv = `${k.group}/${k.version}`;
    let lookup = memo?.get(gv);
    if (lookup === undefined) {
      lookup = client.discover(k.group, k.version);
      memo?.set(gv, lookup);
      // A failed lookup is not remembered: the next attempt asks again.
      lookup.catch(() => memo?.delete(gv));
    }
    const served = await lookup;
    const found = served?.get(k.kind);
    if (!found) return undefined;
    if ("plural" in k) return k;
    return { ...k, plural: found.plural, namespaced: found.namespaced, optional: true, hasStatus: false };
  };

  const retryLater = (key: string) => {
    const entry = disabled.get(key);
    if (!entry || closed) return;
    entry.timer = setTimeout(() => {
      void resolve(entry.kind).then(
        (kind) => {
          if (closed) return;
          if (kind) {
            disabled.delete(key);
            log("info", "kind is now served; watching it", { kind: key });
            isSynced = false;
            watchKind(kind);
            changed();
          } else {
            entry.delay = Math.min(entry.delay * 2, discoveryBackoff.maxMs);
            retryLater(key);
          }
        },
        () => retryLater(key),
      );
    }, entry.delay);
  };

  const disable = (k: WatchedKind | ExtensionKindRef) => {
    const key = kindKey(k);
    log("info", "kind not served by the API server; disabled until it appears", {
      kind: key,
      apiVersion: k.group === "" ? k.version : `${k.group}/${k.version}`,
    });
    disabled.set(key, { kind: k, delay: discoveryBackoff.initialMs });
    retryLater(key);
  };

  const start = async () => {
    const candidates: Array<WatchedKind | ExtensionKindRef> = [...(options.kinds ?? watchedKinds), ...(options.extensionKinds ?? [])];
    let delay = discoveryBackoff.initialMs;
    const memo = new Map<string, ReturnType<KubeClient["discover"]>>();
    for (const k of candidates) {
      if ("optional" in k && !k.optional) {
        watchKind(k);
        continue;
      }
      for (;;) {
        try {
          const kind = await resolve(k, memo);
          if (closed) return;
          if (kind) watchKind(kind);
          else disable(k);
          break;
        } catch (error) {
          // The API server is unreachable: try the lookup again rather than disabling a kind that may exist.
          log("warn", "discovery failed; retrying", { kind: kindKey(k), error: error instanceof Error ? error.message : String(error) });
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, (options.backoff ?? defaultBackoff).maxMs);
          if (closed) return;
        }
      }
    }
    for (const kind of envoyWorkloadKinds)
      workloads.push(
        startReflector(client, { kind, namespace: options.controllerNamespace, labelSelector: envoyProxyLabelSelector }, changed, {
          backoff: options.backoff ?? defaultBackoff,
          log,
        }),
      );
    const serviceKind = (options.kinds ?? watchedKinds).find((k) => k.kind === "Service");
    if (serviceKind)
      workloads.push(
        startReflector(client, { kind: serviceKind, namespace: options.controllerNamespace, labelSelector: envoyProxyLabelSelector }, changed, {
          backoff: options.backoff ?? defaultBackoff,
          log,
        }),
      );
    discovering = false;
    changed();
  };
  void start();

  return {
    synced,
    snapshot,
    health() {
      const errors = allReflectors()
        .map((r) => r.lastError)
        .filter((e): e is string => e !== undefined);
      return { synced: isSynced, connected: errors.length === 0, ...(errors.length > 0 ? { error: errors[0]! } : {}) };
    },
    close() {
      closed = true;
      coalescer.close();
      for (const r of allReflectors()) r.stop();
      for (const d of disabled.values()) clearTimeout(d.timer);
    },
  };
}
