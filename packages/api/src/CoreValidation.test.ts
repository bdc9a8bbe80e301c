import { describe, expect, it } from "vitest";
import { decodeObject, loadText } from "@egts/api";

const errorsOf = (raw: unknown): string[] => {
  const r = decodeObject(raw);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
};
const slice = (over: Record<string, unknown>) => ({
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  metadata: { namespace: "apps", name: "web-1", labels: { "kubernetes.io/service-name": "web" } },
  addressType: "IPv4",
  ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  endpoints: [{ addresses: ["10.1.0.1"] }],
  ...over,
});
const service = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Service", metadata: { namespace: "apps", name: "web" }, spec });

describe("EndpointSlice validation (as the API server's)", () => {
  it("accepts a well-formed slice", () => {
    expect(errorsOf(slice({}))).toEqual([]);
    expect(errorsOf(slice({ ports: [{ port: 0 }, { name: "b", port: 65535 }] }))).toEqual([]);
  });

  it("refuses ports outside 0..65535 and unsupported protocols", () => {
    expect(errorsOf(slice({ ports: [{ name: "http", port: 70000 }] }))).toEqual([
      "ports[0].port: Invalid value: 70000: must be between 0 and 65535, inclusive",
    ]);
    expect(errorsOf(slice({ ports: [{ name: "http", port: -1 }] }))).toEqual(["ports[0].port: Invalid value: -1: must be between 0 and 65535, inclusive"]);
    expect(errorsOf(slice({ ports: [{ name: "http", port: 80, protocol: "HTTP" }] }))[0]).toContain('ports[0].protocol: Unsupported value: "HTTP"');
    expect(
      errorsOf(
        slice({
          ports: [
            { name: "a", port: 80 },
            { name: "a", port: 81 },
          ],
        }),
      ),
    ).toEqual(['ports[1].name: Duplicate value: "a"']);
  });

  it("requires addresses on every endpoint, of the slice's address type", () => {
    expect(errorsOf(slice({ endpoints: [{ conditions: { ready: true } }] }))).toEqual([
      "endpoints[0].addresses: Required value: must contain at least 1 address",
    ]);
    expect(errorsOf(slice({ endpoints: [{ addresses: [] }] }))).toEqual(["endpoints[0].addresses: Required value: must contain at least 1 address"]);
    expect(errorsOf(slice({ endpoints: [{ addresses: ["10.1.0.300"] }] }))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "10.1.0.300": must be a valid IPv4 address',
    ]);
    expect(errorsOf(slice({ addressType: "IPv6", endpoints: [{ addresses: ["fd00::1", "::ffff:10.0.0.1"] }] }))).toEqual([]);
    expect(errorsOf(slice({ addressType: "FQDN", endpoints: [{ addresses: ["web.example.com"] }] }))).toEqual([]);
    const { addressType: _omitted, ...untyped } = slice({});
    expect(errorsOf(untyped)).toEqual(["addressType: Required value"]);
  });
});

describe("Service validation (as the API server's)", () => {
  it("checks port ranges, target ports and names", () => {
    expect(errorsOf(service({ ports: [{ port: 80, targetPort: 8080 }] }))).toEqual([]);
    expect(errorsOf(service({ ports: [{ port: 80, targetPort: "http-alt" }] }))).toEqual([]);
    expect(errorsOf(service({ ports: [{ port: 0 }] }))).toEqual(["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"]);
    expect(errorsOf(service({ ports: [{ port: 80, targetPort: 70000 }] }))).toEqual([
      "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
    ]);
    expect(errorsOf(service({ ports: [{ name: "Bad_Name", port: 80 }] }))[0]).toContain('spec.ports[0].name: Invalid value: "Bad_Name"');
    expect(errorsOf(service({ ports: [{ port: 80, targetPort: "Not_A_Name" }] })).length).toBeGreaterThan(0);
  });

  it("requires ports unless headless or ExternalName, and a name for ExternalName", () => {
    expect(errorsOf(service({}))).toEqual(["spec.ports: Required value"]);
    expect(errorsOf(service({ clusterIP: "None" }))).toEqual([]);
    expect(errorsOf(service({ type: "ExternalName", externalName: "db.example.com" }))).toEqual([]);
    expect(errorsOf(service({ type: "ExternalName" }))).toEqual(["spec.externalName: Required value"]);
  });

  it("refuses only the bad object of a file: the other slices of the Service load", () => {
    const text = [
      slice({ metadata: { namespace: "apps", name: "good" } }),
      slice({ metadata: { namespace: "apps", name: "bad" }, ports: [{ name: "http", port: 70000 }] }),
    ]
      .map((o) => JSON.stringify(o))
      .join("\n---\n");
    const r = loadText(text, "slices.yaml");
    expect(r.objects.map((o) => o.object.metadata.name)).toEqual(["good"]);
    expect(r.problems.map((p) => `${p.identity.name}: ${p.path}`)).toEqual(["bad: ports[0].port"]);
  });
});

describe("unsigned fields of gateway.envoyproxy.io kinds (Go uint32/uint64)", () => {
  const btp = (tcpKeepalive: Record<string, unknown>) => ({
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { namespace: "apps", name: "p" },
    spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "r" }], tcpKeepalive },
  });

  it("refuses negative and too large values, which upstream's typed decoding refuses", () => {
    expect(errorsOf(btp({ probes: 3 }))).toEqual([]);
    expect(errorsOf(btp({ probes: -1 }))).toEqual(["spec.tcpKeepalive.probes: Invalid value: -1: must be an unsigned integer no greater than 4294967295"]);
    expect(errorsOf(btp({ probes: 4294967296 }))).toEqual([
      "spec.tcpKeepalive.probes: Invalid value: 4294967296: must be an unsigned integer no greater than 4294967295",
    ]);
  });
});
