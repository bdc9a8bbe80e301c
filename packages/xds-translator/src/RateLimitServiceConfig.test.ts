import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { RateLimitPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/ratelimit/v3/rate_limit";
import type { HTTPListener, HTTPRoute, RateLimitRule } from "@egts/ir";
import { translateXds } from "./index.js";
import { buildRateLimitServiceConfigs, buildRouteRateLimits, rateLimitConfigToJson, routeRateLimitToJson } from "./RateLimitServiceConfig.js";

const route = (name: string, rules: readonly RateLimitRule[]): HTTPRoute => ({
  name,
  hostname: "*",
  isHTTP2: false,
  traffic: { rateLimit: { global: { rules } } },
  destination: { name: `${name}-dest`, settings: [{ name: `${name}-dest/backend/0`, weight: 1, endpoints: [{ host: "1.2.3.4", port: 80 }] }] },
});
const listener = (name: string, routes: readonly HTTPRoute[]): HTTPListener => ({
  name,
  address: "0.0.0.0",
  port: 10080,
  hostnames: ["*"],
  path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
  routes,
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const configsJson = (listeners: readonly HTTPListener[]): any[] => buildRateLimitServiceConfigs(listeners).map(rateLimitConfigToJson) as any[];

const sharedRule: RateLimitRule = { name: "ns/policy/rule/0", shared: true, limit: { requests: 10, unit: "Minute" } };

describe("buildRateLimitServiceConfigs", () => {
  it("gives a listener one domain with a descriptor per route and a chain per rule, the limit on its last link", () => {
    const rules: RateLimitRule[] = [
      {
        headerMatches: [
          { name: "x-user", exact: "a", distinct: false },
          { name: "x-org", distinct: true },
        ],
        methodMatches: [{ name: "", exact: "GET", distinct: false }],
        cidrMatch: { cidr: "10.0.0.0/8", maskLen: 8, isIPv6: false, distinct: true, invert: false },
        limit: { requests: 3, unit: "Hour" },
        shadowMode: true,
      },
      { limit: { requests: 7, unit: "Week" } },
    ];
    expect(configsJson([listener("l1", [route("r1", rules)])])).toEqual([
      {
        name: "l1",
        domain: "l1",
        descriptors: [
          {
            key: "r1",
            value: "r1",
            descriptors: [
              {
                key: "rule-0-match-0",
                value: "rule-0-match-0",
                shadowMode: true,
                descriptors: [
                  {
                    key: "rule-0-match-1",
                    shadowMode: true,
                    descriptors: [
                      {
                        key: "rule-0-method",
                        value: "rule-0-method",
                        shadowMode: true,
                        descriptors: [
                          {
                            key: "masked_remote_address",
                            value: "10.0.0.0/8",
                            shadowMode: true,
                            descriptors: [{ key: "remote_address", shadowMode: true, rateLimit: { unit: "HOUR", requestsPerUnit: 3 } }],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
              { key: "rule-1-match--1", value: "rule-1-match--1", rateLimit: { unit: "WEEK", requestsPerUnit: 7 } },
            ],
          },
        ],
      },
    ]);
  });

  it("puts a shared rule in its policy's domain once, however many routes and listeners it applies to", () => {
    const configs = configsJson([
      listener("l1", [route("r1", [sharedRule, { limit: { requests: 1, unit: "Second" } }]), route("r2", [sharedRule])]),
      listener("l2", [route("r3", [sharedRule])]),
    ]);
    expect(configs.map((c) => c.domain)).toEqual(["l1", "ns/policy"]);
    expect(configs[1]).toEqual({
      name: "ns/policy",
      domain: "ns/policy",
      descriptors: [
        {
          key: "ns/policy/rule/0",
          value: "ns/policy/rule/0",
          descriptors: [{ key: "rule-0-match--1", value: "rule-0-match--1", rateLimit: { unit: "MINUTE", requestsPerUnit: 10 } }],
        },
      ],
    });
    // the listener's own rule is counted from 0 in the listener's domain, apart from the shared one
    expect(configs[0].descriptors[0].descriptors[0].key).toBe("rule-0-match--1");
  });

  it("sorts configs by domain and leaves listeners without global rate limits out", () => {
    const plain: HTTPRoute = { ...route("p", []), traffic: {} };
    expect(
      configsJson([
        listener("zeta", [route("z", [{ limit: { requests: 1, unit: "Day" } }])]),
        listener("alpha", [plain]),
        listener("beta", [route("b", [{ limit: { requests: 1, unit: "Day" } }])]),
      ]).map((c) => c.domain),
    ).toEqual(["beta", "zeta"]);
    expect(buildRateLimitServiceConfigs([])).toEqual([]);
  });

  it("reads the unit case-insensitively, as upstream upper-cases it", () => {
    const rule = { limit: { requests: 2, unit: "month" } } as unknown as RateLimitRule;
    expect(configsJson([listener("l", [route("r", [rule])])])[0].descriptors[0].descriptors[0].rateLimit).toEqual({ unit: "MONTH", requestsPerUnit: 2 });
  });
});

describe("buildRouteRateLimits", () => {
  it("is undefined for a route without a global rate limit", () => {
    expect(buildRouteRateLimits("l", { ...route("r", []), traffic: {} })).toBeUndefined();
  });

  it("is what the translator puts on the route's per-filter configs, domain by domain", () => {
    const r = route("r1", [sharedRule, { headerMatches: [{ name: "x", exact: "y", distinct: false }], limit: { requests: 1, unit: "Second" } }]);
    const l = listener("l1", [r]);
    const byDomain = buildRouteRateLimits("l1", r);
    expect([...(byDomain?.keys() ?? [])]).toEqual(["ns/policy", "l1"]);
    const result = translateXds({ http: [l] }, { globalRateLimitServiceURL: "grpc://ratelimit.example:8081" });
    const typed = result.routes[0]?.message.virtualHosts[0]?.routes[0]?.typedPerFilterConfig ?? {};
    for (const [domain, rateLimits] of byDomain ?? []) {
      const name = domain === "l1" ? "envoy.filters.http.ratelimit" : `envoy.filters.http.ratelimit/${domain}`;
      const any = typed[name];
      expect(any).toBeDefined();
      const perRoute = RateLimitPerRoute.decode(any?.value ?? new Uint8Array());
      expect(toProtoJson(RateLimitPerRoute, perRoute)).toEqual({ domain, rateLimits: rateLimits.map(routeRateLimitToJson) });
    }
  });
});
