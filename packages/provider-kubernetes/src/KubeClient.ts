import { Agent } from "node:http";
import { KubeConfig, Watch } from "@kubernetes/client-node";
import fetch from "node-fetch";
import { apiVersionOf, type WatchedKind } from "./WatchedKinds.js";

/** A Kubernetes object as JSON (what the API server sends). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** An error answer of the API server (or a transport failure, with `code` 0: see {@link isTransportError}). */
export class KubeApiError extends Error {
  override readonly name = "KubeApiError";
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Whether an error means the API server could not be reached (rather than an answer). */
export const isTransportError = (error: unknown): boolean => error instanceof KubeApiError && error.code === 0;

/** One watch event. */
export interface WatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: KubeObject & { code?: number; message?: string };
}

/** An open watch; `stop` ends it without calling its `done`. */
export interface WatchHandle {
  stop(): void;
}

/** What discovery says about a kind. */
export interface DiscoveredKind {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Where a kind's objects live: the kind and, for namespaced kinds, one namespace or all. */
export interface Scope {
  readonly kind: WatchedKind;
  readonly namespace?: string;
  readonly labelSelector?: string;
}

/**
 * The API operations the provider needs, over `@kubernetes/client-node` (its KubeConfig for the server,
 * credentials and TLS, its Watch for streams). Objects stay plain JSON as the server sent them.
 */
export interface KubeClient {
  /** The kinds served under `group/version` (by kind), or undefined when the API server does not serve that group version. */
  discover(group: string, version: string): Promise<ReadonlyMap<string, DiscoveredKind> | undefined>;
  /** Lists a scope: the items and the list's resourceVersion. */
  list(scope: Scope): Promise<{ readonly items: KubeObject[]; readonly resourceVersion: string }>;
  /** Watches a scope from a resourceVersion (bookmarks asked for); `done` is called once when the stream ends. */
  watch(scope: Scope, resourceVersion: string, onEvent: (event: WatchEvent) => void, done: (error: unknown) => void): Promise<WatchHandle>;
  get(kind: WatchedKind, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  create(kind: WatchedKind, object: KubeObject): Promise<KubeObject>;
  /** PUT of the object (its resourceVersion is the precondition); `subresource` "status" writes `/status`. */
  replace(kind: WatchedKind, object: KubeObject, subresource?: "status"): Promise<KubeObject>;
  /** A JSON merge patch. */
  mergePatch(kind: WatchedKind, namespace: string | undefined, name: string, patch: unknown): Promise<KubeObject>;
}

/**
 * Loads client-node's configuration as upstream's controller does: in the cluster, the service account;
 * otherwise `KUBECONFIG` or ~/.kube/config.
 */
export function loadKubeConfig(options: { readonly kubeconfigText?: string } = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigText !== undefined) kc.loadFromString(options.kubeconfigText);
  else if (process.env["KUBERNETES_SERVICE_HOST"] !== undefined && process.env["KUBECONFIG"] === undefined) kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

/** The collection path of a scope (`/apis/g/v/namespaces/ns/plural`). */
export function collectionPath(kind: WatchedKind, namespace?: string): string {
  const base = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  return kind.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}` : `${base}/${kind.plural}`;
}

function objectPath(kind: WatchedKind, namespace: string | undefined, name: string, subresource?: string): string {
  return `${collectionPath(kind, kind.namespaced ? (namespace ?? "default") : undefined)}/${encodeURIComponent(name)}${subresource !== undefined ? `/${subresource}` : ""}`;
}

/** A {@link KubeClient} over client-node's KubeConfig. Requests time out after `timeoutMs` (default 30 s). */
export function createKubeClient(kc: KubeConfig, options: { readonly timeoutMs?: number } = {}): KubeClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const server = (): string => {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeApiError(0, "no current cluster in the Kubernetes configuration");
    return cluster.server.replace(/\/$/, "");
  };
  // client-node gives https servers their own agent; plain http (a local proxy, the test double) reuses connections too.
  const httpAgent = new Agent({ keepAlive: true, maxSockets: 16 });
  const request = async (method: string, path: string, body?: unknown, contentType = "application/json"): Promise<unknown> => {
    const init = await kc.applyToFetchOptions({});
    if (init.agent === undefined && server().startsWith("http:")) init.agent = httpAgent;
    const headers = {
      ...(init.headers as Record<string, string> | undefined),
      accept: "application/json",
      ...(body !== undefined ? { "content-type": contentType } : {}),
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(`${server()}${path}`, {
        ...init,
        method,
        headers,
        signal: controller.signal as never,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          // not a Status object: keep the text
        }
        throw new KubeApiError(response.status, `${method} ${path}: ${response.status} ${message}`.slice(0, 2000));
      }
      return text === "" ? undefined : JSON.parse(text);
    } catch (error) {
      if (error instanceof KubeApiError) throw error;
      throw new KubeApiError(0, `${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  };
  const typed = (kind: WatchedKind, o: KubeObject): KubeObject => {
    // Lists of built-in kinds leave apiVersion and kind out of their items.
    o.apiVersion ??= apiVersionOf(kind);
    o.kind ??= kind.kind;
    return o;
  };
  const watcher = new Watch(kc);
  return {
    async discover(group, version) {
      try {
        const list = (await request("GET", group === "" ? `/api/${version}` : `/apis/${group}/${version}`)) as {
          resources?: Array<{ kind: string; name: string; namespaced: boolean }>;
        };
        return new Map((list.resources ?? []).filter((r) => !r.name.includes("/")).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 404) return undefined;
        throw error;
      }
    },
    async list(scope) {
      const items: KubeObject[] = [];
      let resourceVersion = "";
      let next = "";
      do {
        const q = new URLSearchParams({ limit: "500" });
        if (scope.labelSelector !== undefined) q.set("labelSelector", scope.labelSelector);
        if (next !== "") q.set("continue", next);
        const page = (await request("GET", `${collectionPath(scope.kind, scope.namespace)}?${q}`)) as {
          items?: KubeObject[];
          metadata?: { resourceVersion?: string; continue?: string };
        };
        for (const item of page.items ?? []) items.push(typed(scope.kind, item));
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        next = page.metadata?.continue ?? "";
      } while (next !== "");
      return { items, resourceVersion };
    },
    async watch(scope, resourceVersion, onEvent, done) {
      let stopped = false;
      const params: Record<string, string> = { allowWatchBookmarks: "true", resourceVersion, timeoutSeconds: String(300 + Math.floor(Math.random() * 300)) };
      if (scope.labelSelector !== undefined) params["labelSelector"] = scope.labelSelector;
      const controller = await watcher.watch(
        collectionPath(scope.kind, scope.namespace),
        params,
        (type, object) => {
          if (!stopped) onEvent({ type: type as WatchEvent["type"], object: type === "ERROR" || type === "BOOKMARK" ? object : typed(scope.kind, object) });
        },
        (error) => {
          if (!stopped) {
            stopped = true;
            done(error);
          }
        },
      );
      return {
        stop() {
          stopped = true;
          controller.abort();
        },
      };
    },
    async get(kind, namespace, name) {
      try {
        return typed(kind, (await request("GET", objectPath(kind, namespace, name))) as KubeObject);
      } catch (error) {
        if (error instanceof KubeApiError && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(kind, object) {
      return typed(
        kind,
        (await request("POST", collectionPath(kind, kind.namespaced ? (object.metadata.namespace ?? "default") : undefined), object)) as KubeObject,
      );
    },
    async replace(kind, object, subresource) {
      return typed(kind, (await request("PUT", objectPath(kind, object.metadata.namespace, object.metadata.name, subresource), object)) as KubeObject);
    },
    async mergePatch(kind, namespace, name, patch) {
      return typed(kind, (await request("PATCH", objectPath(kind, namespace, name), patch, "application/merge-patch+json")) as KubeObject);
    },
  };
}
