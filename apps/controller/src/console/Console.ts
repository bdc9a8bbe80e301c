// The admin console: HTML pages rendered on the server from the admin API's own JSON documents (fetched over
// loopback from the server handling the request), plus the last ACK per proxy and type, which ConsoleState keeps.
import type { IncomingMessage, ServerResponse } from "node:http";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { XdsServing } from "../Services.js";
import { CONSOLE_PAGES, escapeHtml, jsonBlock, page, table } from "./Html.js";

/** The last version a proxy accepted for one xDS type. */
export interface LastAck {
  readonly nodeId: string;
  readonly cluster: string;
  readonly typeUrl: string;
  readonly version: string;
  readonly time: string;
}

/** What the console remembers beyond the admin API: the last ACK per (node, type). */
export class ConsoleState extends Context.Service<ConsoleState, { readonly lastAcks: () => ReadonlyArray<LastAck> }>()("@egts/controller/ConsoleState") {}

/** Tracks ACKs from the xDS server for the console's proxies page, for the lifetime of the scope. */
export const ConsoleStateLive = Layer.effect(
  ConsoleState,
  Effect.gen(function* () {
    const xds = yield* XdsServing;
    const acks = new Map<string, LastAck>();
    yield* Effect.acquireRelease(
      Effect.sync(() =>
        xds.server.onAckNack((event) => {
          if (event.kind !== "ack") return;
          acks.set(`${event.nodeId}\u0000${event.typeUrl}`, {
            nodeId: event.nodeId,
            cluster: event.cluster,
            typeUrl: event.typeUrl,
            version: event.version,
            time: new Date().toISOString(),
          });
        }),
      ),
      (unsubscribe) => Effect.sync(unsubscribe),
    );
    return { lastAcks: () => [...acks.values()].sort((a, b) => (a.nodeId === b.nodeId ? (a.typeUrl < b.typeUrl ? -1 : 1) : a.nodeId < b.nodeId ? -1 : 1)) };
  }),
);

/** Whether a path is one of the console's pages. */
export const isConsolePath = (path: string): boolean => CONSOLE_PAGES.some((p) => p.path === path);

type Json = Record<string, unknown>;
type Get = (path: string) => Promise<unknown>;

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

/** Every condition of every resource in /api/status, with where it sits (a parent ref, an ancestor, a listener). */
export function conditionRows(status: Json): Array<{ kind: string; name: string; gatewayClass: string; where: string; condition: Condition }> {
  const rows: Array<{ kind: string; name: string; gatewayClass: string; where: string; condition: Condition }> = [];
  const classes = (status["gatewayClasses"] ?? {}) as Record<string, { resources?: Array<{ kind: string; namespace?: string; name: string; status?: Json }> }>;
  for (const [gatewayClass, result] of Object.entries(classes)) {
    for (const r of result.resources ?? []) {
      const name = r.namespace ? `${r.namespace}/${r.name}` : r.name;
      const push = (where: string, conditions: unknown) => {
        for (const c of (Array.isArray(conditions) ? conditions : []) as Condition[]) rows.push({ kind: r.kind, name, gatewayClass, where, condition: c });
      };
      const s = r.status ?? {};
      push("", s["conditions"]);
      for (const [i, p] of ((s["parents"] ?? []) as Json[]).entries()) push(`parent ${refName(p["parentRef"]) ?? i}`, p["conditions"]);
      for (const [i, a] of ((s["ancestors"] ?? []) as Json[]).entries()) push(`ancestor ${refName(a["ancestorRef"]) ?? i}`, a["conditions"]);
      for (const l of (s["listeners"] ?? []) as Json[]) push(`listener ${String(l["name"])}`, l["conditions"]);
    }
  }
  return rows;
}

const refName = (ref: unknown): string | undefined => {
  if (typeof ref !== "object" || ref === null) return undefined;
  const r = ref as Json;
  return `${r["kind"] ?? "Gateway"} ${r["namespace"] ? `${String(r["namespace"])}/` : ""}${String(r["name"])}${r["sectionName"] ? `/${String(r["sectionName"])}` : ""}`;
};

/** A condition is failing when it reports a problem: False for positive types, True for negative polarity ones. */
export function isFailing(c: Condition): boolean {
  const negative = c.type === "Conflicted" || c.type === "Degraded" || c.type === "Overridden";
  return negative ? c.status === "True" : c.status === "False";
}

