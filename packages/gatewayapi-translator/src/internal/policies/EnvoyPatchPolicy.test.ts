import { describe, expect, it } from "vitest";
import type { EnvoyPatchPolicy } from "@egts/api";
import type * as ir from "@egts/ir";
import type { Mutable } from "../Mutable.js";
import { processEnvoyPatchPolicies } from "./EnvoyPatchPolicy.js";

function policy(name: string, target: { group: string; kind: string; name: string }): EnvoyPatchPolicy {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyPatchPolicy",
    metadata: { name, namespace: "ns", generation: 2 },
    spec: {
      type: "JSONPatch",
      targetRef: target,
      jsonPatches: [{ type: "type.googleapis.com/envoy.config.listener.v3.Listener", name: "l", operation: { op: "replace", path: "/a", value: "1" } }],
    },
  };
}

const gw = { group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw" };

function run(policies: EnvoyPatchPolicy[], enabled = true, mergeGateways = false): { out: Array<Record<string, any>>; xds: Mutable<ir.Xds> } {
  const xds: Mutable<ir.Xds> = {};
  const key = mergeGateways ? "cls" : "ns/gw";
  const out = processEnvoyPatchPolicies(policies, {
    xdsIR: new Map([[key, xds]]),
    controllerName: "ctrl",
    enabled,
    mergeGateways,
    irKey: (ns, name) => `${ns}/${name}`,
  }) as Array<Record<string, any>>;
  return { out, xds };
}

describe("processEnvoyPatchPolicies", () => {
  it("carries the patches of an accepted policy into the Gateway's IR", () => {
    const { out, xds } = run([policy("p", gw)]);
    expect(xds.envoyPatchPolicies?.[0]?.jsonPatches?.[0]?.operation).toEqual({ op: "replace", path: "/a", value: "1" });
    expect(out[0]?.["status"].ancestors[0].conditions[0]).toMatchObject({ type: "Accepted", status: "True", observedGeneration: 2 });
    expect(xds.envoyPatchPolicies?.[0]?.status).toEqual(out[0]?.["status"]);
  });

  it("reports Disabled and keeps the patches out when the feature is off", () => {
    const { out, xds } = run([policy("p", gw)], false);
    expect(xds.envoyPatchPolicies?.[0]?.jsonPatches).toBeUndefined();
    expect(out[0]?.["status"].ancestors[0].conditions[0]).toMatchObject({ status: "False", reason: "Disabled" });
  });

  it("leaves a policy for an unknown Gateway without status", () => {
    const { out, xds } = run([policy("p", { ...gw, name: "other" })]);
    expect(out[0]?.["status"]).toBeUndefined();
    expect(xds.envoyPatchPolicies).toBeUndefined();
  });

  it("rejects a Gateway target when Gateways are merged", () => {
    const { out } = run([policy("p", gw)], true, true);
    expect(out[0]?.["status"].ancestors[0].ancestorRef).toEqual({ group: "gateway.networking.k8s.io", kind: "GatewayClass", name: "gw" });
    expect(out[0]?.["status"].ancestors[0].conditions[0].reason).toBe("Invalid");
  });
});
