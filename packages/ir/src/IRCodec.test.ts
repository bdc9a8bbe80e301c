import { describe, expect, it } from "vitest";
import {
  decodeInfra,
  decodeXds,
  decodeXdsIRMap,
  encodeInfra,
  encodeXds,
  encodeXdsIRMap,
  IRDecodeError,
  parseInfraYaml,
  parseXdsYaml,
  safeDecodeXds,
} from "@egts/ir";

const listener = { name: "default/gw/http", address: "0.0.0.0", port: 10080, hostnames: ["*"] };

const issuesOf = (value: unknown): readonly string[] => {
  const r = safeDecodeXds(value);
  return r.ok ? [] : r.issues;
};

describe("decode errors name the field", () => {
  it("reports a wrong scalar type with its full path", () => {
    const ir = { http: [{ ...listener, routes: [{ name: "r", hostname: "*", traffic: { retry: { numRetries: "x" } } }] }] };
    expect(issuesOf(ir)).toEqual(['http[0].routes[0].traffic.retry.numRetries: expected integer (uint32), got "x"']);
  });

  it("reports unknown fields instead of dropping them", () => {
    expect(issuesOf({ http: [{ ...listener, colour: "blue" }] })).toEqual(["http[0].colour: unknown field of HTTPListener"]);
  });

  it("reports every problem at once, and decodeXds throws them", () => {
    const bad = { http: [{ ...listener, port: -1, hostnames: "x" }], tcp: {} };
    expect(issuesOf(bad)).toEqual([
      "http[0].port: expected integer (uint32), got -1",
      'http[0].hostnames: expected list, got "x"',
      "tcp: expected list, got object",
    ]);
    expect(() => decodeXds(bad)).toThrow(IRDecodeError);
    expect(() => decodeXds(bad)).toThrow(/http\[0\]\.port/);
  });

  it("prefixes issues with the caller's path", () => {
    expect(() => decodeInfra({ proxy: { name: 1 } }, "infraIR.gw")).toThrow("infraIR.gw.proxy.name: expected string, got 1");
  });

  it("rejects a non-object root", () => {
    expect(issuesOf([])).toEqual(["expected object (Xds), got array"]);
  });

  it("rejects bad durations", () => {
    const ir = { http: [{ ...listener, timeout: { http: { idleTimeout: "ten seconds" } } }] };
    expect(issuesOf(ir)[0]).toMatch(/^http\[0\]\.timeout\.http\.idleTimeout: expected duration/);
  });
});

