// ListenerSets: extra listeners attached to a parent Gateway (upstream listenerset.go).
import type { ListenerSet } from "@egts/api";
import { condition, setCondition, type StatusCondition } from "./Conditions.js";
import type { ResourceIndex } from "./Index.js";
import { selectorMatches } from "./Listeners.js";
import type { GatewayContext, ListenerContext, ListenerSetContext } from "./Model.js";

/** The ListenerSets of a translation with the status each accumulated. */
export interface ListenerSetResult {
  readonly contexts: ReadonlyArray<{
    readonly listenerSet: ListenerSet;
    readonly ctx: ListenerSetContext | undefined;
    readonly status: ListenerSetContext["status"];
  }>;
  json(): unknown[];
}

function isAllowed(g: GatewayContext, ls: ListenerSet, index: ResourceIndex): boolean {
  const ns = g.gateway.spec.allowedListeners?.namespaces;
  switch (ns?.from) {
    case "All":
      return true;
    case "Same":
      return g.namespace === (ls.metadata.namespace ?? "");
    case "Selector": {
      if (ns.selector === undefined) return false;
      const namespace = index.namespace(ls.metadata.namespace ?? "");
      return namespace !== undefined && selectorMatches(ns.selector, namespace.metadata.labels ?? {});
    }
    default:
      return false;
  }
}

/** Attaches each ListenerSet's listeners to its parent Gateway, or records why it cannot attach. */
export function processListenerSets(
  listenerSets: ReadonlyArray<ListenerSet>,
  gateways: ReadonlyArray<GatewayContext>,
  index: ResourceIndex,
): ListenerSetResult {
  const byName = new Map(gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
  const contexts = listenerSets.map((ls) => {
    const status: ListenerSetContext["status"] = {
      conditions: ((ls.status?.conditions ?? []) as StatusCondition[]).map((c) => ({ ...c })),
      listeners: [],
    };
    const parentNs = ls.spec.parentRef.namespace ?? ls.metadata.namespace ?? "";
    const g = byName.get(`${parentNs}/${ls.spec.parentRef.name}`);
    if (g === undefined) return { listenerSet: ls, ctx: undefined, status, touched: false };
    const gen = ls.metadata.generation;
    const set = (type: string, ok: boolean, reason: string, message: string): void =>
      setCondition(status.conditions, condition(type, ok ? "True" : "False", reason, message, gen));
    if (g.status.conditions.some((c) => c.type === "Accepted" && c.status === "False")) {
      set("Accepted", false, "ParentNotAccepted", `Parent Gateway ${parentNs}/${ls.spec.parentRef.name} not accepted`);
      set("Programmed", false, "Programmed", "Not Programmed");
      return { listenerSet: ls, ctx: undefined, status, touched: true };
    }
    if (!isAllowed(g, ls, index)) {
      set(
        "Accepted",
        false,
        "NotAllowed",
        `ListenerSet attachment from namespace ${ls.metadata.namespace ?? ""} not allowed by Gateway ${g.namespace}/${g.name}`,
      );
      set("Programmed", false, "NotAllowed", "Not Programmed");
      return { listenerSet: ls, ctx: undefined, status, touched: true };
    }
    const ctx: ListenerSetContext = { listenerSet: ls, status };
    for (const entry of ls.spec.listeners) {
      const lStatus = { name: entry.name, supportedKinds: [], attachedRoutes: 0, conditions: [] };
      status.listeners.push(lStatus);
      const listener = { ...entry } as unknown as ListenerContext["listener"];
      g.listeners.push({ listener, gateway: g, listenerSet: ctx, status: lStatus, specValid: false, protocolConflicted: false, certDNSNames: [] });
    }
    return { listenerSet: ls, ctx, status, touched: true };
  });
  return {
    contexts,
    json: () =>
      contexts.map((c) => (c.touched || c.status.conditions.length > 0 ? { ...c.listenerSet, status: listenerSetStatusJson(c.status) } : c.listenerSet)),
  };
}

function listenerSetStatusJson(status: ListenerSetContext["status"]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (status.conditions.length > 0) out["conditions"] = status.conditions;
  if (status.listeners.length > 0) out["listeners"] = status.listeners;
  return out;
}

/** Sets each attached ListenerSet's Accepted/Programmed from its listeners and counts it on the Gateway. */
export function processListenerSetStatus(result: ListenerSetResult, gateways: ReadonlyArray<GatewayContext>): void {
  const byName = new Map(gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
  for (const { listenerSet: ls, status } of result.contexts) {
    if (status.conditions.some((c) => c.type === "Accepted" && c.status === "False")) continue;
    const parentNs = ls.spec.parentRef.namespace ?? ls.metadata.namespace ?? "";
    const g = byName.get(`${parentNs}/${ls.spec.parentRef.name}`);
    if (g === undefined) continue;
    const has = (l: { conditions: StatusCondition[] }, type: string): boolean => l.conditions.some((c) => c.type === type && c.status === "True");
    const allAccepted = status.listeners.every((l) => has(l, "Accepted"));
    const anyAccepted = status.listeners.some((l) => has(l, "Accepted"));
    const allProgrammed = status.listeners.every((l) => has(l, "Programmed"));
    const anyProgrammed = status.listeners.some((l) => has(l, "Programmed"));
    const gen = ls.metadata.generation;
    const accepted = allAccepted || anyAccepted;
    setCondition(
      status.conditions,
      condition(
        "Accepted",
        accepted ? "True" : "False",
        allAccepted ? "Accepted" : "ListenersNotValid",
        allAccepted ? "All listeners are accepted" : anyAccepted ? "Some listeners are invalid" : "No listeners are accepted",
        gen,
      ),
    );
    setCondition(
      status.conditions,
      condition(
        "Programmed",
        allProgrammed || anyProgrammed ? "True" : "False",
        allProgrammed || anyProgrammed ? "Programmed" : "ListenersNotValid",
        allProgrammed ? "All listeners are programmed" : anyProgrammed ? "Some listeners are not programmed" : "No listeners are programmed",
        gen,
      ),
    );
    if (accepted) g.status.attachedListenerSets = (g.status.attachedListenerSets ?? 0) + 1;
  }
}