function conditionsTable(status: Json, onlyFailing: boolean): string {
  const rows = conditionRows(status)
    .filter((r) => !onlyFailing || isFailing(r.condition))
    .sort((a, b) => Number(isFailing(b.condition)) - Number(isFailing(a.condition)));
  return table(
    ["Kind", "Name", "Where", "Type", "Status", "Reason", "Message"],
    rows.map((r) => ({
      rowClass: isFailing(r.condition) ? "fail" : "ok",
      cells: [r.kind, r.name, r.where, r.condition.type ?? "", r.condition.status ?? "", r.condition.reason ?? "", r.condition.message ?? ""].map(escapeHtml),
    })),
    onlyFailing ? "no failing conditions" : "no resources",
  );
}

function nacksTable(nacks: Json[]): string {
  return table(
    ["Proxy (node)", "Cluster", "Type", "Rejected version", "Resources", "Error", "Time"],
    nacks.map((n) => ({
      rowClass: "fail",
      cells: [n["nodeId"], n["cluster"], n["typeUrl"], n["rejectedVersion"], ((n["resourceNames"] ?? []) as string[]).join(", "), n["message"], n["time"]].map(
        escapeHtml,
      ),
    })),
    "no standing NACKs",
  );
}

function errorsSection(status: Json): string {
  const items: string[] = [];
  for (const [gc, r] of Object.entries((status["gatewayClasses"] ?? {}) as Record<string, { errors?: string[] }>))
    for (const e of r.errors ?? []) items.push(`<li>GatewayClass ${escapeHtml(gc)}: ${escapeHtml(e)}</li>`);
  for (const [key, r] of Object.entries((status["xds"] ?? {}) as Record<string, { errors?: string[] }>))
    for (const e of r.errors ?? []) items.push(`<li>xDS ${escapeHtml(key)}: ${escapeHtml(e)}</li>`);
  const provider = (status["provider"] ?? {}) as { problems?: Array<{ text?: string }> };
  for (const p of provider.problems ?? []) items.push(`<li>provider: ${escapeHtml(p.text ?? JSON.stringify(p))}</li>`);
  return items.length === 0 ? `<p class="muted">no translation errors</p>` : `<ul class="bad">${items.join("\n")}</ul>`;
}

function proxiesSection(proxies: Json, acks: ReadonlyArray<LastAck>): string {
  const processes = ((proxies["proxies"] ?? []) as Json[]).map((p) => ({
    rowClass: p["running"] === true ? "ok" : "fail",
    cells: [
      p["irKey"],
      p["serviceNode"],
      p["running"] === true ? "running" : "not running",
      p["pid"] ?? "",
      p["starts"] ?? "",
      p["lastError"] ?? p["error"] ?? "",
    ].map(escapeHtml),
  }));
  return `<h2>Proxies run on this host</h2>${table(["IR key", "Node", "State", "PID", "Starts", "Last error"], processes, "no proxy processes")}
<h2>Last ACKed versions</h2>${table(
    ["Proxy (node)", "Cluster", "Type", "Version", "Time"],
    acks.map((a) => ({ cells: [a.nodeId, a.cluster, a.typeUrl, a.version, a.time].map(escapeHtml) })),
    "no ACK received yet",
  )}`;
}

