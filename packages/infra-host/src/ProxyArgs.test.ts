import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { buildProxyArgs, hostBootstrapOptions } from "./index.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("EnvoyProxy Merge bootstrap", () => {
  it("applies an EnvoyProxy Merge bootstrap to the proxy's command line", () => {
    const proxy = {
      name: "default/eg",
      namespace: "envoy-gateway-system",
      config: { spec: { bootstrap: { type: "Merge", value: "admin:\n  address:\n    socket_address: {port_value: 19111}\n" } } },
    };
    const result = buildProxyArgs(proxy, { xdsServerHost: "0.0.0.0", adminServerPort: 0 });
    if (!result.ok) throw new Error(result.error);
    const config = parse(result.args[result.args.indexOf("--config-yaml") + 1]!) as Json;
    expect(config["admin"]["address"]["socketAddress"]["portValue"]).toBe(19111);
  });
});

describe("EnvoyProxy bootstrap JSONPatch", () => {
  const argsWith = (jsonPatches: unknown[]) =>
    buildProxyArgs({ name: "default/eg", namespace: "envoy-gateway-system", config: { spec: { bootstrap: { type: "JSONPatch", jsonPatches } } } } as never, {
      xdsServerHost: "0.0.0.0",
      enablePrometheus: false,
      topologyInjectorDisabled: true,
    });

  it("applies the operations to the rendered bootstrap, creating missing parents on add", () => {
    const result = argsWith([
      { op: "replace", path: "/admin/address/socket_address/port_value", value: 19222 },
      { op: "add", path: "/static_resources/clusters/-", value: { name: "extra", type: "STATIC" } },
      { op: "add", path: "/layered_runtime/layers/0/static_layer/envoy.reloadable_features.x", value: true },
      { op: "add", path: "/cluster_manager/outlier_detection", value: { event_log_path: "/dev/null" } },
      { op: "test", path: "/dynamic_resources/ads_config/api_type", value: "DELTA_GRPC" },
      { op: "remove", path: "/overload_manager" },
    ]);
    if (!result.ok) throw new Error(result.error);
    const config = parse(result.args[result.args.indexOf("--config-yaml") + 1]!) as Json;
    expect(config["admin"]["address"]["socket_address"]["port_value"]).toBe(19222);
    expect((config["static_resources"]["clusters"] as Json[]).map((c) => c["name"])).toEqual(["xds_cluster", "extra"]);
    expect(config["layered_runtime"]["layers"][0]["static_layer"]["envoy.reloadable_features.x"]).toBe(true);
    expect(config["cluster_manager"]).toEqual({ outlier_detection: { event_log_path: "/dev/null" } });
    expect(config["overload_manager"]).toBeUndefined();
  });

  it("fails with the operation that cannot be applied", () => {
    expect(argsWith([{ op: "test", path: "/dynamic_resources/ads_config/api_type", value: "GRPC" }])).toEqual({
      ok: false,
      error: "EnvoyProxy spec.bootstrap.jsonPatches: unable to apply patch: op=test path=/dynamic_resources/ads_config/api_type err: testing value failed",
    });
    expect(argsWith([{ op: "remove", path: "/no/such/field" }])).toMatchObject({ ok: false, error: expect.stringContaining('path component "no" not found') });
    expect(argsWith([{ op: "replace", jsonPath: "$..port_value", value: 1 }])).toMatchObject({
      ok: false,
      error: expect.stringContaining("jsonPath is not supported"),
    });
  });
});

describe("host bootstrap options", () => {
  it("turns the EnvoyProxy's metrics matches into the bootstrap's stats matcher, by match type", () => {
    const proxy = {
      name: "default/eg",
      namespace: "envoy-gateway-system",
      config: {
        spec: {
          telemetry: {
            metrics: {
              matches: [
                { value: "cluster.a" },
                { type: "Prefix", value: "http." },
                { type: "Suffix", value: ".rq_total" },
                { type: "RegularExpression", value: "listener\\..*" },
              ],
            },
          },
        },
      },
    };
    const options = hostBootstrapOptions(proxy, { xdsServerHost: "0.0.0.0", xdsServerPort: 18000, xdsTls: true, sdsDirectory: "/tmp/sds" });
    expect(options.statsMatcher).toEqual({ exacts: ["cluster.a"], prefixes: ["http."], suffixes: [".rq_total"], regularExpressions: ["listener\\..*"] });
    const result = buildProxyArgs(proxy, options);
    if (!result.ok) throw new Error(result.error);
    const config = parse(result.args[result.args.indexOf("--config-yaml") + 1]!) as Json;
    expect(config["stats_config"]["stats_matcher"]["inclusion_list"]["patterns"]).toContainEqual({ prefix: "http." });
  });

  it("has no stats matcher without matches", () => {
    const proxy = { name: "default/eg", namespace: "envoy-gateway-system" };
    expect(
      hostBootstrapOptions(proxy, { xdsServerHost: "0.0.0.0", xdsServerPort: 18000, xdsTls: true, sdsDirectory: "/tmp/sds" }).statsMatcher,
    ).toBeUndefined();
  });
});
