import * as Exit from "effect/Exit";
import * as Schema from "effect/Schema";
import { describe, expect, it } from "vitest";
import { fieldPathKeys, kindSchema, knownObjectSchema } from "@egts/api/schema";

describe("effect Schema adapters", () => {
  const route = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "r" },
    spec: { parentRefs: [{ name: "eg" }], rules: [{ backendRefs: [{ name: "svc", port: 80 }] }] },
  };

  it("decodes a kind with defaults applied", () => {
    const decoded = Schema.decodeUnknownSync(kindSchema("HTTPRoute"))(route);
    expect(decoded.metadata.namespace).toBe("envoy-gateway-system");
    expect(decoded.spec.parentRefs?.[0]?.group).toBe("gateway.networking.k8s.io");
  });

  it("fails with path-precise issues", () => {
    const bad = { ...route, spec: { ...route.spec, rules: [{ backendRefs: [{ name: "svc", port: 0 }] }] } };
    const exit = Schema.decodeUnknownExit(kindSchema("HTTPRoute"))(bad);
    expect(Exit.isFailure(exit)).toBe(true);
    const text = String(Exit.isFailure(exit) ? exit.cause : "");
    expect(text).toContain("spec.rules[0].backendRefs[0].port in body should be greater than or equal to 1");
    expect(text).toMatch(/\["spec"\]\["rules"\]\[0\]\["backendRefs"\]\[0\]\["port"\]/);
  });

  it("rejects another kind and accepts any known kind with knownObjectSchema", () => {
    expect(Exit.isFailure(Schema.decodeUnknownExit(kindSchema("Gateway"))(route))).toBe(true);
    expect(Schema.decodeUnknownSync(knownObjectSchema())(route).kind).toBe("HTTPRoute");
  });

  it("splits field paths into pointer keys", () => {
    expect(fieldPathKeys('spec.rules[0].filters[12]["a.b"]')).toEqual(["spec", "rules", 0, "filters", 12, "a.b"]);
  });
});
