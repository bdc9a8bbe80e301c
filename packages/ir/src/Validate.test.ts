import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Xds } from "@egts/ir";
import { decodeXds, decodeXdsIRMap, formatIRValidationError, validateJSONPatchOperation, validateXds } from "@egts/ir";

const listener = { name: "default/gw/http", address: "0.0.0.0", port: 10080, hostnames: ["*"] };
const endpoint = { host: "10.0.0.1", port: 8080 };
const route = { name: "r", hostname: "*", destination: { name: "d", settings: [{ endpoints: [endpoint] }] } };
const messages = (ir: unknown): string[] => validateXds(decodeXds(ir)).map(formatIRValidationError);

describe("validateXds", () => {
  it("accepts a well-formed IR", () => {
    expect(messages({ http: [{ ...listener, routes: [route] }] })).toEqual([]);
  });

  it("reports listener name, address, port and hostnames", () => {
    expect(messages({ http: [{ name: "", address: "not-an-ip", port: 0 }] })).toEqual([
      "http[0].name: field Name must be specified",
      "http[0].address: field Address must be a valid IP address",
      "http[0].port: field Port specified is invalid",
      "http[0].hostnames: field Hostnames must be specified with at least a single hostname entry",
    ]);
    expect(messages({ tcp: [{ name: "t", address: "::", port: 0 }], udp: [{ name: "", address: "::1", port: 53 }] })).toEqual([
      "tcp[0].port: field Port specified is invalid",
      "udp[0].name: field Name must be specified",
    ]);
  });

  it("reports missing route names and hostnames", () => {
    expect(messages({ http: [{ ...listener, routes: [{ ...route, name: "", hostname: "" }] }] })).toEqual([
      "http[0].routes[0].name: field Name must be specified",
      "http[0].routes[0].hostname: field Hostname must be specified",
    ]);
  });

  it("reports conflicting or empty string matches", () => {
    const r = {
      ...route,
      pathMatch: { exact: "/a", prefix: "/a" },
      headerMatches: [{ name: "x" }],
      queryParamMatches: [{ name: "", distinct: true, invert: true }],
    };
    expect(messages({ http: [{ ...listener, routes: [r] }] })).toEqual([
      "http[0].routes[0].pathMatch: only one of the Exact, Prefix, SafeRegex or Distinct fields must be set",
      "http[0].routes[0].headerMatches[0]: only one of the Exact, Prefix, SafeRegex or Distinct fields must be set",
      "http[0].routes[0].queryParamMatches[0].name: field Name must be specified",
      "http[0].routes[0].queryParamMatches[0].invert: only one of the Invert or Distinct fields can be set",
    ]);
  });

  it("reports bad endpoints, including Unix socket ones", () => {
    const settings = [
      {
        endpoints: [
          { host: "Not_A_Host", port: 0 },
          { host: "10.0.0.1", port: 1, path: "/var/run/sock" },
        ],
      },
    ];
    expect(messages({ http: [{ ...listener, routes: [{ ...route, destination: { name: "", settings } }] }] })).toEqual([
      "http[0].routes[0].destination.name: field Name must be specified",
      "http[0].routes[0].destination.settings[0].endpoints[0].host: field Address must be a valid IP or FQDN address",
      "http[0].routes[0].destination.settings[0].endpoints[0].port: field Port specified is invalid",
      "http[0].routes[0].destination.settings[0].endpoints[1].port: field Port must not be specified for Unix Domain Socket address",
      "http[0].routes[0].destination.settings[0].endpoints[1].host: field Host must not be specified for Unix Domain Socket address",
    ]);
  });

  it("reports redirects, rewrites and direct responses", () => {
    const r = {
      ...route,
      redirect: { scheme: "ftp", statusCode: 304, path: {} },
      urlRewrite: { path: { fullReplace: "/a", regexMatchReplace: { pattern: ".*", substitution: "" } }, host: { name: "a", header: "b" } },
      directResponse: { statusCode: 700 },
    };
    expect(messages({ http: [{ ...listener, routes: [r] }] })).toEqual([
      "http[0].routes[0].redirect.scheme: only http and https are supported for the scheme in redirect filters",
      "http[0].routes[0].redirect.path: redirect filter cannot have a path modifier that does not supply either fullPathReplace, prefixMatchReplace or regexMatchReplace",
      "http[0].routes[0].redirect.statusCode: only HTTP status codes 301, 302, 303, 307 and 308 are supported for redirect filters",
      "http[0].routes[0].directResponse.statusCode: only HTTP status codes 100 - 599 are supported for DirectResponse",
      "http[0].routes[0].urlRewrite.path: redirect filter cannot have a path modifier that supplies more than one of fullPathReplace, prefixMatchReplace and regexMatchReplace",
      "http[0].routes[0].urlRewrite.path.regexMatchReplace: redirect filter cannot have a path modifier that does not supply either fullPathReplace, prefixMatchReplace or regexMatchReplace",
      "http[0].routes[0].urlRewrite.host: url rewrite filter cannot have a host modifier that supplies more than one of Name, Header, Backend and PathRegex",
    ]);
  });

  it("reports duplicate header mutations", () => {
    const r = {
      ...route,
      addRequestHeaders: [
        { name: "x", append: true },
        { name: "x", append: false },
      ],
      removeResponseHeaders: ["a", "b", "a"],
    };
    expect(messages({ http: [{ ...listener, routes: [r] }] })).toEqual([
      "http[0].routes[0].addRequestHeaders[1].name: header modifier filter attempts to add the same header more than once (case insensitive)",
      "http[0].routes[0].removeResponseHeaders[2]: header modifier filter attempts to remove the same header more than once (case insensitive)",
    ]);
  });

  it("reports TLS certificates without key material or with two sources", () => {
    const tls = {
      certificates: [{ name: "a" }, { name: "b", certificate: "YQ==", sds: { secretName: "", scheme: "", address: "" } }],
    };
    expect(messages({ http: [{ ...listener, tls }] })).toEqual([
      "http[0].tls.certificates[0].certificate: field certificate must be specified",
      "http[0].tls.certificates[0].privateKey: field PrivateKey must be specified",
      "http[0].tls.certificates[1]: only one of SDS or inline certificate fields may be specified",
      "http[0].tls.certificates[1].sds.secretName: field SDS SecretName must be specified",
      "http[0].tls.certificates[1].sds.scheme: field SDS Scheme must be specified",
      "http[0].tls.certificates[1].sds.address: field SDS Address must be specified",
    ]);
  });

  it("reports load balancer and health check settings", () => {
    const traffic = {
      loadBalancer: { roundRobin: {}, random: {} },
      healthCheck: {
        active: { timeout: "0s", unhealthyThreshold: 0, http: { path: "", method: "BREW", expectedStatuses: [99] }, tcp: {} },
        passive: { interval: "0s" },
        panicThreshold: 101,
      },
    };
    expect(messages({ http: [{ ...listener, routes: [{ ...route, traffic }] }] })).toEqual([
      "http[0].routes[0].traffic.loadBalancer: loadBalancer setting is invalid, only one setting can be set",
      "http[0].routes[0].traffic.healthCheck.active.timeout: field HealthCheck.Timeout must be specified",
      "http[0].routes[0].traffic.healthCheck.active.unhealthyThreshold: field HealthCheck.UnhealthyThreshold should be greater than 0",
      "http[0].routes[0].traffic.healthCheck.active: health checker setting is invalid, only one health checker can be set",
      "http[0].routes[0].traffic.healthCheck.active.http.path: field HTTPHealthChecker.Path should be specified",
      "http[0].routes[0].traffic.healthCheck.active.http.method: only one of the GET, HEAD, POST, DELETE, OPTIONS, TRACE, PATCH of HTTPHealthChecker.Method could be set",
      "http[0].routes[0].traffic.healthCheck.active.http.expectedStatuses[0]: HTTPStatus should be in [200,600)",
      "http[0].routes[0].traffic.healthCheck.passive.interval: field OutlierDetection.Interval must be specified",
      "http[0].routes[0].traffic.healthCheck.panicThreshold: PanicThreshold value is outside of 0-100 range",
    ]);
  });

  it("reports references to missing backend clusters", () => {
    const ir = {
      backendClusters: [{ name: "shared" }],
      http: [{ ...listener, routes: [{ ...route, destination: { name: "d", backendClusterRefs: [{ name: "shared" }, { name: "gone" }] } }] }],
    };
    expect(validateXds(decodeXds(ir))).toEqual([
      {
        code: "BackendClusterRefNotFound",
        path: "http[0].routes[0].destination.backendClusterRefs[1].name",
        message: "field BackendClusterRefs references a BackendCluster name that does not exist: gone",
      },
    ]);
  });
});

