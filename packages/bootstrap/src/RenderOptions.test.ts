import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderBootstrapYaml, resolveBootstrapOptions } from "./index.js";

const render = (options: Parameters<typeof resolveBootstrapOptions>[0]) => {
  const resolved = resolveBootstrapOptions(options);
  if (!resolved.ok) throw new Error(resolved.error);
  return parse(renderBootstrapYaml(resolved.options)) as Record<string, any>;
};
const xdsCluster = (bootstrap: Record<string, any>) => bootstrap["static_resources"].clusters.find((c: { name: string }) => c.name === "xds_cluster");

describe("resolveBootstrapOptions", () => {
  it("authenticates with the service account token instead of a client certificate in gateway-namespace mode", () => {
    const cluster = xdsCluster(render({ gatewayNamespaceMode: true, sdsConfig: { serviceAccountToken: "/sds/token.json" } }));
    const tls = cluster.transport_socket.typed_config.common_tls_context;
    expect(tls.tls_certificate_sds_secret_configs).toBeUndefined();
    const filters = cluster.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].http_filters;
    expect(filters.map((f: { name: string }) => f.name)).toEqual([
      "envoy.filters.http.credential_injector",
      "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec",
    ]);
    expect(filters[0].typed_config.credential.typed_config.credential.sds_config.path_config_source.path).toBe("/sds/token.json");
  });

  it("ignores the token path outside gateway-namespace mode", () => {
    const cluster = xdsCluster(render({ sdsConfig: { serviceAccountToken: "/sds/token.json" } }));
    expect(cluster.transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs).toHaveLength(1);
  });

  it("turns declared sinks into addresses, skipping duplicates, and prefers resolved sinks", () => {
    const declared = {
      sinks: [
        { type: "OpenTelemetry", openTelemetry: { backendRefs: [{ name: "otel", namespace: "mon", port: 4317 }] } },
        { type: "OpenTelemetry", openTelemetry: { host: "otel.mon.svc", port: 4317 } },
      ],
    };
    const resolved = resolveBootstrapOptions({ proxyMetrics: declared });
    expect(resolved.ok && resolved.options.metricSinks).toEqual([{ address: "otel.mon.svc", port: 4317 }]);
    const preferred = resolveBootstrapOptions({ proxyMetrics: declared, resolvedMetricSinks: [{ address: "10.0.0.1", port: 4317 }] });
    expect(preferred.ok && preferred.options.metricSinks).toEqual([{ address: "10.0.0.1", port: 4317 }]);
  });

  it("reports a backend reference without a port in upstream's words", () => {
    expect(resolveBootstrapOptions({ proxyMetrics: { sinks: [{ openTelemetry: { backendRefs: [{ name: "otel" }] } }] } })).toEqual({
      ok: false,
      error: "metrics sink backendRef otel has no port",
    });
  });

  it("single-quotes the EDS local cluster's fields whatever the cluster's name, as the template does", () => {
    const resolved = resolveBootstrapOptions({ serviceClusterName: "ns/gw" });
    const yaml = resolved.ok ? renderBootstrapYaml(resolved.options) : "";
    expect(yaml).toContain("        resource_api_version: 'V3'\n      service_name: ns/gw");
    expect(yaml).toContain("min_cluster_size: '1'");
  });
});
