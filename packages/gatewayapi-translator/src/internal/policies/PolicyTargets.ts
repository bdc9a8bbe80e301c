// Which resources a policy targets: its targetRef/targetRefs plus the objects its targetSelectors match
// (upstream helpers.go resolvePolicyTargets*), and the ListenerSet/Gateway lookups the policies share.
import type { ListenerSet, ObjectMeta } from "@egts/api";
import { isReferencePermitted, type ResourceIndex } from "../Index.js";
import { selectorMatches, type Selector } from "../Listeners.js";
import type { GatewayContext, ListenerContext } from "../Model.js";

/** A resolved policy target: group/kind/name with the namespace filled in, and an optional section. */
export interface PolicyTarget {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
}

/** The targeting fields every Envoy Gateway policy spec shares. */
export interface PolicyTargetSpec {
  readonly targetRef?: { readonly group: string; readonly kind: string; readonly name: string; readonly sectionName?: string };
  readonly targetRefs?: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly name: string; readonly sectionName?: string }>;
  readonly targetSelectors?: ReadonlyArray<TargetSelector>;
}

/** A label selector for policy targets, optionally across namespaces. */
export interface TargetSelector extends Selector {
  readonly group?: string;
  readonly kind: string;
  readonly namespaces?: { readonly from: string; readonly selector?: Selector };
}

/** An object a selector can pick: its group/kind and metadata. */
export interface SelectableObject {
  readonly group: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

/** The plain targetRefs of a policy (the deprecated singular targetRef wins when set), in the policy's namespace. */
export function targetsFromReferences(spec: PolicyTargetSpec, policyNamespace: string): PolicyTarget[] {
  const refs = spec.targetRef !== undefined ? [spec.targetRef] : (spec.targetRefs ?? []);
  return refs
    .filter((r) => r.group !== "" || r.kind !== "" || r.name !== "" || (r.sectionName ?? "") !== "")
    .map((r) => {
      const t: { group: string; kind: string; name: string; namespace: string; sectionName?: string } = {
        group: r.group,
        kind: r.kind,
        name: r.name,
        namespace: policyNamespace,
      };
      if (r.sectionName !== undefined) t.sectionName = r.sectionName;
      return t;
    });
}

function namespaceMatches(selector: TargetSelector, policyNamespace: string, targetNamespace: string, index: ResourceIndex): boolean {
  const from = selector.namespaces?.from ?? "";
  if (from === "" || from === "Same") return targetNamespace === policyNamespace;
  if (from === "All") return true;
  if (from === "Selector") {
    const ns = index.namespace(targetNamespace);
    const nsSelector = selector.namespaces?.selector;
    if (ns === undefined || nsSelector === undefined) return false;
    return selectorMatches(nsSelector, ns.metadata.labels ?? {});
  }
  return false;
}

function sameTarget(a: PolicyTarget, b: PolicyTarget): boolean {
  return a.group === b.group && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace && a.sectionName === b.sectionName;
}

/**
 * Resolves a policy's targets: objects matched by its targetSelectors first (oldest first), then its plain
 * targetRefs not already among them. Cross-namespace selector matches need a ReferenceGrant.
 */
export function resolvePolicyTargets(
  spec: PolicyTargetSpec,
  candidates: ReadonlyArray<SelectableObject>,
  policy: { readonly group: string; readonly kind: string; readonly namespace: string },
  index: ResourceIndex,
): PolicyTarget[] {
  const selected: Array<{ target: PolicyTarget; created: string }> = [];
  for (const selector of spec.targetSelectors ?? []) {
    const group = selector.group ?? "gateway.networking.k8s.io";
    for (const obj of candidates) {
      if (obj.kind !== selector.kind || obj.group !== group) continue;
      const ns = obj.metadata.namespace ?? "";
      if (!namespaceMatches(selector, policy.namespace, ns, index)) continue;
      if (!selectorMatches(selector, obj.metadata.labels ?? {})) continue;
      if (!isReferencePermitted(policy, { group: obj.group, kind: obj.kind, namespace: ns, name: obj.metadata.name }, index.referenceGrants)) continue;
      const target: PolicyTarget = { group: obj.group, kind: obj.kind, name: obj.metadata.name, namespace: ns };
      if (selected.some((s) => sameTarget(s.target, target))) continue;
      selected.push({ target, created: obj.metadata.creationTimestamp ?? "" });
    }
  }
  const out = selected
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => (Date.parse(a.created) || 0) - (Date.parse(b.created) || 0) || a.i - b.i)
    .map((s) => s.target);
  const fromSelectors = [...out];
  for (const ref of targetsFromReferences(spec, policy.namespace)) {
    if (!fromSelectors.some((t) => sameTarget(t, ref))) out.push(ref);
  }
  return out;
}

/** The accepted Gateways as selector candidates. */
export function gatewayCandidates(gateways: ReadonlyArray<GatewayContext>): SelectableObject[] {
  return gateways.map((g) => ({ group: "gateway.networking.k8s.io", kind: "Gateway", metadata: g.gateway.metadata }));
}

/** ListenerSets as selector candidates. */
export function listenerSetCandidates(listenerSets: ReadonlyArray<ListenerSet>): SelectableObject[] {
  return listenerSets.map((ls) => ({ group: "gateway.networking.k8s.io", kind: "ListenerSet", metadata: ls.metadata }));
}

/** The `namespace/name` key of a namespaced object. */
export function nsName(meta: { readonly namespace?: string; readonly name: string }): string {
  return `${meta.namespace ?? ""}/${meta.name}`;
}

/** The accepted Gateway a ListenerSet attaches to, if any. */
export function listenerSetParent(ls: ListenerSet, gateways: ReadonlyMap<string, GatewayContext>): GatewayContext | undefined {
  const parent = ls.spec.parentRef as { name: string; namespace?: string };
  return gateways.get(`${parent.namespace ?? ls.metadata.namespace ?? ""}/${parent.name}`);
}

/** Whether a listener came from the given ListenerSet. */
export function listenerBelongsTo(l: ListenerContext, ls: ListenerSet): boolean {
  const own = l.listenerSet?.listenerSet.metadata;
  return own !== undefined && own.name === ls.metadata.name && (own.namespace ?? "") === (ls.metadata.namespace ?? "");
}
