import { describe, expect, it } from "vitest";
import { emptyResources, type Resources } from "@egts/api";
import { ResourceIndex } from "../Index.js";
import { formatPolicyScopes, PolicyScopeGraph, type PolicyScope } from "./PolicyScopes.js";
import { gatewayAncestorRef, PolicyStatus } from "./PolicyStatus.js";
import { resolvePolicyTargets, type SelectableObject } from "./PolicyTargets.js";
import { canonicalDuration, quantityAsInteger } from "./Values.js";
import { mergeSpecs } from "./BackendTrafficPolicy.js";

describe("PolicyStatus", () => {
  it("keeps the first Accepted condition and joins warnings of different reasons", () => {
    const st = new PolicyStatus("ctrl", 2);
    const ref = gatewayAncestorRef("ns", "gw", "http");
    st.setTranslationError(ref, "Bad.");
    st.setAccepted(ref);
    st.setWarning(ref, "UnsupportedHTTP3ClientValidation", "first");
    st.setDeprecatedFields(ref, new Map([["spec.targetRef", "spec.targetRefs"]]));
    const [ancestor] = st.json().ancestors;
    expect(ancestor?.conditions.map((c) => [c.type, c.status, c.reason, c.message, c.observedGeneration])).toEqual([
      ["Accepted", "False", "Invalid", "Bad.", 2],
      ["Warning", "True", "Warnings", "first; spec.targetRef is deprecated, use spec.targetRefs instead", 2],
    ]);
  });

  it("truncates to 16 ancestors, rejected ones first, and marks the last Aggregated", () => {
    const st = new PolicyStatus("ctrl", undefined);
    for (let i = 0; i < 20; i++) st.setAccepted(gatewayAncestorRef("ns", `gw-${String(i).padStart(2, "0")}`));
    st.setResolveError(gatewayAncestorRef("ns", "gw-zz"), { reason: "Conflicted", message: "taken" });
    st.truncate();
    const ancestors = st.json().ancestors;
    expect(ancestors).toHaveLength(16);
    expect(ancestors[0]?.ancestorRef.name).toBe("gw-zz");
    expect(ancestors[15]?.conditions.map((c) => c.type)).toEqual(["Accepted", "Aggregated"]);
  });
});

describe("PolicyScopeGraph", () => {
  it("lets a Gateway see routes attached to its listeners, grouped by kind in the message", () => {
    const graph = new PolicyScopeGraph();
    const gateway: PolicyScope = { kind: "Gateway", namespace: "ns", name: "gw" };
    const listener: PolicyScope = { kind: "GatewayListener", namespace: "ns", name: "gw", sectionName: "http" };
    graph.add(gateway, listener);
    graph.add(listener, { kind: "Route", namespace: "apps", name: "b", routeKind: "HTTPRoute" });
    graph.add(listener, { kind: "Route", namespace: "apps", name: "a", routeKind: "HTTPRoute" });
    expect(formatPolicyScopes(graph.directChildren(gateway))).toBe("these gateway listeners: [ns/gw/http]");
    expect(formatPolicyScopes(graph.withDescendants(gateway))).toBe("these gateway listeners: [ns/gw/http] and these routes: [apps/a apps/b]");
  });
});

describe("resolvePolicyTargets", () => {
  const objects: SelectableObject[] = [
    {
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      metadata: { namespace: "other", name: "young", labels: { team: "a" }, creationTimestamp: "2024-02-01T00:00:00Z" },
    },
    {
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      metadata: { namespace: "other", name: "old", labels: { team: "a" }, creationTimestamp: "2024-01-01T00:00:00Z" },
    },
    { group: "gateway.networking.k8s.io", kind: "Gateway", metadata: { namespace: "mine", name: "local", labels: { team: "a" } } },
  ];
  const policy = { group: "gateway.envoyproxy.io", kind: "BackendTrafficPolicy", namespace: "mine" };

  it("matches only the policy's namespace by default, then appends plain targetRefs not already selected", () => {
    const index = new ResourceIndex(emptyResources());
    const spec = {
      targetSelectors: [{ kind: "Gateway", matchLabels: { team: "a" } }],
      targetRefs: [
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "local" },
        { group: "gateway.networking.k8s.io", kind: "Gateway", name: "extra" },
      ],
    };
    expect(resolvePolicyTargets(spec, objects, policy, index).map((t) => `${t.namespace}/${t.name}`)).toEqual(["mine/local", "mine/extra"]);
  });

  it("selects across namespaces only where a ReferenceGrant allows it, oldest object first", () => {
    const grant = {
      apiVersion: "gateway.networking.k8s.io/v1beta1",
      kind: "ReferenceGrant",
      metadata: { namespace: "other", name: "g" },
      spec: {
        from: [{ group: "gateway.envoyproxy.io", kind: "BackendTrafficPolicy", namespace: "mine" }],
        to: [{ group: "gateway.networking.k8s.io", kind: "Gateway" }],
      },
    };
    const spec = { targetSelectors: [{ kind: "Gateway", matchLabels: { team: "a" }, namespaces: { from: "All" } }] };
    const without = new ResourceIndex(emptyResources());
    expect(resolvePolicyTargets(spec, objects, policy, without).map((t) => t.name)).toEqual(["local"]);
    const withGrant = new ResourceIndex({ ...emptyResources(), referenceGrants: [grant] } as unknown as Resources);
    expect(resolvePolicyTargets(spec, objects, policy, withGrant).map((t) => t.name)).toEqual(["local", "old", "young"]);
  });
});

describe("values", () => {
  it("reads Kubernetes quantities as whole numbers only", () => {
    expect(quantityAsInteger("1Mi")).toBe(1048576n);
    expect(quantityAsInteger("100G")).toBe(100000000000n);
    expect(quantityAsInteger(2048)).toBe(2048n);
    expect(quantityAsInteger("1.5Ki")).toBe(1536n);
    expect(quantityAsInteger("500m")).toBeUndefined();
    expect(quantityAsInteger("10 mib")).toBeUndefined();
  });

  it("prints durations in Go's canonical form", () => {
    expect(canonicalDuration("90s")).toBe("1m30s");
    expect(canonicalDuration("10sec")).toBeUndefined();
  });
});

describe("mergeSpecs", () => {
  it("replaces lists under JSON merge and merges typed lists under strategic merge", () => {
    const parent = {
      compressor: [
        { type: "Gzip", gzip: {} },
        { type: "Brotli", brotli: {} },
      ],
      retry: { numRetries: 1, perRetry: { timeout: "1s" } },
    };
    const child = {
      compressor: [
        { type: "Zstd", zstd: {} },
        { type: "Brotli", minContentLength: "1Ki" },
      ],
      retry: { numRetries: 3 },
    };
    expect(mergeSpecs(parent, child, "JSONMerge")).toEqual({ compressor: child.compressor, retry: { numRetries: 3, perRetry: { timeout: "1s" } } });
    expect(mergeSpecs(parent, child, "StrategicMerge")["compressor"]).toEqual([
      // Kubernetes' order: the patch's entries in order, an original-only entry placed before the first
      // patch entry that follows it in the original (Zstd is new, so it is not compared).
      { type: "Zstd", zstd: {} },
      { type: "Gzip", gzip: {} },
      { type: "Brotli", brotli: {}, minContentLength: "1Ki" },
    ]);
  });
});
