import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { mergeBootstrap, renderBootstrapYaml } from "./index.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("mergeBootstrap", () => {
  it("merges like protobuf (scalars replaced, lists appended) but replaces durations whole", () => {
    const override = `
admin:
  address:
    socket_address: {port_value: 19099}
overload_manager:
  refresh_interval: 2s
static_resources:
  clusters:
  - name: extra
    connect_timeout: 1s
    type: STATIC
    load_assignment: {cluster_name: extra}
`;
    const result = mergeBootstrap(renderBootstrapYaml(), override);
    if (!result.ok) throw new Error(result.error);
    const merged = parse(result.yaml) as Json;
    expect(merged["admin"]["address"]["socketAddress"]).toEqual({ address: "127.0.0.1", portValue: 19099 });
    // 0.25s merged field by field with 2s would give 2.25s: upstream replaces durations.
    expect(merged["overloadManager"]["refreshInterval"]).toBe("2s");
    expect((merged["staticResources"]["clusters"] as Json[]).map((c) => c["name"])).toEqual(["prometheus_stats", "local_cluster", "xds_cluster", "extra"]);
    expect(merged["dynamicResources"]["adsConfig"]["apiType"]).toBe("DELTA_GRPC");
  });

  it("reports an override that breaks Envoy's validation rules or does not parse", () => {
    const invalid = mergeBootstrap(renderBootstrapYaml(), "static_resources:\n  clusters:\n  - connect_timeout: 1s\n");
    expect(invalid).toMatchObject({ ok: false });
    expect((invalid as { error: string }).error).toMatch(/^failed to validate merged bootstrap config: .*name/);
    const unknown = mergeBootstrap(renderBootstrapYaml(), "no_such_field: 1\n");
    expect((unknown as { error: string }).error).toMatch(/^failed to parse override bootstrap config/);
  });
});