describe("encoding", () => {
  it("omits omitempty zero values and keeps required ones, as Go does", () => {
    const ir = decodeXds({ http: [{ ...listener, tlsOverlaps: false, routes: [{ name: "r", hostname: "*", isHTTP2: false }] }] });
    const out = encodeXds(ir) as { http: Record<string, unknown>[] };
    expect(out.http[0]).not.toHaveProperty("tlsOverlaps");
    expect(out.http[0]?.["routes"]).toEqual([{ name: "r", hostname: "*", isHTTP2: false }]);
  });

  it("writes durations in Go's canonical form", () => {
    const ir = decodeXds({ http: [{ ...listener, timeout: { http: { idleTimeout: "90s" } } }] });
    expect((encodeXds(ir) as { http: { timeout: unknown }[] }).http[0]?.timeout).toEqual({ http: { idleTimeout: "1m30s" } });
  });

  it("decodes bytes from base64 or integer arrays and encodes base64; private keys are redacted", () => {
    const pem = Buffer.from("-----BEGIN CERTIFICATE-----\n");
    const cert = { name: "c", certificate: [...pem], privateKey: pem.toString("base64") };
    const ir = decodeXds({ http: [{ ...listener, tls: { certificates: [cert] } }] });
    const decoded = ir.http?.[0]?.tls?.certificates?.[0];
    expect(Buffer.from(decoded?.certificate ?? []).equals(pem)).toBe(true);
    expect(Buffer.from(decoded?.privateKey ?? []).equals(pem)).toBe(true);
    const encoded = encodeXds(ir) as { http: { tls: { certificates: unknown[] } }[] };
    expect(encoded.http[0]?.tls.certificates[0]).toEqual({ name: "c", certificate: pem.toString("base64"), privateKey: "[redacted]" });
    const revealed = encodeXds(ir, { revealPrivateKeys: true }) as typeof encoded;
    expect(revealed.http[0]?.tls.certificates[0]).toMatchObject({ privateKey: pem.toString("base64") });
  });

  it("reports a byte array with an out-of-range element", () => {
    const ir = { http: [{ ...listener, tls: { certificates: [{ name: "c", certificate: [1, 300] }] } }] };
    expect(issuesOf(ir)).toEqual(["http[0].tls.certificates[0].certificate[1]: expected byte (0-255), got 300"]);
  });

  it("encodes an infra IR with upstream's names", () => {
    const infra = decodeInfra({
      proxy: { name: "gw", namespace: "ns", listeners: [{ name: "l", ports: [{ name: "http", protocol: "HTTP", servicePort: 80, containerPort: 10080 }] }] },
    });
    expect(encodeInfra(infra)).toEqual({
      proxy: { name: "gw", namespace: "ns", listeners: [{ name: "l", ports: [{ name: "http", protocol: "HTTP", servicePort: 80, containerPort: 10080 }] }] },
    });
  });
});

describe("YAML and maps", () => {
  it("reads YAML like upstream's loader: case-insensitive names, numbers for string fields", () => {
    const ir = parseXdsYaml(`
accesslog:
  text:
  - path: /dev/stdout
http:
- name: l
  address: 0.0.0.0
  port: 10080
  hostnames: ["*"]
  routes:
  - name: r
    hostname: "*"
    headerMatches:
    - name: x-id
      exact: 123
`);
    expect(ir.accessLog?.text?.[0]?.path).toBe("/dev/stdout");
    expect(ir.http?.[0]?.routes?.[0]?.headerMatches?.[0]?.exact).toBe("123");
  });

  it("does not accept numbers for strings in JSON", () => {
    const ir = { http: [{ ...listener, routes: [{ name: 1, hostname: "*" }] }] };
    expect(issuesOf(ir)).toEqual(["http[0].routes[0].name: expected string, got 1"]);
  });

  it("reports YAML syntax errors and treats an empty document as the zero IR", () => {
    expect(() => parseXdsYaml("http: [")).toThrow(IRDecodeError);
    expect(parseXdsYaml("")).toEqual({});
    expect(parseInfraYaml("proxy:\n  name: p\n  namespace: n\n").proxy?.name).toBe("p");
  });

  it("rejects unknown fields unless told to skip them, as Go's non-strict YAML decoding does", () => {
    const text =
      "http:\n- name: l\n  address: 0.0.0.0\n  port: 80\n  hostnames: ['*']\n  routes:\n  - name: r\n    hostname: '*'\n    traffic:\n      name: stray\n";
    expect(() => parseXdsYaml(text)).toThrow("http[0].routes[0].traffic.name: unknown field of TrafficFeatures");
    const ir = parseXdsYaml(text, { ignoreUnknownFields: true });
    expect(ir.http?.[0]?.routes?.[0]?.name).toBe("r");
    expect(ir.http?.[0]?.routes?.[0]?.traffic).toEqual({});
  });

  it("round-trips IR maps keyed by IR key, naming the key in errors", () => {
    const map = decodeXdsIRMap({ "envoy-gateway/gateway-1": { http: [listener] } });
    expect([...map.keys()]).toEqual(["envoy-gateway/gateway-1"]);
    expect(encodeXdsIRMap(map)).toEqual({ "envoy-gateway/gateway-1": { http: [{ ...listener, path: { mergeSlashes: false, escapedSlashesAction: "" } }] } });
    expect(() => decodeXdsIRMap({ "envoy-gateway/gateway-1": { http: [{ port: "x" }] } })).toThrow(
      '"envoy-gateway/gateway-1".http[0].port: expected integer (uint32), got "x"',
    );
  });
});

