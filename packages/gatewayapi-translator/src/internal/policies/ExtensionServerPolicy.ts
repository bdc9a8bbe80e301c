// Policies of kinds registered by an extension server (upstream extensionserverpolicy.go): the translator
// does not interpret them; it attaches them, as whole objects, to the IR routes, listeners and Gateways they
// target so the extension server sees them when it modifies the xDS.
import type { ObjectMeta, UnstructuredObject } from "@egts/api";
import type * as ir from "@egts/ir";
import type { ResourceIndex } from "../Index.js";
import { irListenerName, type GatewayContext } from "../Model.js";
import type { Mutable } from "../Mutable.js";
import type { RouteContext } from "../RouteContext.js";
import { gatewayAncestorRef, PolicyStatus } from "./PolicyStatus.js";
import { gatewayCandidates, resolvePolicyTargets, targetsFromReferences, type PolicyTarget, type PolicyTargetSpec } from "./PolicyTargets.js";
import { irRoutePrefix, routeRuleNames } from "./TargetedPolicies.js";

/** What the extension server policy pass needs from the translation. */
export interface ExtensionServerPolicyContext {
  readonly gateways: ReadonlyArray<GatewayContext>;
  readonly routes: ReadonlyArray<RouteContext>;
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly index: ResourceIndex;
  readonly controllerName: string;
}

/** A policy as written into the IR and the result: the input object's fields plus its status. */
type PolicyObject = { [field: string]: unknown };

function isObject(v: unknown): v is { readonly [field: string]: unknown } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function policyTargetSpec(policy: UnstructuredObject): PolicyTargetSpec | undefined {
  const spec = policy["spec"];
  if (!isObject(spec)) return undefined;
  // The spec is unstructured: anything that does not decode as policy targets makes the policy unusable.
  const isRef = (r: unknown): boolean => isObject(r) && ["group", "kind", "name", "sectionName"].every((k) => r[k] === undefined || typeof r[k] === "string");
  const { targetRef, targetRefs, targetSelectors } = spec;
  if (targetRef !== undefined && !isRef(targetRef)) return undefined;
  if (targetRefs !== undefined && !(Array.isArray(targetRefs) && targetRefs.every(isRef))) return undefined;
  if (targetSelectors !== undefined && !(Array.isArray(targetSelectors) && targetSelectors.every((t: unknown) => t !== null && typeof t === "object")))
    return undefined;
  const refUsable = isObject(targetRef) && Boolean(targetRef["group"]) && Boolean(targetRef["kind"]) && Boolean(targetRef["name"]);
  const count = (list: unknown): number => (Array.isArray(list) ? list.length : 0);
  if (!refUsable && count(targetRefs) < 1 && count(targetSelectors) < 1) return undefined;
  // Checked above: the target fields present have the shapes PolicyTargetSpec describes.
  return spec as PolicyTargetSpec;
}

/** An IR reference to a policy object; the object came from JSON, so its fields are JSON values. */
function unstructuredRef(object: PolicyObject): ir.UnstructuredRef {
  return { object: object as ir.JsonObject };
}

function appendOnce(list: ReadonlyArray<ir.UnstructuredRef> | undefined, object: PolicyObject): ir.UnstructuredRef[] {
  const refs = [...(list ?? [])];
  if (!refs.some((r) => r.object === object)) refs.push(unstructuredRef(object));
  return refs;
}

/**
 * Attaches every extension server policy to its targets (route rules, routes, listeners, Gateways, in that
 * order) and returns the policies that gained at least one ancestor, with their status.
 */
