import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { applyBootstrapConfig, bootstrapConfigProblem, checkedBootstrapJson, renderBootstrapYaml } from "./index.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("EnvoyProxy bootstrap customization", () => {
  it("accepts the default bootstrap given back as a Replace, and a Merge that leaves the control plane alone", () => {
    expect(bootstrapConfigProblem({ value: renderBootstrapYaml() })).toBeUndefined();
    expect(
      bootstrapConfigProblem({ type: "Merge", value: "admin:\n  address:\n    socket_address: {address: 127.0.0.1, port_value: 19111}\n" }),
    ).toBeUndefined();
  });

  it("rejects a bootstrap without the dynamic resources, in upstream's words", () => {
    const adminOnly = "admin:\n  address:\n    socket_address:\n      address: 127.0.0.1\n      port_value: 19000\n";
    expect(bootstrapConfigProblem({ type: "Replace", value: adminOnly })).toBe("dynamic_resources cannot be modified");
  });

  it("allows other initial fetch timeouts but not another xds_cluster endpoint", () => {
    const base = parse(renderBootstrapYaml()) as Json;
    base["dynamic_resources"]["lds_config"]["initial_fetch_timeout"] = "5s";
    expect(bootstrapConfigProblem({ value: stringify(base) })).toBeUndefined();
    const cluster = (base["static_resources"]["clusters"] as Json[]).find((c) => c["name"] === "xds_cluster")!;
    cluster["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["endpoint"]["address"]["socket_address"]["port_value"] = 18001;
    expect(bootstrapConfigProblem({ value: stringify(base) })).toBe("xds_cluster's loadAssigntment cannot be modified");
  });

  it("names a bootstrap that does not parse or breaks Envoy's rules", () => {
    expect(bootstrapConfigProblem({ value: "no_such_field: 1\n" })).toMatch(/^unable to unmarshal user bootstrap: .*no_such_field/);
    expect(checkedBootstrapJson("static_resources:\n  clusters:\n  - name: ''\n", "user")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^validation failed for user bootstrap: staticResources.clusters\[0\].name/),
    });
    expect(applyBootstrapConfig({ type: "Other" }, renderBootstrapYaml())).toEqual({ ok: false, error: "unsupported bootstrap patch type Other" });
  });
});

describe("a JSONPatch bootstrap", () => {
  it("applies RFC 6902 operations to the default and writes YAML with sorted keys, as upstream", () => {
    const applied = applyBootstrapConfig(
      { type: "JSONPatch", jsonPatches: [{ op: "replace", path: "/admin/address/socket_address/port_value", value: 19111 }] },
      renderBootstrapYaml(),
    );
    if (!applied.ok) throw new Error(applied.error);
    expect((parse(applied.yaml) as Json)["admin"].address.socket_address.port_value).toBe(19111);
    expect(applied.yaml.startsWith("admin:")).toBe(true);
    expect(applied.yaml.indexOf("\ncluster_manager:")).toBeLessThan(applied.yaml.indexOf("\ndynamic_resources:"));
  });

  it("is checked like any other bootstrap: patching the control plane's address is rejected", () => {
    const moved = {
      type: "JSONPatch",
      jsonPatches: [
        {
          op: "replace" as const,
          path: "/static_resources/clusters/2/load_assignment/endpoints/0/lb_endpoints/0/endpoint/address/socket_address/port_value",
          value: 1,
        },
      ],
    };
    expect(bootstrapConfigProblem(moved)).toBe("xds_cluster's loadAssigntment cannot be modified");
  });
});