describe("any IR type by name", () => {
  it("decodes, encodes and zero-fills a single type", async () => {
    const { decodeIRValue, encodeIRValue, safeDecodeIRValue, zeroIRValue } = await import("@egts/ir");
    const route = decodeIRValue("HTTPRoute", { name: "r", hostname: "*", pathMatch: { prefix: "/api" } });
    expect(route.isHTTP2).toBe(false);
    expect(encodeIRValue("HTTPRoute", route)).toEqual({ name: "r", hostname: "*", isHTTP2: false, pathMatch: { name: "", prefix: "/api", distinct: false } });
    expect(zeroIRValue("CoreListenerDetails")).toEqual({ name: "", address: "", port: 0 });
    expect(zeroIRValue("HTTPListener").path).toEqual({ mergeSlashes: false, escapedSlashesAction: "" });
    const bad = safeDecodeIRValue("RouteDestination", { name: "d", settings: [{ weight: -1 }] }, "route.destination");
    expect(bad).toEqual({ ok: false, issues: ["route.destination.settings[0].weight: expected integer (uint32), got -1"] });
  });
});

describe("YAML output", () => {
  it("writes sorted keys in upstream's layout and reads back the same IR", async () => {
    const { irEqual, stringifyXdsYaml } = await import("@egts/ir");
    const ir = decodeXds({ http: [{ ...listener, routes: [{ name: "r", hostname: "*" }] }] });
    const text = stringifyXdsYaml(ir);
    expect(text).toBe(
      [
        "http:",
        "- address: 0.0.0.0",
        "  hostnames:",
        '  - "*"',
        "  name: default/gw/http",
        "  path:",
        '    escapedSlashesAction: ""',
        "    mergeSlashes: false",
        "  port: 10080",
        "  routes:",
        '  - hostname: "*"',
        "    isHTTP2: false",
        "    name: r",
        "",
      ].join("\n"),
    );
    expect(irEqual(parseXdsYaml(text), ir)).toBe(true);
  });
});

describe("untrusted input", () => {
  it("keeps a __proto__ key as data, in maps and opaque JSON alike", () => {
    const infra = decodeInfra(JSON.parse('{"proxy":{"name":"p","namespace":"n","metadata":{"labels":{"__proto__":"x"}}}}') as unknown);
    const labels = infra.proxy?.metadata?.labels ?? {};
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(["__proto__"]);
    expect(JSON.stringify(encodeInfra(infra))).toContain('"labels":{"__proto__":"x"}');
    const ir = decodeXds(JSON.parse('{"extensionServerPolicies":[{"object":{"__proto__":{"polluted":true}}}]}') as unknown);
    const object = ir.extensionServerPolicies?.[0]?.object ?? {};
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(JSON.stringify(encodeXds(ir))).toContain('"__proto__":{"polluted":true}');
  });

  it("copies opaque JSON instead of sharing it with the input", () => {
    const value = { a: [1] };
    const ir = decodeXds({
      envoyPatchPolicies: [{ name: "p", namespace: "n", jsonPatches: [{ type: "t", name: "x", operation: { op: "add", path: "/a", value } }] }],
    });
    value.a.push(2);
    expect(ir.envoyPatchPolicies?.[0]?.jsonPatches?.[0]?.operation.value).toEqual({ a: [1] });
  });

  it("bounds the depth of opaque JSON", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    const r = safeDecodeXds({ extensionServerPolicies: [{ object: { spec: deep } }] });
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.issues[0]).toMatch(/^extensionServerPolicies\[0\]\.object\.spec(\[0\])+: JSON nested too deeply$/);
  });
});
