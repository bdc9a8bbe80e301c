// EnvoyPatchPolicy (upstream envoypatchpolicy.go): JSON patches for the xDS of one Gateway (or, with merged
// Gateways, of the whole GatewayClass), carried in the xds IR for the xds translator to apply.
import type { EnvoyPatchPolicy } from "@egts/api";
import type * as ir from "@egts/ir";
import type { Mutable } from "../Mutable.js";
import { PolicyStatus, type AncestorRef } from "./PolicyStatus.js";

/** What the EnvoyPatchPolicy pass needs from the translation. */
export interface EnvoyPatchPolicyContext {
  readonly xdsIR: ReadonlyMap<string, Mutable<ir.Xds>>;
  readonly controllerName: string;
  readonly enabled: boolean;
  readonly mergeGateways: boolean;
  /** The IR key of a Gateway (upstream Translator.IRKey). */
  readonly irKey: (namespace: string, name: string) => string;
}

const gatewayGroup = "gateway.networking.k8s.io";

/**
 * Attaches every EnvoyPatchPolicy to the IR of the Gateway (or GatewayClass, when Gateways are merged) it
 * targets, in input order, and returns all policies with their status. A policy whose Gateway is not
 * translated here keeps no status of this controller.
 */
export function processEnvoyPatchPolicies(policies: ReadonlyArray<EnvoyPatchPolicy>, ctx: EnvoyPatchPolicyContext): unknown[] {
  return policies.map((policy) => {
    const status = new PolicyStatus(ctx.controllerName, policy.metadata.generation);
    const namespace = policy.metadata.namespace ?? "";
    const { group, kind, name } = policy.spec.targetRef;
    const targetKind = ctx.mergeGateways ? "GatewayClass" : "Gateway";
    const ancestor: AncestorRef = ctx.mergeGateways
      ? ({ group: gatewayGroup, kind: targetKind, name } as AncestorRef)
      : { group: gatewayGroup, kind: targetKind, namespace, name };
    const x = ctx.xdsIR.get(ctx.mergeGateways ? name : ctx.irKey(namespace, name));
    if (x === undefined) {
      if (ctx.mergeGateways) {
        status.setResolveError(ancestor, {
          reason: "Invalid",
          message: `TargetRef.Group:${group} TargetRef.Kind:${kind} TargetRef.Namespace:${namespace} TargetRef.Name:${name} not found or not accepted (MergeGateways=true).`,
        });
        return withStatus(policy, status);
      }
      return policy;
    }
    const policyIR: Mutable<ir.EnvoyPatchPolicy> = { name: policy.metadata.name, namespace };
    if (policy.metadata.generation !== undefined) policyIR.generation = policy.metadata.generation;
    x.envoyPatchPolicies = [...(x.envoyPatchPolicies ?? []), policyIR];
    // The IR entry shares the policy's status object, as upstream's does by pointer.
    const finish = (): unknown => {
      policyIR.status = status.json() as never;
      return withStatus(policy, status);
    };
    if (!ctx.enabled) {
      status.setResolveError(ancestor, { reason: "Disabled", message: "EnvoyPatchPolicy is disabled in the EnvoyGateway configuration" });
      return finish();
    }
    if (group !== gatewayGroup || kind !== targetKind) {
      status.setResolveError(ancestor, {
        reason: "Invalid",
        message: `TargetRef.Group:${group} TargetRef.Kind:${kind}, only TargetRef.Group:${gatewayGroup} and TargetRef.Kind:${targetKind} is supported.`,
      });
      return finish();
    }
    const patches = (policy.spec.jsonPatches ?? []).map((p) => {
      const operation: Record<string, unknown> = { op: p.operation.op };
      if (p.operation.path !== undefined) operation["path"] = p.operation.path;
      if (p.operation.jsonPath !== undefined) operation["jsonPath"] = p.operation.jsonPath;
      if (p.operation.from !== undefined) operation["from"] = p.operation.from;
      if (p.operation.value !== undefined) operation["value"] = p.operation.value;
      return { type: p.type, name: p.name, operation } as unknown as ir.JSONPatchConfig;
    });
    if (patches.length > 0) policyIR.jsonPatches = patches;
    status.setAccepted(ancestor);
    return finish();
  });
}

function withStatus(policy: EnvoyPatchPolicy, status: PolicyStatus): unknown {
  return { ...policy, status: status.json() };
}
