import type { KubeObject } from "./KubeClient.js";

/** A status the translator reported for one object. */
export interface ReportedStatus {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: unknown;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** `kind/namespace/name` of a reported status. */
export const statusKey = (s: { kind: string; namespace?: string | undefined; name: string }): string => `${s.kind}/${s.namespace ?? ""}/${s.name}`;

/**
 * Merges the statuses of every GatewayClass's translation into one per object, as upstream's runner does: a
 * route's `parents` and a policy's `ancestors` are the union over the classes (each class reports its own
 * Gateways); any other status is the one reported last.
 */
export function aggregateStatuses(perClass: Iterable<ReadonlyArray<ReportedStatus>>): ReportedStatus[] {
  const out = new Map<string, ReportedStatus>();
  for (const list of perClass) {
    for (const s of list) {
      const key = statusKey(s);
      const previous = out.get(key);
      if (previous === undefined || !isRecord(previous.status) || !isRecord(s.status)) {
        out.set(key, s);
        continue;
      }
      const merged: Json = { ...previous.status, ...s.status };
      for (const field of ["parents", "ancestors"]) {
        const a = previous.status[field];
        const b = s.status[field];
        if (Array.isArray(a) && Array.isArray(b)) merged[field] = [...a, ...b.filter((x) => !a.some((y) => JSON.stringify(y) === JSON.stringify(x)))];
      }
      out.set(key, { ...s, status: merged });
    }
  }
  return [...out.values()];
}

/** Drops every `lastTransitionTime`: two statuses that differ only there are the same status. */
export function withoutTransitionTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTransitionTimes);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) if (k !== "lastTransitionTime") out[k] = withoutTransitionTimes(v);
  return out;
}

/** Structural equality of two JSON values, key order ignored. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Whether two statuses differ in anything but `lastTransitionTime` (upstream's isStatusEqual). */
export function statusChanged(current: unknown, desired: unknown): boolean {
  return !jsonEqual(withoutTransitionTimes(current ?? {}), withoutTransitionTimes(desired ?? {}));
}

function parentRefEqual(a: unknown, b: unknown, routeNamespace: string): boolean {
  if (!isRecord(a) || !isRecord(b)) return false;
  const norm = (r: Json) => ({
    group: r["group"] ?? "gateway.networking.k8s.io",
    kind: r["kind"] ?? "Gateway",
    namespace: r["namespace"] ?? routeNamespace,
    name: r["name"],
    sectionName: r["sectionName"] ?? "",
    port: r["port"] ?? 0,
  });
  return jsonEqual(norm(a), norm(b));
}

/**
 * A route's parent statuses after this write, as upstream's mergeRouteParentStatus: every existing parent
 * (any controller's) is kept in place, replaced by the new status for the same parentRef; new parents are
 * appended.
 */
export function mergeRouteParents(routeNamespace: string, existing: ReadonlyArray<unknown>, reported: ReadonlyArray<unknown>): unknown[] {
  const ref = (p: unknown) => (isRecord(p) ? p["parentRef"] : undefined);
  const merged: unknown[] = existing.map((old) => reported.find((n) => parentRefEqual(ref(old), ref(n), routeNamespace)) ?? old);
  for (const n of reported) if (!merged.some((m) => parentRefEqual(ref(m), ref(n), routeNamespace))) merged.push(n);
  return merged;
}

const routeKinds = new Set(["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"]);