export function processExtensionServerPolicies(policies: ReadonlyArray<UnstructuredObject>, ctx: ExtensionServerPolicyContext): unknown[] {
  const routes = new Map(ctx.routes.map((r) => [`${r.kind}/${r.namespace}/${r.name}`, r]));
  const gateways = new Map(ctx.gateways.map((g) => [`${g.namespace}/${g.name}`, g]));
  // The IR holds the output objects themselves, so it shows each policy's final status.
  const outputs = new Map<UnstructuredObject, { object: PolicyObject; status: PolicyStatus }>();
  const order: UnstructuredObject[] = [];
  const outputOf = (p: UnstructuredObject): { object: PolicyObject; status: PolicyStatus } => {
    let out = outputs.get(p);
    if (out === undefined) {
      out = { object: { ...p }, status: new PolicyStatus(ctx.controllerName, p.metadata.generation) };
      outputs.set(p, out);
      order.push(p);
    }
    return out;
  };
  const specs = policies.map(policyTargetSpec);
  const groupOf = (p: UnstructuredObject): string => {
    const apiVersion = String(p.apiVersion ?? "");
    return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  };

  const forRoute = (p: UnstructuredObject, target: PolicyTarget): void => {
    const out = outputOf(p);
    const route = routes.get(`${target.kind}/${target.namespace}/${target.name}`);
    if (route === undefined) return;
    const supported = route.kind === "HTTPRoute" || route.kind === "GRPCRoute";
    const sectionMissing = target.sectionName !== undefined && !routeRuleNames(route).includes(target.sectionName);
    const prefix = irRoutePrefix(route);
    for (const parent of route.parentContexts) {
      const gateway = parent.listeners[0]?.gateway;
      if (gateway === undefined) continue;
      const x = ctx.xdsIR.get(gateway.irKey);
      if (x === undefined) continue;
      const ancestor = gatewayAncestorRef(gateway.namespace, gateway.name, parent.ref.sectionName);
      if (!supported) {
        out.status.setTranslationError(ancestor, `ExtensionServerPolicy does not support targeting ${route.kind}`);
        continue;
      }
      if (sectionMissing) {
        out.status.setResolveError(ancestor, {
          reason: "TargetNotFound",
          message: `No section name ${target.sectionName ?? ""} found for ${target.kind} ${target.namespace}/${target.name}`,
        });
        continue;
      }
      let found = false;
      for (const l of parent.listeners) {
        const http = (x.http ?? []).find((h) => h.name === irListenerName(l));
        for (const r of (http?.routes ?? []) as Array<Mutable<ir.HTTPRoute>>) {
          if (target.sectionName !== undefined && target.sectionName !== r.metadata?.sectionName) continue;
          if (!r.name.startsWith(prefix)) continue;
          r.extensionServerPolicies = appendOnce(r.extensionServerPolicies, out.object);
          found = true;
        }
      }
      if (found) out.status.setAccepted(ancestor);
    }
  };

  const forGateway = (p: UnstructuredObject, target: PolicyTarget): void => {
    const out = outputOf(p);
    const gateway = gateways.get(`${target.namespace}/${target.name}`);
    if (gateway === undefined) return;
    const x = ctx.xdsIR.get(gateway.irKey);
    if (x === undefined) return;
    x.extensionServerPolicies = appendOnce(x.extensionServerPolicies, out.object);
    let found = false;
    const attach = (listeners: ReadonlyArray<{ readonly name: string; readonly extensionRefs?: ReadonlyArray<ir.UnstructuredRef> }> | undefined): void => {
      for (const l of (listeners ?? []) as Array<Mutable<{ name: string; extensionRefs?: ReadonlyArray<ir.UnstructuredRef> }>>) {
        const short = l.name.slice(l.name.lastIndexOf("/") + 1);
        if (target.sectionName !== undefined && target.sectionName !== short) continue;
        l.extensionRefs = [...(l.extensionRefs ?? []), unstructuredRef(out.object)];
        found = true;
      }
    };
    attach(x.http);
    attach(x.tcp);
    attach(x.udp);
    if (found) out.status.setAccepted(gatewayAncestorRef(gateway.namespace, gateway.name, target.sectionName));
  };

  const refs = (i: number, p: UnstructuredObject): PolicyTarget[] => {
    const spec = specs[i];
    return spec === undefined ? [] : targetsFromReferences(spec, p.metadata.namespace ?? "");
  };
  const selected = (i: number, p: UnstructuredObject, candidates: ReadonlyArray<{ group: string; kind: string; metadata: ObjectMeta }>): PolicyTarget[] => {
    const spec = specs[i];
    if (spec === undefined) return [];
    return resolvePolicyTargets(spec, candidates, { group: groupOf(p), kind: p.kind, namespace: p.metadata.namespace ?? "" }, ctx.index);
  };
  const routeCandidates = ctx.routes.map((r) => ({ group: "gateway.networking.k8s.io", kind: r.kind, metadata: r.route.metadata as ObjectMeta }));
  policies.forEach((p, i) => {
    for (const t of refs(i, p)) if (t.kind !== "Gateway" && t.sectionName !== undefined) forRoute(p, t);
  });
  policies.forEach((p, i) => {
    for (const t of selected(i, p, routeCandidates)) if (t.kind !== "Gateway" && t.sectionName === undefined) forRoute(p, t);
  });
  policies.forEach((p, i) => {
    for (const t of refs(i, p)) if (t.kind === "Gateway" && t.sectionName !== undefined) forGateway(p, t);
  });
  const gwCandidates = gatewayCandidates(ctx.gateways);
  policies.forEach((p, i) => {
    for (const t of selected(i, p, gwCandidates)) if (t.kind === "Gateway" && t.sectionName === undefined) forGateway(p, t);
  });

  const result: unknown[] = [];
  for (const p of order) {
    const out = outputs.get(p) as { object: PolicyObject; status: PolicyStatus };
    if (out.status.ancestors.length === 0) continue;
    out.object["status"] = out.status.json();
    result.push(out.object);
  }
  return result;
}
