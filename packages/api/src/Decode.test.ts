import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decodeEnvoyGateway, decodeObject, formatInvalid, type DecodeResult, type Gateway, type HTTPRoute } from "@egts/api";

/** Decodes a YAML manifest and returns its error lines (`path: message`), or [] when valid. */
function errorsOf(yaml: string): string[] {
  const r = decodeObject(parse(yaml));
  return r.ok ? [] : r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}

function ok(r: DecodeResult): Extract<DecodeResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected a valid object, got ${formatInvalid(r.identity, r.errors)}`);
  return r;
}

const gateway = (listeners: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: eg, namespace: default }
spec:
  gatewayClassName: eg
  listeners:
${listeners}`;

describe("Gateway", () => {
  it("accepts a valid Gateway and applies CRD defaults", () => {
    const r = ok(decodeObject(parse(gateway("  - { name: http, protocol: HTTP, port: 80 }"))));
    expect(r.object.kind).toBe("Gateway");
    const listener = (r.object as Gateway).spec.listeners[0];
    expect(listener?.allowedRoutes).toEqual({ namespaces: { from: "Same" } });
  });

  it("rejects an out-of-range port with the apiserver's message", () => {
    expect(errorsOf(gateway("  - { name: http, protocol: HTTP, port: 88888 }"))).toEqual([
      "spec.listeners[0].port: Invalid value: 88888: spec.listeners[0].port in body should be less than or equal to 65535",
    ]);
  });

  it("rejects duplicate listener names (list-map key and CEL rules)", () => {
    expect(errorsOf(gateway("  - { name: tcp, protocol: TCP, port: 1234 }\n  - { name: tcp, protocol: TCP, port: 1234 }"))).toEqual([
      'spec.listeners[1]: Duplicate value: {"name":"tcp"}',
      "spec.listeners: Invalid value: Listener name must be unique within the Gateway",
      "spec.listeners: Invalid value: Combination of port, protocol and hostname must be unique for each listener",
    ]);
  });

  it("rejects a bad enum value", () => {
    expect(errorsOf(gateway("  - { name: http, protocol: HTTP, port: 80, allowedRoutes: { namespaces: { from: Everywhere } } }"))).toEqual([
      'spec.listeners[0].allowedRoutes.namespaces.from: Unsupported value: "Everywhere": supported values: "All", "Selector", "Same"',
    ]);
  });

  it("rejects a hostname on a TCP listener (CEL)", () => {
    expect(errorsOf(gateway("  - { name: tcp, protocol: TCP, port: 90, hostname: foo.com }"))).toEqual([
      "spec.listeners: Invalid value: hostname must not be specified for protocols ['TCP', 'UDP']",
    ]);
  });

  it("rejects an invalid hostname format", () => {
    const errs = errorsOf(gateway("  - { name: http, protocol: HTTP, port: 80, hostname: 'Bad_Host' }"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^spec\.listeners\[0\]\.hostname: Invalid value: "Bad_Host": spec\.listeners\[0\]\.hostname in body should match/);
  });

  it("reports a missing required field and an unknown field", () => {
    expect(errorsOf(gateway("  - { protocol: HTTP, port: 80, colour: blue }"))).toContain('spec.listeners[0].colour: unknown field "spec.listeners[0].colour"');
    expect(errorsOf(gateway("  - { protocol: HTTP, port: 80 }"))).toContain("spec.listeners[0].name: Required value");
  });
});

describe("GatewayClass and ListenerSet", () => {
  it("checks the controllerName format", () => {
    const errs = errorsOf(
      "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: eg }\nspec: { controllerName: 'not a domain/path' }",
    );
    expect(errs[0]).toMatch(/^spec\.controllerName: Invalid value: "not a domain\/path": spec\.controllerName in body should match/);
  });

  it("drops the namespace of a cluster-scoped object and gives a namespaced one Envoy Gateway's namespace", () => {
    const gc = ok(
      decodeObject(
        parse(
          "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: eg, namespace: x }\nspec: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }",
        ),
      ),
    );
    expect(gc.object.metadata.namespace).toBeUndefined();
    const ls = ok(
      decodeObject(
        parse(
          "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: { name: ls }\nspec: { parentRef: { name: eg }, listeners: [{ name: a, protocol: HTTP, port: 8080 }] }",
        ),
      ),
    );
    expect(ls.object.metadata.namespace).toBe("envoy-gateway-system");
  });

  it("rejects a ListenerSet listener port of 0", () => {
    expect(
      errorsOf(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: { name: ls }\nspec: { parentRef: { name: eg }, listeners: [{ name: a, protocol: HTTP, port: 0 }] }",
      ),
    ).toEqual(["spec.listeners[0].port: Invalid value: 0: spec.listeners[0].port in body should be greater than or equal to 1"]);
  });
});

const httpRoute = (rules: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: default }
spec:
  parentRefs: [{ name: eg }]
  rules:
${rules}`;

describe("HTTPRoute", () => {
  it("applies defaults: parentRef group/kind, path match, backendRef weight", () => {
    const r = ok(decodeObject(parse(httpRoute("  - backendRefs: [{ name: svc, port: 80 }]"))));
    const route = r.object as HTTPRoute;
    expect(route.spec.parentRefs?.[0]).toEqual({ group: "gateway.networking.k8s.io", kind: "Gateway", name: "eg" });
    const rule = route.spec.rules?.[0];
    expect(rule?.matches).toEqual([{ path: { type: "PathPrefix", value: "/" } }]);
    expect(rule?.backendRefs?.[0]).toEqual({ group: "", kind: "Service", name: "svc", port: 80, weight: 1 });
  });

  it("rejects a path that does not start with /", () => {
    expect(errorsOf(httpRoute("  - matches: [{ path: { type: PathPrefix, value: foo } }]"))).toContain(
      "spec.rules[0].matches[0].path: Invalid value: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    );
  });

  it("rejects ReplacePrefixMatch without a single PathPrefix match (filter/match combination)", () => {
    const errs = errorsOf(
      httpRoute(`  - matches: [{ path: { type: Exact, value: /a } }]
    filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /b } } }]`),
    );
    expect(errs).toContain(
      "spec.rules[0]: Invalid value: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
    );
  });

  it("rejects a repeated RequestHeaderModifier filter", () => {
    const errs = errorsOf(
      httpRoute(`  - filters:
    - { type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: a, value: b }] } }
    - { type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: c, value: d }] } }`),
    );
    expect(errs).toEqual(["spec.rules[0].filters: Invalid value: RequestHeaderModifier filter cannot be repeated"]);
  });

  it("rejects a Service backendRef without port", () => {
    expect(errorsOf(httpRoute("  - backendRefs: [{ name: svc }]"))).toEqual([
      "spec.rules[0].backendRefs[0]: Invalid value: Must have port for Service reference",
    ]);
  });

  it("accepts an older served version (v1beta1) and rejects an unserved one", () => {
    const yaml = httpRoute("  - backendRefs: [{ name: svc, port: 80 }]").replace("gateway.networking.k8s.io/v1", "gateway.networking.k8s.io/v1beta1");
    expect(ok(decodeObject(parse(yaml))).info.version).toBe("v1beta1");
    const r = decodeObject(parse(yaml.replace("v1beta1", "v1alpha2")));
    expect(r.ok ? "ok" : r.reason).toBe("unknown-kind");
  });
});

const grpcRoute = (match: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: g, namespace: default }
spec:
  parentRefs: [{ name: eg }]
  rules:
  - matches: [${match}]
`;