async function render(path: string, query: URLSearchParams, get: Get, acks: ReadonlyArray<LastAck>): Promise<string> {
  const title = CONSOLE_PAGES.find((p) => p.path === path)!.title;
  switch (path) {
    case "/": {
      const [info, status, nacks] = (await Promise.all([get("/api/server_info"), get("/api/status"), get("/api/nacks")])) as [Json, Json, { nacks: Json[] }];
      const failing = conditionRows(status).filter((r) => isFailing(r.condition)).length;
      return page(
        path,
        title,
        `<p>State: <b>${escapeHtml(info["state"])}</b> · version ${escapeHtml(info["version"])} · uptime ${escapeHtml(info["uptime"])}</p>
<p><span class="${failing > 0 ? "bad" : "good"}">${failing} failing condition${failing === 1 ? "" : "s"}</span> · <span class="${nacks.nacks.length > 0 ? "bad" : "good"}">${nacks.nacks.length} standing NACK${nacks.nacks.length === 1 ? "" : "s"}</span></p>
<h2>Failing conditions</h2>${conditionsTable(status, true)}
<h2>Standing NACKs</h2>${nacksTable(nacks.nacks)}
<h2>Last translation errors</h2>${errorsSection(status)}`,
      );
    }
    case "/console/server": {
      const [info, serverInfo] = (await Promise.all([get("/api/info"), get("/api/server_info")])) as [Json, Json];
      const components = ((serverInfo["components"] ?? []) as Json[]).map((c) => ({ cells: [c["name"], c["status"], c["message"]].map(escapeHtml) }));
      const facts = Object.entries(info).map(([k, v]) => ({ cells: [escapeHtml(k), escapeHtml(v)] }));
      return page(path, title, `${table(["Field", "Value"], facts)}<h2>Components</h2>${table(["Component", "Status", "Role"], components)}`);
    }
    case "/console/config": {
      const serverInfo = (await get("/api/server_info")) as Json;
      return page(path, title, `<p class="muted">The EnvoyGateway configuration in effect.</p>${jsonBlock(serverInfo["envoyGatewayConfig"])}`);
    }
    case "/console/resources": {
      const kind = query.get("kind") ?? "all";
      const dump = (await get(`/api/config_dump?resource=${encodeURIComponent(kind)}`)) as Json;
      const kinds = ["all", ...Object.keys(dump).filter((k) => k !== "timestamp" && Array.isArray(dump[k]))];
      const links = kinds.map((k) => `<a href="/console/resources?kind=${encodeURIComponent(k)}">${escapeHtml(k)}</a>`).join(" · ");
      return page(path, title, `<p>${links}</p>${jsonBlock(dump)}`);
    }
    case "/console/status": {
      const status = (await get("/api/status")) as Json;
      return page(
        path,
        title,
        `<p class="muted">Every resource's conditions, failing ones first.</p>${conditionsTable(status, false)}<h2>Last translation errors</h2>${errorsSection(status)}`,
      );
    }
    case "/console/xds": {
      const [nacks, proxies] = (await Promise.all([get("/api/nacks"), get("/api/proxies")])) as [{ nacks: Json[] }, Json];
      return page(path, title, `<h2>Standing NACKs</h2>${nacksTable(nacks.nacks)}${proxiesSection(proxies, acks)}`);
    }
    case "/console/config_dump": {
      const key = query.get("key");
      const all = (await get("/api/config_dump")) as { xds: Record<string, unknown> };
      const keys = Object.keys(all.xds).sort();
      const links = keys.map((k) => `<a href="/console/config_dump?key=${encodeURIComponent(k)}">${escapeHtml(k)}</a>`).join(" · ");
      const shown =
        key !== null && key in all.xds ? jsonBlock(all.xds[key]) : `<p class="muted">${key === null ? "choose an IR key" : `no IR key ${escapeHtml(key)}`}</p>`;
      return page(path, title, `<p>IR keys: ${links || '<span class="muted">none</span>'}</p>${shown}`);
    }
    case "/console/stats": {
      const metrics = String(await get("/metrics"));
      return page(path, title, `<pre>${escapeHtml(metrics)}</pre>`);
    }
    default:
      throw new Error(`no console page ${path}`);
  }
}

/**
 * Serves one console page. Data comes from the admin API on the same server (the request's local address),
 * so the pages show exactly what the API serves.
 */
export function serveConsole(req: IncomingMessage, res: ServerResponse, url: URL, state: { readonly lastAcks: () => ReadonlyArray<LastAck> }): void {
  const host = req.socket.localAddress ?? "127.0.0.1";
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${req.socket.localPort}`;
  const get: Get = async (path) => {
    const r = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = await r.text();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${body.trim()}`);
    return path === "/metrics" ? body : (JSON.parse(body) as unknown);
  };
  render(url.pathname, url.searchParams, get, state.lastAcks()).then(
    (html) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(req.method === "HEAD" ? undefined : html),
    (error: unknown) =>
      res
        .writeHead(500, { "content-type": "text/html; charset=utf-8" })
        .end(page(url.pathname, "Error", `<p class="bad">${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`)),
  );
}
