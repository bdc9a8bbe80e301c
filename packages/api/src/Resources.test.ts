import { describe, expect, it } from "vitest";
import {
  decodeResources,
  emptyResources,
  groupResources,
  loadText,
  parseResources,
  resourceListKeys,
  resourcesFromObjects,
  sortObjects,
  type KubernetesObject,
} from "@egts/api";

const manifests = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg }
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
  parametersRef: { group: gateway.envoyproxy.io, kind: EnvoyProxy, name: class-proxy, namespace: envoy-gateway-system }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: other }
spec: { controllerName: example.com/other-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: eg-2 }
spec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: { name: class-proxy, namespace: envoy-gateway-system }
spec: {}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: { name: gw-proxy, namespace: team-a }
spec: {}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: b, namespace: team-a }
spec:
  gatewayClassName: eg
  infrastructure: { parametersRef: { group: gateway.envoyproxy.io, kind: EnvoyProxy, name: gw-proxy } }
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: a, namespace: team-a }
spec: { gatewayClassName: eg, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: c }
spec: { gatewayClassName: eg-2, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: team-b }
spec: { parentRefs: [{ name: a, namespace: team-a }] }
---
apiVersion: v1
kind: Namespace
metadata: { name: team-a }
---
apiVersion: foo.example.io/v1alpha1
kind: Bar
metadata: { name: ext, namespace: team-c }
---
apiVersion: storage.example.io/v1alpha1
kind: S3Backend
metadata: { name: s3 }
`;

describe("groupResources", () => {
  const loaded = loadText(manifests, "m.yaml");
  const groups = groupResources(loaded, "gateway.envoyproxy.io/gatewayclass-controller", {
    extensionPolicyKinds: [{ group: "foo.example.io", version: "v1alpha1", kind: "Bar" }],
    extensionFilterKinds: [{ group: "storage.example.io", version: "v1alpha1", kind: "S3Backend" }],
  });

  it("makes one bundle per GatewayClass of the controller, sorted by name", () => {
    expect(groups.map((g) => g.gatewayClassName)).toEqual(["eg", "eg-2"]);
  });

  it("puts each class's Gateways (sorted by namespace/name) and EnvoyProxies in its bundle", () => {
    const eg = groups[0]!.resources;
    expect(eg.gateways.map((g) => g.metadata.name)).toEqual(["a", "b"]);
    expect(eg.envoyProxyForGatewayClass?.metadata.name).toBe("class-proxy");
    expect(eg.envoyProxiesForGateways.map((p) => p.metadata.name)).toEqual(["gw-proxy"]);
    const eg2 = groups[1]!.resources;
    expect(eg2.gateways.map((g) => g.metadata.name)).toEqual(["c"]);
    expect(eg2.envoyProxyForGatewayClass).toBeUndefined();
    expect(eg2.envoyProxiesForGateways).toEqual([]);
  });

  it("gives each class the routes attached to its Gateways, adds missing namespaces and files extension kinds", () => {
    expect(groups.map((g) => g.resources.httpRoutes.map((r) => r.metadata.name))).toEqual([["r"], []]);
    for (const g of groups) {
      expect(g.resources.namespaces.map((n) => n.metadata.name)).toEqual(["envoy-gateway-system", "team-a", "team-b", "team-c"]);
      expect(g.resources.extensionServerPolicies.map((p) => p.kind)).toEqual(["Bar"]);
      expect(g.resources.extensionRefFilters.map((p) => p.kind)).toEqual(["S3Backend"]);
    }
  });

  it("builds a single bundle like upstream's loader (last GatewayClass and EnvoyProxy win)", () => {
    const single = resourcesFromObjects(loaded);
    expect(single.gatewayClass?.metadata.name).toBe("eg-2");
    expect(single.envoyProxyForGatewayClass?.metadata.name).toBe("gw-proxy");
    expect(single.gateways).toHaveLength(3);
    expect(single.extensionRefFilters).toEqual([]); // no extension kinds configured: unknown kinds left out
  });
});

describe("decodeResources", () => {
  it("decodes the bundle form, reporting and dropping bad items only", () => {
    const r = decodeResources({
      gateways: [
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "Gateway",
          metadata: { name: "ok", namespace: "d" },
          spec: { gatewayClassName: "eg", listeners: [] },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "Gateway",
          metadata: { name: "bad", namespace: "d" },
          spec: { gatewayClassName: "eg", listeners: "none" },
        },
        { apiVersion: "v1", kind: "Service", metadata: { name: "wrong-list" } },
      ],
      services: [{ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "d" }, spec: { ports: [{ port: 80 }] } }],
      envoyProxyDefaultSpec: { logging: { level: { default: "warn" } } },
      bogus: [],
    });
    expect(r.resources.gateways.map((g) => g.metadata.name)).toEqual(["ok"]);
    expect(r.resources.services).toHaveLength(1);
    expect(r.resources.envoyProxyDefaultSpec).toEqual({ logging: { level: { default: "warn" } } });
    expect(r.problems.map((p) => `${p.at} ${p.path}`)).toEqual(["gateways[1] spec.listeners", "gateways[2] kind", "bogus "]);
  });

  it("follows Go's typed decoding: case-insensitive field names, scalars for strings, no defaults", () => {
    const r = parseResources(`