describe("GRPCRoute", () => {
  it("rejects an HTTP path match (GRPCRoute has none)", () => {
    expect(errorsOf(grpcRoute("{ path: { type: RegularExpression, value: '/foo.*' } }"))).toEqual([
      'spec.rules[0].matches[0].path: unknown field "spec.rules[0].matches[0].path"',
    ]);
  });

  it("rejects an Exact method match whose service is not a gRPC name, case-insensitively accepting valid ones", () => {
    expect(errorsOf(grpcRoute("{ method: { type: Exact, service: 'foo/bar' } }"))).toEqual([
      "spec.rules[0].matches[0].method: Invalid value: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)",
    ]);
    expect(errorsOf(grpcRoute("{ method: { type: Exact, service: 'Foo.Bar', method: Get } }"))).toEqual([]);
    expect(errorsOf(grpcRoute("{ method: { type: RegularExpression, service: 'foo.*' } }"))).toEqual([]);
  });

  it("requires service or method when a method match type is set", () => {
    expect(errorsOf(grpcRoute("{ method: { type: Exact } }"))).toEqual([
      "spec.rules[0].matches[0].method: Invalid value: One or both of 'service' or 'method' must be specified",
    ]);
  });
});

describe("TCPRoute, UDPRoute, TLSRoute, ReferenceGrant, BackendTLSPolicy", () => {
  it("limits a TCPRoute to one rule", () => {
    const y =
      "apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: { name: t }\nspec: { rules: [{ backendRefs: [{ name: a, port: 1 }] }, { backendRefs: [{ name: b, port: 2 }] }] }";
    expect(errorsOf(y)).toEqual(["spec.rules: Too many: 2: must have at most 1 items"]);
  });

  it("rejects a UDPRoute backend port out of range", () => {
    const y = "apiVersion: gateway.networking.k8s.io/v1\nkind: UDPRoute\nmetadata: { name: u }\nspec: { rules: [{ backendRefs: [{ name: a, port: 70000 }] }] }";
    expect(errorsOf(y)).toEqual([
      "spec.rules[0].backendRefs[0].port: Invalid value: 70000: spec.rules[0].backendRefs[0].port in body should be less than or equal to 65535",
    ]);
  });

  it("requires TLSRoute hostnames in v1", () => {
    const y = "apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: { name: t }\nspec: { rules: [{ backendRefs: [{ name: a, port: 443 }] }] }";
    expect(errorsOf(y)).toContain("spec.hostnames: Required value");
  });

  it("requires ReferenceGrant from.kind", () => {
    const y =
      "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: g }\nspec: { from: [{ group: gateway.networking.k8s.io, namespace: a }], to: [{ group: '', kind: Service }] }";
    expect(errorsOf(y)).toEqual(["spec.from[0].kind: Required value"]);
  });

  it("rejects a BackendTLSPolicy with both well-known CAs and CA refs", () => {
    const y = `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: { name: p }
spec:
  targetRefs: [{ group: '', kind: Service, name: s }]
  validation: { hostname: example.com, wellKnownCACertificates: System, caCertificateRefs: [{ group: '', kind: ConfigMap, name: ca }] }`;
    expect(errorsOf(y)).toEqual(["spec.validation: Invalid value: must not contain both CACertificateRefs and WellKnownCACertificates"]);
  });
});

