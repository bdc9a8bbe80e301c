import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { BadRequest, matches, parseFieldSelector, parseLabelSelector, type Selector } from "./internal/selectors.js";
import { jsonPatch, mergePatch } from "./internal/patch.js";
import { allKinds, apiVersionOf, type ServedKind } from "./Kinds.js";

/** A stored object: any JSON object with Kubernetes metadata. */
export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Options of {@link TestApiServer}. */
export interface TestApiServerOptions {
  /** Kinds served from the start; default {@link allKinds}. */
  readonly kinds?: ReadonlyArray<ServedKind>;
  /** Watch events kept for resuming watches; older resourceVersions get `410 Gone`. Default 10,000. */
  readonly historyLimit?: number;
  /** How often open watches that asked for bookmarks get one, in ms. Default 1,000. */
  readonly bookmarkIntervalMs?: number;
  /** Whether creating an object in a namespace that does not exist fails with 404, as a real server does. Default true. */
  readonly requireNamespaces?: boolean;
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string;
}

/** A write the server refuses with 409 Conflict, injected by a test. */
export interface ConflictRule {
  /** How many matching writes to refuse. */
  remaining: number;
  readonly kind?: string;
  /** Only writes to this subresource (`status`) or to the main resource (`""`). */
  readonly subresource?: string;
}

interface HistoryEvent {
  readonly rv: number;
  readonly kindKey: string;
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: StoredObject;
  readonly previous?: StoredObject;
}

interface OpenWatch {
  readonly kindKey: string;
  readonly namespace?: string;
  readonly labels: Selector;
  readonly fields: Selector;
  readonly response: ServerResponse;
  readonly bookmarks: boolean;
  lastRv: number;
}

/** One request as the server saw it, for assertions. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const kindKeyOf = (k: ServedKind): string => `${k.group}/${k.plural}`;
const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ""}/${name}`;

/**
 * A Kubernetes API server TEST DOUBLE: an in-memory store behind real HTTP that speaks the subset of the API
 * `@kubernetes/client-node` and egts's Kubernetes provider use (discovery, list/watch with resourceVersion,
 * bookmarks and 410, get/create/update/merge- and JSON-patch/delete, the status subresource, optimistic
 * concurrency, label and field selectors, namespaces, Leases), plus fault injection for tests. It is not a
 * kube-apiserver: no admission, no validation against schemas, no authentication, no garbage collection.
 */
export class TestApiServer {
  private readonly kinds = new Map<string, ServedKind>();
  private readonly store = new Map<string, Map<string, StoredObject>>();
  private history: HistoryEvent[] = [];
  /** Watches asking for a resourceVersion before this one get 410 Gone. */
  private oldestResumableRv = 0;
  private rv = 1;
  private readonly watches = new Set<OpenWatch>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private boundPort = 0;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private readonly historyLimit: number;
  private readonly bookmarkIntervalMs: number;
  private readonly requireNamespaces: boolean;
  private readonly host: string;
  /** Writes to refuse with 409 (fault injection). */
  readonly conflicts: ConflictRule[] = [];
  /** Delay before every response, in ms (fault injection: a slow server). */
  latencyMs = 0;
  /** Every request served, in order. */
  readonly requests: RequestRecord[] = [];

  constructor(options: TestApiServerOptions = {}) {
    for (const k of options.kinds ?? allKinds) this.addKind(k);
    this.historyLimit = options.historyLimit ?? 10_000;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 1_000;
    this.requireNamespaces = options.requireNamespaces ?? true;
    this.host = options.host ?? "127.0.0.1";
  }