describe("validateJSONPatchOperation", () => {
  it("follows upstream's rules", () => {
    expect(validateJSONPatchOperation({ op: "add", path: "/a", value: 1 })).toBeUndefined();
    expect(validateJSONPatchOperation({ op: "add" })).toBe("a patch operation must specify a path or jsonPath");
    expect(validateJSONPatchOperation({ op: "replace", path: "/a" })).toBe("the replace operation requires a value");
    expect(validateJSONPatchOperation({ op: "move", path: "/a" })).toBe("the move operation requires a valid from attribute");
    expect(validateJSONPatchOperation({ op: "remove", path: "/a", value: 1 })).toBe("value and from can't be specified with the remove operation");
  });
});

const reference = path.resolve(import.meta.dirname, "../../../../shared/reference");

describe.skipIf(!existsSync(reference))("upstream's translated IR", () => {
  // Upstream's own Validate rejects this IR too: a regex rewrite with an empty substitution.
  const upstreamInvalid = new Set(["httproute-with-urlrewrite-filter-regex-match-replace-http"]);
  const cases = readdirSync(path.join(reference, "gatewayapi")).filter((c) => !upstreamInvalid.has(c));

  it("validates without errors", () => {
    const failures: string[] = [];
    for (const name of cases) {
      const expected = JSON.parse(readFileSync(path.join(reference, "gatewayapi", name, "expected.json"), "utf8")) as { xdsIR?: unknown };
      if (expected.xdsIR === undefined) continue;
      for (const [key, ir] of decodeXdsIRMap(expected.xdsIR) as ReadonlyMap<string, Xds>) {
        failures.push(...validateXds(ir, `${name}:${key}`).map(formatIRValidationError));
      }
    }
    expect(failures).toEqual([]);
  });

  it("rejects the IR upstream rejects", () => {
    const name = [...upstreamInvalid][0] ?? "";
    const expected = JSON.parse(readFileSync(path.join(reference, "gatewayapi", name, "expected.json"), "utf8")) as { xdsIR: unknown };
    const errors = [...decodeXdsIRMap(expected.xdsIR).values()].flatMap((ir) => validateXds(ir));
    expect(errors.map((e) => e.code)).toEqual(["HTTPPathModifierNoReplace"]);
  });
});