/** The status to write on `current` for a reported status (route parents merged with the object's own). */
export function desiredStatus(current: KubeObject, reported: ReportedStatus): unknown {
  if (routeKinds.has(reported.kind) && isRecord(reported.status)) {
    const existing = isRecord(current["status"]) && Array.isArray(current["status"]["parents"]) ? current["status"]["parents"] : [];
    const parents = Array.isArray(reported.status["parents"]) ? reported.status["parents"] : [];
    return { ...reported.status, parents: mergeRouteParents(current.metadata.namespace ?? "default", existing, parents) };
  }
  return reported.status;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/** Replaces the condition of the same type, keeping its transition time when its status did not change. */
function mergeCondition(conditions: ReadonlyArray<Condition>, next: Condition): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const merged: Condition =
    old !== undefined && old.status === next.status && old.lastTransitionTime !== undefined ? { ...next, lastTransitionTime: old.lastTransitionTime } : next;
  return old ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

/** Labels upstream's infrastructure puts on a Gateway's Envoy objects. */
export function ownerLabels(gateway: KubeObject, mergedGateways: boolean): Record<string, string> {
  const spec = gateway["spec"] as { gatewayClassName?: string } | undefined;
  return mergedGateways
    ? { "gateway.envoyproxy.io/owning-gatewayclass": spec?.gatewayClassName ?? "" }
    : {
        "gateway.envoyproxy.io/owning-gateway-name": gateway.metadata.name,
        "gateway.envoyproxy.io/owning-gateway-namespace": gateway.metadata.namespace ?? "",
      };
}

/** The Envoy Service and Deployment or DaemonSet of a Gateway, found by owner labels among the workloads. */
export function envoyObjectsForGateway(
  gateway: KubeObject,
  workloads: ReadonlyArray<KubeObject>,
  mergedGateways: boolean,
): { service?: KubeObject; workload?: KubeObject } {
  const want = ownerLabels(gateway, mergedGateways);
  const owned = workloads.filter((o) => Object.entries(want).every(([k, v]) => o.metadata.labels?.[k] === v));
  const service = owned.find((o) => o.kind === "Service");
  const workload = owned.find((o) => o.kind === "Deployment" || o.kind === "DaemonSet");
  return { ...(service ? { service } : {}), ...(workload ? { workload } : {}) };
}

/**
 * A Gateway's status with `addresses` and the `Programmed` condition computed from its Envoy Service and
 * Deployment/DaemonSet, as upstream's UpdateGatewayStatusProgrammedCondition does (NodePort node addresses
 * are not known here and count as none). A Gateway that is not Accepted is left as reported.
 */
export function withEnvoyWorkloadStatus(gateway: KubeObject, status: unknown, objects: { service?: KubeObject; workload?: KubeObject }, now: Date): unknown {
  if (!isRecord(status)) return status;
  const conditions = (Array.isArray(status["conditions"]) ? status["conditions"] : []) as Condition[];
  if (conditions.some((c) => c.type === "Accepted" && c.status === "False")) return status;
  const generation = gateway.metadata.generation ?? 0;
  const time = now.toISOString().replace(/\.\d+Z$/, "Z");
  const condition = (s: string, reason: string, message: string): Condition => ({
    type: "Programmed",
    status: s,
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: time,
  });
  const specAddresses = ((gateway["spec"] as Json | undefined)?.["addresses"] ?? []) as Array<{ type?: string; value: string }>;
  const svc = objects.service;
  let ips: string[] = [];
  const hostnames: string[] = [];
  const build = () => [...ips.map((value) => ({ type: "IPAddress", value })), ...hostnames.map((value) => ({ type: "Hostname", value }))];
  if (svc === undefined && specAddresses.length > 0) {
    for (const a of specAddresses) (a.type === "Hostname" ? hostnames : ips).push(a.value);
    return {
      ...status,
      addresses: build(),
      conditions: mergeCondition(conditions, condition("False", "AddressNotUsable", "One or more Gateway addresses cannot be used")),
    };
  }
  let notUsable = false;
  if (svc !== undefined) {
    const spec = (svc["spec"] ?? {}) as { type?: string; clusterIPs?: string[]; clusterIP?: string; externalIPs?: string[] };
    const clusterIPs = (spec.clusterIPs ?? (spec.clusterIP !== undefined ? [spec.clusterIP] : [])).filter((ip) => ip !== "" && ip !== "None");
    if (specAddresses.length > 0) {
      ips = (spec.externalIPs ?? []).length > 0 ? [...spec.externalIPs!] : clusterIPs;
      notUsable = specAddresses.some((a) => a.type === "Hostname");
    } else if ((spec.type ?? "ClusterIP") === "LoadBalancer") {
      const ingress =
        ((svc["status"] as Json | undefined)?.["loadBalancer"] as { ingress?: Array<{ ip?: string; hostname?: string }> } | undefined)?.ingress ?? [];
      for (const i of ingress) {
        if (i.ip) ips.push(i.ip);
        else if (i.hostname) hostnames.push(i.hostname);
      }
      if (ips.length === 0 && hostnames.length === 0) ips = [...(spec.externalIPs ?? [])];
    } else if ((spec.type ?? "ClusterIP") === "ClusterIP") ips = clusterIPs;
  }
  let addresses = build();
  const next: Json = { ...status };
  if (addresses.length > 0) next["addresses"] = addresses;
  else delete next["addresses"];
  let programmed: Condition;
  if (notUsable) programmed = condition("False", "AddressNotUsable", "One or more Gateway addresses cannot be used");
  else if (addresses.length === 0) programmed = condition("False", "AddressNotAssigned", "No addresses have been assigned to the Gateway");
  else if (addresses.length > 16) {
    programmed = condition(
      "True",
      "Programmed",
      `Too many addresses (${addresses.length}) have been assigned to the Gateway; only the first 16 are included in the status.`,
    );
    addresses = addresses.slice(0, 16);
    next["addresses"] = addresses;
  } else {
    const w = objects.workload;
    const st = (w?.["status"] ?? {}) as { availableReplicas?: number; replicas?: number; numberAvailable?: number; currentNumberScheduled?: number };
    if (w?.kind === "Deployment" && (st.availableReplicas ?? 0) > 0)
      programmed = condition("True", "Programmed", `Address assigned to the Gateway, ${st.availableReplicas}/${st.replicas ?? 0} envoy replicas available`);
    else if (w?.kind === "DaemonSet" && (st.numberAvailable ?? 0) > 0)
      programmed = condition(
        "True",
        "Programmed",
        `Address assigned to the Gateway, ${st.numberAvailable}/${st.currentNumberScheduled ?? 0} envoy replicas available`,
      );
    else programmed = condition("False", "NoResources", "Envoy replicas unavailable");
  }
  next["conditions"] = mergeCondition(conditions, programmed);
  return next;
}
