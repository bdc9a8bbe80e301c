import { describe, expect, it } from "vitest";
import type { DestinationSetting, RouteDestination } from "@egts/ir";
import {
  backendWeights,
  cidrAddressPrefix,
  clusterFeatures,
  clusterTimeoutAsTimeout,
  decodeXds,
  destinationNeedsClusterPerSetting,
  findHTTPListener,
  formatIRValidationError,
  geoIPRequirements,
  hasConnectUpgrade,
  isDynamicResolverRoute,
  newInfra,
  proxyObjectName,
  routeNeedsClusterPerSetting,
  routeRetry,
  sdsURL,
  timeoutClusterOnly,
  translateJSONPatchOp,
  unavailableWeight,
  validateInfra,
} from "@egts/ir";

const ep = { host: "10.0.0.1", port: 80 };
const s = (setting: Omit<DestinationSetting, "name">): DestinationSetting => ({ name: "s", ...setting });

describe("destination queries", () => {
  it("sums weights by availability", () => {
    const d: RouteDestination = {
      name: "d",
      settings: [
        s({ weight: 3, endpoints: [ep] }),
        s({ weight: 2, invalid: true }),
        s({ weight: 1 }),
        s({ weight: 4, isDynamicResolver: true }),
        s({ endpoints: [ep] }),
      ],
    };
    const w = backendWeights(d);
    expect(w).toEqual({ valid: 7, invalid: 2, noEndpoints: 1 });
    expect(unavailableWeight(w)).toBe(3);
  });

  it("decides when settings need a cluster each", () => {
    expect(destinationNeedsClusterPerSetting({ name: "d", settings: [s({ addressType: "IP" }), s({ addressType: "IP" })] })).toBe(false);
    expect(destinationNeedsClusterPerSetting({ name: "d", settings: [s({ addressType: "FQDN" }), s({ addressType: "IP" })] })).toBe(true);
    expect(destinationNeedsClusterPerSetting({ name: "d", settings: [s({ protocol: "GRPC" }), s({ forceHTTP1Upstream: true })] })).toBe(true);
    expect(destinationNeedsClusterPerSetting({ name: "d", settings: [s({ tls: { autoSNIFromEndpointHostname: true } }), s({})] })).toBe(true);
    const ir = decodeXds({
      http: [
        {
          name: "l",
          address: "::",
          port: 1,
          routes: [
            { name: "a", hostname: "*", destination: { name: "d", settings: [{ weight: 1, endpoints: [ep] }] } },
            { name: "b", hostname: "*", destination: { name: "d", settings: [{ weight: 1 }] } },
            { name: "c", hostname: "*", destination: { name: "d", settings: [{ weight: 1, isDynamicResolver: true }] }, retry: { numRetries: 2 } },
          ],
        },
      ],
    });
    const [a, b, c] = findHTTPListener(ir, "l")?.routes ?? [];
    expect(a && routeNeedsClusterPerSetting(a)).toBe(false);
    expect(b && routeNeedsClusterPerSetting(b)).toBe(true);
    expect(c && isDynamicResolverRoute(c)).toBe(true);
    expect(c && routeRetry(c)).toEqual({ numRetries: 2 });
    expect(findHTTPListener(ir, "missing")).toBeUndefined();
  });
});

describe("traffic and security queries", () => {
  it("splits cluster features and timeouts", () => {
    const traffic = { loadBalancer: { random: {} }, retry: { numRetries: 1 }, httpUpgrade: [{ type: "connect" }] };
    expect(clusterFeatures(traffic)).toEqual({ loadBalancer: { random: {} } });
    expect(hasConnectUpgrade(traffic)).toBe(true);
    expect(hasConnectUpgrade({ httpUpgrade: [{ type: "websocket" }] })).toBe(false);
    const timeout = { tcp: { connectTimeout: "1s" }, http: { requestTimeout: "5s", connectionIdleTimeout: "1m0s" } };
    expect(timeoutClusterOnly(timeout)).toEqual({ tcp: { connectTimeout: "1s" }, http: { connectionIdleTimeout: "1m0s" } });
    expect(clusterTimeoutAsTimeout({ http: { maxConnectionDuration: "1s" } })).toEqual({ http: { maxConnectionDuration: "1s" } });
  });

  it("lists the geolocation fields authorization rules use", () => {
    const authz = {
      defaultAction: "Deny" as const,
      rules: [{ name: "r", action: "Allow" as const, principal: { clientIPGeoLocations: [{ country: "US" }, { asn: 1 }] } }],
    };
    expect(geoIPRequirements(authz)).toEqual({ country: true, region: false, city: false, asn: true, isp: false, anonymous: false });
  });

  it("masks CIDR addresses like netip.Prefix.Masked", () => {
    expect(cidrAddressPrefix({ cidr: "10.1.2.3/8", maskLen: 8, isIPv6: false, distinct: false, invert: false })).toBe("10.0.0.0");
    expect(cidrAddressPrefix({ cidr: "192.168.1.77/32", maskLen: 32, isIPv6: false, distinct: false, invert: false })).toBe("192.168.1.77");
    expect(cidrAddressPrefix({ cidr: "2001:db8:1:2::5/48", maskLen: 48, isIPv6: true, distinct: false, invert: false })).toBe("2001:db8:1::");
    expect(cidrAddressPrefix({ cidr: "::/0", maskLen: 0, isIPv6: true, distinct: false, invert: false })).toBe("::");
    expect(cidrAddressPrefix({ cidr: "10.0.0.0/33", maskLen: 33, isIPv6: false, distinct: false, invert: false })).toBe("");
    expect(cidrAddressPrefix({ cidr: "nonsense", maskLen: 0, isIPv6: false, distinct: false, invert: false })).toBe("");
  });

  it("maps patch operations and SDS URLs", () => {
    expect(translateJSONPatchOp("move")).toBe("move");
    expect(translateJSONPatchOp("merge")).toBe("");
    expect(sdsURL({ secretName: "s", scheme: "unix", address: "/var/run/sds" })).toBe("unix:///var/run/sds");
    expect(sdsURL({ secretName: "s", scheme: "", address: "host:1" })).toBe("host:1");
  });
});

describe("infra", () => {
  it("names proxy objects and validates ports like upstream", () => {
    expect(proxyObjectName({ name: "gw", namespace: "n" })).toBe("envoy-gw");
    expect(proxyObjectName({ name: "", namespace: "n" })).toBe("envoy-default");
    expect(validateInfra(newInfra())).toEqual([]);
    const bad = {
      proxy: {
        name: "",
        namespace: "n",
        listeners: [
          { name: "a", ports: [] },
          { name: "b", ports: [{ name: "", protocol: "HTTP" as const, servicePort: 0, containerPort: 70000 }] },
        ],
      },
    };
    expect(validateInfra(bad).map(formatIRValidationError)).toEqual([
      "proxy.name: name field required",
      "proxy.listeners[0].ports: listener ports field required",
      "proxy.listeners[1].ports[0].name: listener name field required",
      "proxy.listeners[1].ports[0].servicePort: listener service port must be a valid port number",
      "proxy.listeners[1].ports[0].containerPort: listener container port must be a valid port number",
    ]);
  });
});