const policy = (kind: string, spec: string) => `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ${kind}
metadata: { name: p, namespace: default }
spec:
${spec}`;

describe("gateway.envoyproxy.io policies", () => {
  it("rejects a ClientTrafficPolicy targeting an HTTPRoute", () => {
    expect(errorsOf(policy("ClientTrafficPolicy", "  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: r }]"))).toEqual([
      "spec: Invalid value: this policy can only have a targetRefs[*].kind of Gateway or ListenerSet",
    ]);
  });

  it("rejects a policy that sets both targetRef and targetRefs", () => {
    const errs = errorsOf(
      policy(
        "BackendTrafficPolicy",
        "  targetRef: { group: gateway.networking.k8s.io, kind: Gateway, name: eg }\n  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: r }]",
      ),
    );
    expect(errs).toContain("spec: Invalid value: either targetRef or targetRefs must be used");
  });

  it("rejects mergeType on a SecurityPolicy targeting a Gateway", () => {
    const errs = errorsOf(
      policy("SecurityPolicy", "  mergeType: StrategicMerge\n  targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: eg }]"),
    );
    expect(errs).toEqual(["spec: Invalid value: mergeType can only be used with xRoute targets"]);
  });

  it("checks BackendTrafficPolicy durations and bounds", () => {
    const errs = errorsOf(
      policy(
        "BackendTrafficPolicy",
        "  targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: eg }]\n  timeout: { tcp: { connectTimeout: 20kib } }\n  circuitBreaker: { maxConnections: -1 }",
      ),
    );
    expect(errs.sort()).toEqual([
      "spec.circuitBreaker.maxConnections: Invalid value: -1: spec.circuitBreaker.maxConnections in body should be greater than or equal to 0",
      "spec.timeout.tcp.connectTimeout: Invalid value: \"20kib\": spec.timeout.tcp.connectTimeout in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'",
    ]);
  });

  it("evaluates CEL duration() comparisons", () => {
    const base = "  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: r }]\n";
    expect(errorsOf(policy("BackendTrafficPolicy", `${base}  http2: { connectionKeepalive: { timeout: 5s, interval: 3s } }`))).toContain(
      "spec.http2.connectionKeepalive: Invalid value: timeout must be less than interval",
    );
    expect(errorsOf(policy("BackendTrafficPolicy", `${base}  http2: { connectionKeepalive: { timeout: 1s, interval: 1m } }`))).toEqual([]);
  });

  it("rejects an EnvoyExtensionPolicy extProc backendRef without port", () => {
    const errs = errorsOf(
      policy(
        "EnvoyExtensionPolicy",
        "  targetRefs: [{ group: gateway.networking.k8s.io, kind: Gateway, name: eg }]\n  extProc: [{ backendRefs: [{ name: proc }] }]",
      ),
    );
    expect(errs).toEqual(["spec.extProc[0].backendRefs[0]: Invalid value: Must have port for Service reference"]);
  });

  it("rejects a bad EnvoyPatchPolicy type enum", () => {
    const errs = errorsOf(policy("EnvoyPatchPolicy", "  type: YAMLPatch\n  targetRef: { group: gateway.networking.k8s.io, kind: Gateway, name: eg }"));
    expect(errs).toEqual(['spec.type: Unsupported value: "YAMLPatch": supported values: "JSONPatch"']);
  });
});