  /** `http://host:port` of the running server. */
  get url(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  /** The port bound (kept across {@link stop} and {@link start}). */
  get port(): number {
    return this.boundPort;
  }

  /** A kubeconfig (YAML) pointing at this server. */
  kubeconfig(): string {
    return [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: test-apiserver",
      "  cluster:",
      `    server: ${this.url}`,
      "    insecure-skip-tls-verify: true",
      "users:",
      "- name: test",
      "  user:",
      "    token: test-token",
      "contexts:",
      "- name: test",
      "  context:",
      "    cluster: test-apiserver",
      "    user: test",
      "    namespace: default",
      "current-context: test",
      "",
    ].join("\n");
  }

  /** Starts listening (on `port`, or the port of the previous start, or a free one). State is kept across restarts. */
  async start(port = this.boundPort): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, this.host, () => resolve());
    });
    const address = server.address();
    this.boundPort = typeof address === "object" && address !== null ? address.port : port;
    this.server = server;
    this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
    return this.url;
  }

  /** Stops listening and drops every connection (watches included), as a crashed API server would. State is kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    clearInterval(this.bookmarkTimer);
    this.watches.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Registers a kind (a CRD being installed); discovery lists it from now on. */
  addKind(k: ServedKind): void {
    this.kinds.set(kindKeyOf(k), k);
    if (!this.store.has(kindKeyOf(k))) this.store.set(kindKeyOf(k), new Map());
  }

  /** Unregisters a kind (a CRD being removed): its objects are gone and its open watches end. */
  removeKind(group: string, kindName: string): void {
    for (const [key, k] of this.kinds) {
      if (k.group !== group || k.kind !== kindName) continue;
      this.kinds.delete(key);
      this.store.delete(key);
      for (const w of [...this.watches]) if (w.kindKey === key) this.endWatch(w, true);
    }
  }

  /** Ends every open watch by dropping its connection (fault injection). */
  dropWatches(): void {
    for (const w of [...this.watches]) this.endWatch(w, true);
  }

  /** Forgets the watch history: every watch resuming from an earlier resourceVersion gets 410 Gone (fault injection). */
  compact(): void {
    this.history = [];
    this.oldestResumableRv = this.rv;
  }

  /** Refuses the next `count` matching writes with 409 Conflict (fault injection). */
  injectConflicts(count: number, match: { kind?: string; subresource?: string } = {}): void {
    this.conflicts.push({ remaining: count, ...match });
  }

  /** The current resourceVersion. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  /** Number of watch connections open now. */
  get openWatches(): number {
    return this.watches.size;
  }

  /** Reads an object directly from the store (a copy), or undefined. */
  get(kindName: string, namespace: string | undefined, name: string): StoredObject | undefined {
    const k = this.kindByName(kindName);
    const found = this.store.get(kindKeyOf(k))?.get(objectKey(k.namespaced ? namespace : undefined, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Lists the objects of a kind directly from the store (copies). */
  list(kindName: string, namespace?: string): StoredObject[] {
    const k = this.kindByName(kindName);
    return [...(this.store.get(kindKeyOf(k))?.values() ?? [])]
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .map((o) => structuredClone(o));
  }

  /** Creates or replaces an object directly (no preconditions, status taken as given), emitting the watch event. */
  put(object: StoredObject): StoredObject {
    const k = this.kindOfObject(object);
    const existing = this.store.get(kindKeyOf(k))?.get(objectKey(k.namespaced ? (object.metadata.namespace ?? "default") : undefined, object.metadata.name));
    const input = structuredClone(object);
    if (k.namespaced) input.metadata.namespace ??= "default";
    else delete input.metadata.namespace;
    if (existing) {
      input.metadata.resourceVersion = existing.metadata.resourceVersion!;
      return this.commitUpdate(k, existing, input);
    }
    return this.commitCreate(k, input);
  }

  /** Deletes an object directly, emitting the watch event (finalizers are ignored). Returns whether it existed. */
  remove(kindName: string, namespace: string | undefined, name: string): boolean {
    const k = this.kindByName(kindName);
    const existing = this.store.get(kindKeyOf(k))?.get(objectKey(k.namespaced ? namespace : undefined, name));
    if (!existing) return false;
    this.commitDelete(k, existing);
    return true;
  }

  private kindByName(kindName: string): ServedKind {
    const found = [...this.kinds.values()].find((k) => k.kind === kindName);
    if (!found) throw new Error(`test API server: kind ${kindName} is not served`);
    return found;
  }

  private kindOfObject(object: StoredObject): ServedKind {
    const found = [...this.kinds.values()].find((k) => k.kind === object.kind && (object.apiVersion === undefined || apiVersionOf(k) === object.apiVersion));
    if (!found) throw new Error(`test API server: kind ${object.apiVersion}/${object.kind} is not served`);
    return found;
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    res.on("finish", () => this.requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, status: res.statusCode }));
    try {
      const body = await readBody(req);
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      if (!this.server) {
        res.destroy();
        return;
      }
      this.route(req.method ?? "GET", url, req.headers["content-type"] ?? "", body, res);
    } catch (error) {
      if (error instanceof HttpError) this.sendStatus(res, error.code, error.reason, error.message);
      else if (error instanceof BadRequest) this.sendStatus(res, 400, "BadRequest", error.message);
      else this.sendStatus(res, 500, "InternalError", error instanceof Error ? error.message : String(error));
    }
  }

  private route(method: string, url: URL, contentType: string, body: string, res: ServerResponse): void {
    const parts = url.pathname.split("/").filter((p) => p !== "");
    if (method === "GET" && url.pathname === "/version")
      return this.sendJson(res, 200, { major: "1", minor: "32", gitVersion: "v1.32.0-egts-test-double", platform: "linux/amd64" });
    if (method === "GET" && (url.pathname === "/healthz" || url.pathname === "/readyz" || url.pathname === "/livez")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    // Discovery.
    if (method === "GET" && parts.length === 1 && parts[0] === "api")
      return this.sendJson(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (method === "GET" && parts.length === 1 && parts[0] === "apis") return this.sendJson(res, 200, this.groupList());
    if (method === "GET" && parts[0] === "api" && parts.length === 2) return this.sendJson(res, 200, this.resourceList("", parts[1]!));
    if (method === "GET" && parts[0] === "apis" && parts.length === 2) {
      const group = this.groupList().groups.find((g) => g.name === parts[1]);
      if (!group) throw new HttpError(404, "NotFound", `the server could not find the requested resource`);
      return this.sendJson(res, 200, { kind: "APIGroup", apiVersion: "v1", ...group });
    }
    if (method === "GET" && parts[0] === "apis" && parts.length === 3) return this.sendJson(res, 200, this.resourceList(parts[1]!, parts[2]!));
    // Resources: /api/v1/... or /apis/group/version/..., then [namespaces/ns/]plural[/name[/status]].
    let rest: string[];
    let group: string;
    let version: string;
    if (parts[0] === "api" && parts.length >= 3) {
      group = "";
      version = parts[1]!;
      rest = parts.slice(2);
    } else if (parts[0] === "apis" && parts.length >= 4) {
      group = parts[1]!;
      version = parts[2]!;
      rest = parts.slice(3);
    } else throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
    const k = [...this.kinds.values()].find((x) => x.group === group && x.version === version && x.plural === rest[0]);
    if (!k) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    if (!k.namespaced && namespace !== undefined) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    const name = rest[1];
    const subresource = rest[2] ?? "";
    if (rest.length > 3 || (subresource !== "" && subresource !== "status"))
      throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    if (subresource === "status" && !k.statusSubresource) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    const q = url.searchParams;
    if (name === undefined) {
      if (method === "GET" && (q.get("watch") === "true" || q.get("watch") === "1")) return this.watch(k, namespace, q, res);
      if (method === "GET") return this.sendJson(res, 200, this.listResponse(k, namespace, q));
      if (method === "POST") return this.sendJson(res, 201, this.create(k, namespace, parseJson(body)));
      throw new HttpError(405, "MethodNotAllowed", `${method} is not supported on a collection`);
    }
    const existing = this.store.get(kindKeyOf(k))!.get(objectKey(namespace, name));
    if (method === "GET") {
      if (!existing) throw notFound(k, name);
      return this.sendJson(res, 200, existing);
    }
    if (method === "DELETE") {
      if (!existing) throw notFound(k, name);
      this.takeConflict(k, subresource);
      return this.sendJson(res, 200, this.delete(k, existing));
    }
    if (method === "PUT") {
      const input = parseJson(body) as StoredObject;
      if (!existing) {
        if (subresource !== "") throw notFound(k, name);
        return this.sendJson(res, 201, this.create(k, namespace, input));
      }
      return this.sendJson(res, 200, this.update(k, existing, input, subresource));
    }
    if (method === "PATCH") {
      if (!existing) throw notFound(k, name);
      const patch = parseJson(body);
      let patched: unknown;
      if (contentType.startsWith("application/json-patch+json")) patched = jsonPatch(existing as never, patch);
      else if (contentType.startsWith("application/merge-patch+json") || contentType.startsWith("application/strategic-merge-patch+json")) {
        // Strategic merge patch is treated as a merge patch (no patch strategies are known here).
        patched = mergePatch(structuredClone(existing) as never, patch as never);
      } else throw new HttpError(415, "UnsupportedMediaType", `the body of the request was in an unknown format: ${contentType}`);
      const input = patched as StoredObject;
      // A patch that does not name a resourceVersion applies to the current one.
      const named = (patch as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
      if (typeof named !== "string" || !contentType.includes("merge-patch")) input.metadata.resourceVersion = existing.metadata.resourceVersion!;
      return this.sendJson(res, 200, this.update(k, existing, input, subresource));
    }
    throw new HttpError(405, "MethodNotAllowed", `${method} is not supported`);
  }

  private groupList() {
    const groups = new Map<string, string[]>();
    for (const k of this.kinds.values()) {
      if (k.group === "") continue;
      const versions = groups.get(k.group) ?? [];
      if (!versions.includes(k.version)) versions.push(k.version);
      groups.set(k.group, versions);
    }
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  private resourceList(group: string, version: string) {
    const served = [...this.kinds.values()].filter((k) => k.group === group && k.version === version);
    if (served.length === 0) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    const verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group === "" ? version : `${group}/${version}`,
      resources: served.flatMap((k) => [
        { name: k.plural, singularName: k.kind.toLowerCase(), namespaced: k.namespaced, kind: k.kind, verbs },
        ...(k.statusSubresource
          ? [{ name: `${k.plural}/status`, singularName: "", namespaced: k.namespaced, kind: k.kind, verbs: ["get", "patch", "update"] }]
          : []),
      ]),
    };
  }

  private selected(k: ServedKind, namespace: string | undefined, q: URLSearchParams): (o: StoredObject) => boolean {
    const labels = parseLabelSelector(q.get("labelSelector") ?? "");
    const fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    return (o) =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      matches(labels, o.metadata.labels ?? {}) &&
      matches(fields, { "metadata.name": o.metadata.name, "metadata.namespace": k.namespaced ? (o.metadata.namespace ?? "") : "" });
  }

  private listResponse(k: ServedKind, namespace: string | undefined, q: URLSearchParams) {
    const pick = this.selected(k, namespace, q);
    let items = [...this.store.get(kindKeyOf(k))!.values()].filter(pick);
    items.sort((a, b) => (objectKey(a.metadata.namespace, a.metadata.name) < objectKey(b.metadata.namespace, b.metadata.name) ? -1 : 1));
    const limit = Number(q.get("limit") ?? "0");
    const start = Number(q.get("continue") || "0");
    let next = "";
    if (limit > 0) {
      if (start + limit < items.length) next = String(start + limit);
      items = items.slice(start, start + limit);
    }
    return {
      kind: `${k.kind}List`,
      apiVersion: apiVersionOf(k),
      metadata: { resourceVersion: String(this.rv), ...(next !== "" ? { continue: next } : {}) },
      items,
    };
  }

  private watch(k: ServedKind, namespace: string | undefined, q: URLSearchParams, res: ServerResponse): void {
    const labels = parseLabelSelector(q.get("labelSelector") ?? "");
    const fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    const requested = q.get("resourceVersion") ?? "";
    const w: OpenWatch = {
      kindKey: kindKeyOf(k),
      labels,
      fields,
      response: res,
      bookmarks: q.get("allowWatchBookmarks") === "true",
      lastRv: this.rv,
      ...(namespace !== undefined ? { namespace } : {}),
    };
    res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
    res.flushHeaders();
    if (requested === "" || requested === "0") {
      // No resourceVersion: the current state as ADDED events, then changes.
      for (const o of this.store.get(w.kindKey)!.values()) if (this.visible(w, o)) writeEvent(res, "ADDED", o);
    } else {
      const from = Number(requested);
      if (!Number.isFinite(from) || from < this.oldestResumableRv) {
        writeEvent(res, "ERROR", {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: `too old resource version: ${requested} (${this.oldestResumableRv})`,
          reason: "Expired",
          code: 410,
        });
        res.end();
        return;
      }
      for (const e of this.history) if (e.rv > from && e.kindKey === w.kindKey) this.deliver(w, e);
    }
    this.watches.add(w);
    res.on("close", () => this.watches.delete(w));
    const timeout = Number(q.get("timeoutSeconds") ?? "0");
    if (timeout > 0) setTimeout(() => this.endWatch(w, false), timeout * 1000).unref();
  }

  private visible(w: OpenWatch, o: StoredObject): boolean {
    return (
      (w.namespace === undefined || o.metadata.namespace === w.namespace) &&
      matches(w.labels, o.metadata.labels ?? {}) &&
      matches(w.fields, { "metadata.name": o.metadata.name, "metadata.namespace": o.metadata.namespace ?? "" })
    );
  }

  private deliver(w: OpenWatch, e: HistoryEvent): void {
    const now = this.visible(w, e.object);
    const before = e.previous !== undefined && this.visible(w, e.previous);
    // An object entering or leaving a watch's selection is an ADDED or DELETED for that watch, as upstream does.
    if (e.type === "MODIFIED") {
      if (now && before) writeEvent(w.response, "MODIFIED", e.object);
      else if (now) writeEvent(w.response, "ADDED", e.object);
      else if (before) writeEvent(w.response, "DELETED", e.object);
    } else if (now) writeEvent(w.response, e.type, e.object);
    w.lastRv = e.rv;
  }

  private endWatch(w: OpenWatch, drop: boolean): void {
    this.watches.delete(w);
    if (drop) w.response.destroy();
    else w.response.end();
  }

  private sendBookmarks(): void {
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const k = this.kinds.get(w.kindKey);
      if (!k) continue;
      writeEvent(w.response, "BOOKMARK", { kind: k.kind, apiVersion: apiVersionOf(k), metadata: { resourceVersion: String(this.rv) } });
    }
  }

  // ---- store operations ----

  private takeConflict(k: ServedKind, subresource: string): void {
    const rule = this.conflicts.find(
      (r) => r.remaining > 0 && (r.kind === undefined || r.kind === k.kind) && (r.subresource === undefined || r.subresource === subresource),
    );
    if (!rule) return;
    rule.remaining--;
    throw new HttpError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${k.plural}: the object has been modified; please apply your changes to the latest version and try again`,
    );
  }

  private create(k: ServedKind, namespace: string | undefined, input: unknown): StoredObject {
    const o = input as StoredObject;
    if (typeof o !== "object" || o === null || typeof o.metadata?.name !== "string" || o.metadata.name === "") {
      throw new HttpError(422, "Invalid", `${k.kind} is invalid: metadata.name: Required value`);
    }
    if (o.metadata.namespace !== undefined && namespace !== undefined && o.metadata.namespace !== namespace) {
      throw new HttpError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    }
    if (k.namespaced && namespace === undefined) throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    this.takeConflict(k, "");
    const created = structuredClone(o);
    if (k.namespaced) created.metadata.namespace = namespace!;
    if (this.requireNamespaces && k.namespaced && !this.store.get("/namespaces")?.has(objectKey(undefined, namespace!))) {
      throw new HttpError(404, "NotFound", `namespaces "${namespace}" not found`);
    }
    if (this.store.get(kindKeyOf(k))!.has(objectKey(created.metadata.namespace, created.metadata.name))) {
      throw new HttpError(409, "AlreadyExists", `${k.plural} "${created.metadata.name}" already exists`);
    }
    if (k.statusSubresource) delete created["status"];
    return this.commitCreate(k, created);
  }

  private commitCreate(k: ServedKind, o: StoredObject): StoredObject {
    o.apiVersion = apiVersionOf(k);
    o.kind = k.kind;
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    o.metadata.generation = 1;
    o.metadata.resourceVersion = String(++this.rv);
    delete o.metadata.deletionTimestamp;
    this.store.get(kindKeyOf(k))!.set(objectKey(o.metadata.namespace, o.metadata.name), o);
    this.record({ rv: this.rv, kindKey: kindKeyOf(k), type: "ADDED", object: o });
    return o;
  }

  private update(k: ServedKind, existing: StoredObject, input: StoredObject, subresource: string): StoredObject {
    if (typeof input !== "object" || input === null || typeof input.metadata !== "object")
      throw new HttpError(400, "BadRequest", "the body is not an object with metadata");
    if (input.metadata.name !== undefined && input.metadata.name !== existing.metadata.name)
      throw new HttpError(400, "BadRequest", "the name of the object does not match the name on the URL");
    const sent = input.metadata.resourceVersion;
    if (sent !== undefined && sent !== "" && sent !== existing.metadata.resourceVersion) {
      throw new HttpError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${k.plural} "${existing.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    this.takeConflict(k, subresource);
    let next: StoredObject;
    if (subresource === "status") {
      // Only status changes through /status.
      next = structuredClone(existing);
      if (input["status"] === undefined) delete next["status"];
      else next["status"] = structuredClone(input["status"]);
    } else {
      next = structuredClone(input);
      next.metadata = {
        ...structuredClone(input.metadata),
        name: existing.metadata.name,
        uid: existing.metadata.uid!,
        creationTimestamp: existing.metadata.creationTimestamp!,
      };
      if (existing.metadata.namespace !== undefined) next.metadata.namespace = existing.metadata.namespace;
      if (existing.metadata.deletionTimestamp !== undefined) next.metadata.deletionTimestamp = existing.metadata.deletionTimestamp;
      // Kinds with a status subresource ignore status on the main resource.
      if (k.statusSubresource) {
        if (existing["status"] === undefined) delete next["status"];
        else next["status"] = structuredClone(existing["status"]);
      }
    }
    return this.commitUpdate(k, existing, next);
  }

  private commitUpdate(k: ServedKind, existing: StoredObject, next: StoredObject): StoredObject {
    next.apiVersion = apiVersionOf(k);
    next.kind = k.kind;
    next.metadata.uid = existing.metadata.uid!;
    next.metadata.creationTimestamp = existing.metadata.creationTimestamp!;
    const specChanged = JSON.stringify(withoutMeta(existing, k)) !== JSON.stringify(withoutMeta(next, k));
    next.metadata.generation = (existing.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    if (
      JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: "" } }) ===
      JSON.stringify({ ...existing, metadata: { ...existing.metadata, resourceVersion: "" } })
    ) {
      return existing; // a no-op write changes nothing, not even the resourceVersion
    }
    if (next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers ?? []).length === 0) {
      this.commitDelete(k, existing);
      return next;
    }
    next.metadata.resourceVersion = String(++this.rv);
    this.store.get(kindKeyOf(k))!.set(objectKey(next.metadata.namespace, next.metadata.name), next);
    this.record({ rv: this.rv, kindKey: kindKeyOf(k), type: "MODIFIED", object: next, previous: existing });
    return next;
  }

  private delete(k: ServedKind, existing: StoredObject): StoredObject {
    if ((existing.metadata.finalizers ?? []).length > 0) {
      if (existing.metadata.deletionTimestamp !== undefined) return existing;
      const next = structuredClone(existing);
      next.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      return this.commitUpdate(k, existing, next);
    }
    return this.commitDelete(k, existing);
  }

  private commitDelete(k: ServedKind, existing: StoredObject): StoredObject {
    this.store.get(kindKeyOf(k))!.delete(objectKey(existing.metadata.namespace, existing.metadata.name));
    const gone = structuredClone(existing);
    gone.metadata.resourceVersion = String(++this.rv);
    this.record({ rv: this.rv, kindKey: kindKeyOf(k), type: "DELETED", object: gone });
    return gone;
  }

  private record(e: HistoryEvent): void {
    this.history.push(e);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.oldestResumableRv = dropped[dropped.length - 1]!.rv;
    }
    for (const w of this.watches) if (w.kindKey === e.kindKey) this.deliver(w, e);
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.sendJson(res, code, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code });
  }
}

function withoutMeta(o: StoredObject, k: ServedKind): unknown {
  const { metadata: _m, status, ...rest } = o;
  return k.statusSubresource ? rest : { ...rest, status };
}

function writeEvent(res: ServerResponse, type: string, object: unknown): void {
  if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
}

function notFound(k: ServedKind, name: string): HttpError {
  return new HttpError(404, "NotFound", `${k.plural}${k.group !== "" ? `.${k.group}` : ""} "${name}" not found`);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new BadRequest("the request body is not JSON");
  }
}

const maxBody = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBody) {
        reject(new HttpError(413, "RequestEntityTooLarge", "request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
