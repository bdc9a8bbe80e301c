import { describe, expect, it } from "vitest";
import { emptyResources, type Resources } from "@egts/api";
import { translate, type TranslateOptions } from "../../index.js";

const options: TranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

type Json = Record<string, any>;

const gateway: Json = {
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "Gateway",
  metadata: { namespace: "infra", name: "gw" },
  spec: {
    gatewayClassName: "eg",
    listeners: [
      { name: "a", port: 80, protocol: "HTTP" },
      { name: "b", port: 8080, protocol: "HTTP" },
    ],
  },
};

function ctp(name: string, target: Json, spec: Json): Json {
  return {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "ClientTrafficPolicy",
    metadata: { namespace: "infra", name },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "gw", ...target }], ...spec },
  };
}

function run(policies: Json[]): Json {
  const r = { ...emptyResources(), gateways: [gateway], clientTrafficPolicies: policies } as unknown as Resources;
  return translate(r, options) as Json;
}

function listener(out: Json, name: string): Json {
  return out.xdsIR["infra/gw"].http.find((h: Json) => h.name === `infra/gw/${name}`);
}

function conditionsOf(policy: Json): Array<[string, string, string]> {
  return policy.status.ancestors.flatMap((a: Json) => a.conditions.map((c: Json) => [a.ancestorRef.sectionName ?? "*", c.type, c.reason]));
}

describe("ClientTrafficPolicy", () => {
  it("puts a section policy's timeout on that listener only, in Go duration form", () => {
    const out = run([ctp("one", { sectionName: "a" }, { timeout: { http: { idleTimeout: "90s" } } })]);
    expect(listener(out, "a").timeout).toEqual({ http: { idleTimeout: "1m30s" } });
    expect(listener(out, "b").timeout).toBeUndefined();
    expect(conditionsOf(out.clientTrafficPolicies[0])).toEqual([["a", "Accepted", "Accepted"]]);
  });

  it("lets a section policy override a gateway-wide one and reports the override", () => {
    const out = run([ctp("wide", {}, { tcpKeepalive: { probes: 3 } }), ctp("narrow", { sectionName: "b" }, { tcpKeepalive: { probes: 7 } })]);
    expect(listener(out, "a").tcpKeepalive).toEqual({ probes: 3 });
    expect(listener(out, "b").tcpKeepalive).toEqual({ probes: 7 });
    // Section policies are handled first, so they come first in the result.
    const [narrow, wide] = out.clientTrafficPolicies;
    expect(narrow.metadata.name).toBe("narrow");
    expect(conditionsOf(wide)).toEqual([
      ["*", "Overridden", "Overridden"],
      ["*", "Accepted", "Accepted"],
    ]);
    expect(wide.status.ancestors[0].conditions[0].message).toBe("There are existing ClientTrafficPolicies that are overriding these sections [b]");
  });

  it("marks a second policy on the same section Conflicted and an unknown section TargetNotFound", () => {
    const out = run([
      ctp("first", { sectionName: "a" }, { path: { disableMergeSlashes: true } }),
      ctp("second", { sectionName: "a" }, { path: { escapedSlashesAction: "RejectRequest" } }),
      ctp("missing", { sectionName: "zzz" }, {}),
    ]);
    expect(listener(out, "a").path).toEqual({ mergeSlashes: false, escapedSlashesAction: "UnescapeAndRedirect" });
    const byName = Object.fromEntries(out.clientTrafficPolicies.map((p: Json) => [p.metadata.name, p]));
    expect(conditionsOf(byName["second"])).toEqual([["a", "Accepted", "Conflicted"]]);
    expect(conditionsOf(byName["missing"])).toEqual([["zzz", "Accepted", "TargetNotFound"]]);
    expect(byName["missing"].status.ancestors[0].conditions[0].message).toBe("No section name zzz found for Gateway infra/gw");
  });

  it("rejects an invalid duration with the field named, leaving the listener untouched", () => {
    const out = run([ctp("bad", { sectionName: "a" }, { timeout: { http: { requestReceivedTimeout: "10sec" } } })]);
    expect(listener(out, "a").timeout).toBeUndefined();
    const cond = out.clientTrafficPolicies[0].status.ancestors[0].conditions[0];
    expect([cond.status, cond.reason, cond.message]).toEqual(["False", "Invalid", "Timeout: invalid HTTP RequestReceivedTimeout value 10sec."]);
  });

  it("converts buffer limits from Kubernetes quantities and rejects fractional ones", () => {
    const ok = run([ctp("p", { sectionName: "a" }, { connection: { bufferLimit: "1Mi" } })]);
    expect(listener(ok, "a").connection).toEqual({ bufferLimit: 1048576 });
    const bad = run([ctp("p", { sectionName: "a" }, { connection: { bufferLimit: "500m" } })]);
    expect(bad.clientTrafficPolicies[0].status.ancestors[0].conditions[0].message).toBe("Connection: invalid BufferLimit value 500m.");
  });
});
