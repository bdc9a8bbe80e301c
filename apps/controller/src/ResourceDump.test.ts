import { emptyResources, type Resources, type Secret } from "@egts/api";
import { describe, expect, it } from "vitest";
import { dumpResources, resourceFilters } from "./ResourceDump.js";

describe("dumpResources", () => {
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "tls", namespace: "default" }, data: { "tls.key": "c2VjcmV0" } } as unknown as Secret;
  const bundle: Resources = { ...emptyResources(), secrets: [secret] };

  it("redacts Secret values in every dump and filters by kind", () => {
    const all = dumpResources([bundle], "all")!;
    expect(JSON.stringify(all)).not.toContain("c2VjcmV0");
    expect(dumpResources([bundle], "secret")).toEqual({
      resources: [{ ...secret, data: { "tls.key": Buffer.from("[redacted]").toString("base64") } }],
      totalCount: 1,
    });
    expect(bundle.secrets[0]).toBe(secret);
    expect(dumpResources([bundle, bundle], "gateway")).toEqual({ resources: [], totalCount: 0 });
    expect(dumpResources([bundle], "pods")).toBeUndefined();
    expect(resourceFilters).toContain("httproute");
  });

  it("redacts stringData and kubectl's last-applied copy of a Secret too", () => {
    const withStringData = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "s",
        namespace: "default",
        annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"stringData":{"password":"hunter2"}}', team: "a" },
      },
      stringData: { password: "hunter2" },
    } as unknown as Secret;
    const resources = { ...emptyResources(), secrets: [withStringData] };
    for (const filter of ["all", "secret"]) {
      const text = JSON.stringify(dumpResources([resources], filter));
      expect(text).not.toContain("hunter2");
      expect(text).toContain('"password":"[redacted]"');
      expect(text).toContain('"team":"a"');
    }
  });
});
