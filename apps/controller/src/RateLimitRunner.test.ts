import type { HTTPListener, Xds } from "@egts/ir";
import { describe, expect, it } from "vitest";
import type { Resources } from "@egts/api";
import { makeRateLimitConfigTracker, withRateLimitUnenforced } from "./RateLimitRunner.js";

const listener = (name: string, policy: string, requests: number): HTTPListener => ({
  name,
  address: "0.0.0.0",
  port: 80,
  hostnames: ["*"],
  path: { mergeSlashes: false, escapedSlashesAction: "UnescapeAndRedirect" },
  routes: [
    {
      name: `${name}/route`,
      hostname: "*",
      isHTTP2: false,
      traffic: {
        rateLimit: {
          global: {
            rules: [{ limit: { requests, unit: "Second" } }, { name: `${policy}/rule/0`, shared: true, limit: { requests, unit: "Minute" } }],
          },
        },
      },
    },
  ],
});
const ir = (l: HTTPListener): Xds => ({ http: [l] });

describe("makeRateLimitConfigTracker", () => {
  it("serves every IR key's domains, re-translating only changed keys, and forgets deleted keys", () => {
    const tracker = makeRateLimitConfigTracker();
    const first = tracker.update(
      new Map([
        ["gw-a", ir(listener("a/http", "ns/shared", 1))],
        ["gw-b", ir(listener("b/http", "ns/shared", 2))],
      ]),
    );
    // the shared policy domain appears once: the later IR key's config wins, as a snapshot indexes by name
    expect(first.map((c) => c.name)).toEqual(["a/http", "ns/shared", "b/http"]);
    expect(first.find((c) => c.name === "ns/shared")?.descriptors[0]?.descriptors[0]?.rateLimit?.requestsPerUnit).toBe(2);

    const second = tracker.update(new Map([["gw-b", undefined]]));
    expect(second.map((c) => c.name)).toEqual(["a/http", "ns/shared"]);
    expect(second.find((c) => c.name === "ns/shared")?.descriptors[0]?.descriptors[0]?.rateLimit?.requestsPerUnit).toBe(1);
    // an untouched key keeps its configs (the same objects, not translated again)
    expect(second[0]).toBe(first[0]);
  });
});

describe("withRateLimitUnenforced", () => {
  const btp = (name: string, rateLimit: unknown) => ({
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "BackendTrafficPolicy",
    metadata: { name, namespace: "ns" },
    spec: { targetRefs: [], ...(rateLimit !== undefined ? { rateLimit } : {}) },
  });
  const resources = {
    backendTrafficPolicies: [btp("global", { global: { rules: [] } }), btp("local", { local: { rules: [] } })],
  } as unknown as Resources;
  const accepted = { type: "Accepted", status: "True", reason: "Accepted", message: "Policy has been accepted.", observedGeneration: 3 };
  const status = { ancestors: [{ ancestorRef: { name: "gw" }, controllerName: "c", conditions: [accepted] }] };
  const statuses = [
    { kind: "BackendTrafficPolicy", namespace: "ns", name: "global", status },
    { kind: "BackendTrafficPolicy", namespace: "ns", name: "local", status },
  ];
  const now = new Date("2026-01-02T03:04:05.678Z");

  it("adds a condition to every ancestor of the policies with global rate limits only", () => {
    const out = withRateLimitUnenforced(statuses, resources, "no ratelimit binary", now);
    expect((out[0]!.status as typeof status).ancestors[0]?.conditions).toEqual([
      accepted,
      {
        type: "GlobalRateLimitEnforced",
        status: "False",
        reason: "RateLimitServiceNotRunning",
        message: "Global rate limits will not be enforced: no ratelimit binary.",
        observedGeneration: 3,
        lastTransitionTime: "2026-01-02T03:04:05Z",
      },
    ]);
    expect(out[1]).toBe(statuses[1]);
  });

  it("changes nothing when the rate limit service runs", () => {
    expect(withRateLimitUnenforced(statuses, resources, undefined, now)).toEqual(statuses);
  });
});