httpRoutes:
- apiVersion: gateway.networking.k8s.io/v1
  kind: HTTPRoute
  metadata: { name: r, namespace: d }
  spec:
    ParentRefs: [{ name: eg }]
    rules:
    - matches: [{ queryParams: [{ type: Exact, name: id, value: 1234 }] }]
`);
    expect(r.problems).toEqual([]);
    const route = r.resources.httpRoutes[0]!;
    expect(route.spec.parentRefs).toEqual([{ name: "eg" }]);
    expect(route.spec.rules?.[0]?.matches?.[0]?.queryParams?.[0]?.value).toBe("1234");
  });

  it("gives omitted required fields Go's zero values, so objects match their types", () => {
    const r = parseResources(`
gateways:
- apiVersion: gateway.networking.k8s.io/v1
  kind: Gateway
  metadata: { namespace: d }
  spec:
    listeners: [{ protocol: HTTP, port: 80 }]
envoyProxiesForGateways:
- apiVersion: gateway.envoyproxy.io/v1alpha1
  kind: EnvoyProxy
  metadata: { name: p, namespace: d }
`);
    expect(r.problems).toEqual([]);
    const gw = r.resources.gateways[0]!;
    expect(gw.metadata.name).toBe("");
    expect(gw.spec.gatewayClassName).toBe("");
    expect(gw.spec.listeners[0]?.name).toBe("");
    expect(r.resources.envoyProxiesForGateways[0]?.spec).toEqual({});
  });

  it("rejects unknown fields as upstream's strict decoding does", () => {
    const r = parseResources("namespaces:\n- apiVersion: v1\n  kind: Namespace\n  metadata: { name: a }\n  colour: red\n");
    expect(r.problems.map((p) => `${p.at} ${p.path}`)).toEqual(["namespaces[0] colour"]);
  });

  it("has every list present in an empty bundle", () => {
    const empty = emptyResources();
    for (const k of resourceListKeys) expect(empty[k]).toEqual([]);
    expect(parseResources("").problems).toEqual([]);
  });
});

describe("sortObjects", () => {
  it("orders by creation time, then namespace, then name", () => {
    const o = (name: string, namespace: string, creationTimestamp?: string): KubernetesObject => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: creationTimestamp ? { name, namespace, creationTimestamp } : { name, namespace },
    });
    const sorted = sortObjects([o("b", "x"), o("a", "y"), o("a", "x"), o("z", "a", "2020-01-01T00:00:00Z"), o("c", "a", "2021-01-01T00:00:00Z")]);
    expect(sorted.map((x) => `${x.metadata.namespace}/${x.metadata.name}`)).toEqual(["x/a", "x/b", "y/a", "a/z", "a/c"]);
  });
});