describe("Backend, EnvoyProxy, HTTPRouteFilter", () => {
  it("rejects mixing FQDN and IP endpoints in a Backend", () => {
    const y = policy("Backend", "  endpoints: [{ fqdn: { hostname: a.com, port: 80 } }, { ip: { address: 1.2.3.4, port: 80 } }]");
    expect(errorsOf(y)).toEqual(["spec.endpoints: Invalid value: fqdn addresses cannot be mixed with other address types"]);
  });

  it("rejects an EnvoyProxy access log File sink without file settings", () => {
    const y = policy("EnvoyProxy", "  telemetry: { accessLog: { settings: [{ sinks: [{ type: File }] }] } }");
    expect(errorsOf(y)).toEqual(["spec.telemetry.accessLog.settings[0].sinks[0]: Invalid value: If AccessLogSink type is File, file field needs to be set."]);
  });

  it("requires the substitution of an HTTPRouteFilter regex rewrite", () => {
    const y = policy("HTTPRouteFilter", "  urlRewrite: { path: { type: ReplaceRegexMatch, replaceRegexMatch: { pattern: '^/a' } } }");
    expect(errorsOf(y)).toEqual(["spec.urlRewrite.path.replaceRegexMatch.substitution: Required value"]);
  });
});

describe("object metadata", () => {
  it("checks the name and namespace as the apiserver does on create", () => {
    const route = (meta: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: ${meta}\nspec: {}`;
    expect(errorsOf(route("{ name: a/b }"))).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
    expect(errorsOf(route("{ name: r, namespace: Team_A }"))[0]).toMatch(
      /^metadata\.namespace: Invalid value: "Team_A": a lowercase RFC 1123 label must consist of/,
    );
    expect(errorsOf(route("{ name: r, namespace: team-a }"))).toEqual([]);
  });
});

describe("core kinds and identity", () => {
  it("type-checks core kinds without CRD validation and keeps unknown core fields as warnings", () => {
    const r = ok(decodeObject(parse("apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80 }], fancy: 1 }")));
    expect(r.object.metadata.namespace).toBe("envoy-gateway-system");
    expect(r.warnings.map((w) => w.path)).toEqual(["spec.fancy"]);
    expect(errorsOf("apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: eighty }] }")).toEqual([
      'spec.ports[0].port: Invalid value: "string": spec.ports[0].port in body must be of type integer: "string"',
    ]);
  });

  it("reports unknown kinds, missing kind and non-objects without throwing", () => {
    const unknown = decodeObject({ apiVersion: "example.io/v1", kind: "Widget", metadata: { name: "w" } });
    expect(unknown.ok ? "ok" : unknown.reason).toBe("unknown-kind");
    const missing = decodeObject({ apiVersion: "v1", metadata: { name: "w" } });
    expect(missing.ok ? [] : missing.errors.map((e) => e.path)).toEqual(["kind"]);
    expect(decodeObject("text").ok).toBe(false);
    expect(errorsOf("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n")).toEqual(["metadata.name: Required value: name or generateName is required"]);
  });

  it("formats several errors as upstream's validator does", () => {
    const text = formatInvalid({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: "eg" }, [
      { path: "spec.a", message: "Required value", severity: "error" },
      { path: "spec.b", message: "Required value", severity: "error" },
    ]);
    expect(text).toBe('Gateway.gateway.networking.k8s.io "eg" is invalid: [spec.a: Required value, spec.b: Required value]');
  });
});

describe("EnvoyGateway configuration", () => {
  it("decodes the controller's config file and rejects a wrong kind or unknown top-level field", () => {
    const r = decodeEnvoyGateway(
      parse(`apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyGateway
gateway: { controllerName: gateway.envoyproxy.io/gatewayclass-controller }
provider: { type: Custom, custom: { resource: { type: File, file: { paths: [/etc/eg] } } } }
extensionApis: { enableBackend: true }
`),
    );
    expect(r.ok && r.config.provider?.custom?.resource.file?.paths).toEqual(["/etc/eg"]);
    expect(decodeEnvoyGateway({ apiVersion: "v1", kind: "ConfigMap" }).ok).toBe(false);
    const unknown = decodeEnvoyGateway({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyGateway", colour: "red" });
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.path)).toEqual(["colour"]);
  });
});

describe("EnvoyGateway among resources", () => {
  it("is not decoded as a resource", () => {
    const r = decodeObject({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyGateway", gateway: {} });
    expect(r.ok ? "ok" : r.reason).toBe("unknown-kind");
  });
});
