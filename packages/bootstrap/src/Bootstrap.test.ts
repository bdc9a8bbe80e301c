import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderBootstrap, renderBootstrapYaml } from "./index.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("renderBootstrap", () => {
  it("renders upstream's default bootstrap (Kubernetes defaults)", () => {
    const b = parse(renderBootstrapYaml()) as Json;
    expect(Object.keys(b)).toEqual([
      "admin",
      "cluster_manager",
      "node",
      "deferredStatOptions",
      "stats_config",
      "layered_runtime",
      "dynamic_resources",
      "static_resources",
      "overload_manager",
    ]);
    expect(b["admin"].address).toEqual({ socket_address: { address: "127.0.0.1", port_value: 19000 } });
    expect(b["admin"].access_log[0].typed_config).toEqual({
      "@type": "type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog",
      path: "/dev/null",
    });
    expect(b["cluster_manager"]).toEqual({ local_cluster_name: "local_cluster" });
    expect(b["node"]).toEqual({ locality: { zone: "$(ENVOY_SERVICE_ZONE)" } });
    expect(b["stats_config"].stats_tags.map((t: Json) => t["tag_name"])).toEqual(["from_zone", "to_zone", "socket_match_name", "priority"]);
    expect(b["stats_config"].stats_tags[0].regex).toBe("\\.zone(\\.(([^\\.]+)\\.))");
    expect(b["layered_runtime"].layers[0].static_layer["re2.max_program_size.error_level"]).toBe(4294967295);
    expect(b["dynamic_resources"].ads_config).toEqual({
      api_type: "DELTA_GRPC",
      transport_api_version: "V3",
      grpc_services: [{ envoy_grpc: { cluster_name: "xds_cluster" } }],
      set_node_on_first_message_only: true,
    });
    expect(b["dynamic_resources"].lds_config).toEqual({ ads: {}, initial_fetch_timeout: "0s", resource_api_version: "V3" });
    const listener = b["static_resources"].listeners[0];
    expect(listener.name).toBe("envoy-gateway-proxy-stats-0.0.0.0-19001");
    expect(listener.address.socket_address).toEqual({ address: "0.0.0.0", port_value: 19001, protocol: "TCP" });
    const hcm = listener.filter_chains[0].filters[0].typed_config;
    expect(hcm.route_config.virtual_hosts[0].routes[0]).toEqual({
      match: { path: "/stats/prometheus", headers: [{ name: ":method", string_match: { exact: "GET" } }] },
      route: { cluster: "prometheus_stats" },
    });
    const clusters = b["static_resources"].clusters as Json[];
    expect(clusters.map((c) => c["name"])).toEqual(["prometheus_stats", "local_cluster", "xds_cluster"]);
    const xds = clusters[2]!;
    expect(xds["type"]).toBe("STRICT_DNS");
    expect(xds["load_assignment"].endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: "envoy-gateway", port_value: 18000 });
    const tls = xds["transport_socket"].typed_config.common_tls_context;
    expect(tls.tls_params).toEqual({ tls_maximum_protocol_version: "TLSv1_3" });
    expect(tls.tls_certificate_sds_secret_configs).toEqual([
      { name: "xds_certificate", sds_config: { path_config_source: { path: "/sds/xds-certificate.json" }, resource_api_version: "V3" } },
    ]);
    expect(tls.validation_context_sds_secret_config.sds_config.path_config_source.path).toBe("/sds/xds-trusted-ca.json");
    expect(b["overload_manager"].resource_monitors[0].typed_config.max_active_downstream_connections).toBe(50000);
    expect(b["overload_manager"].actions).toBeUndefined();
  });

  it("renders host mode: no Prometheus, no local cluster, plaintext when asked, IPv6 admin, sinks and heap limits", () => {
    const b = renderBootstrap({
      xdsServerHost: "0.0.0.0",
      xdsServerPort: 18001,
      xdsTls: false,
      adminServerPort: 0,
      enablePrometheus: false,
      topologyInjectorDisabled: true,
      ipFamily: "IPv6",
      maxHeapSizeBytes: 1073741824,
      statsMatcher: { prefixes: ["cluster."], regularExpressions: ["^http\\..*"] },
      metricSinks: [{ address: "otel.local", port: 4317, reportCountersAsDeltas: true, resourceAttributes: { "k8s.cluster": "c1" } }],
    }) as Json;
    expect(b["cluster_manager"]).toBeUndefined();
    expect(b["admin"].address.socket_address).toEqual({ address: "::1", port_value: 0 });
    expect(b["static_resources"].listeners).toBeUndefined();
    expect(b["static_resources"].clusters.map((c: Json) => c["name"])).toEqual(["otel_metric_sink_0", "xds_cluster"]);
    expect(b["static_resources"].clusters[1].transport_socket).toBeUndefined();
    expect(b["stats_sinks"][0].typed_config).toMatchObject({
      grpc_service: { envoy_grpc: { cluster_name: "otel_metric_sink_0" } },
      report_counters_as_deltas: true,
    });
    expect(b["stats_config"].stats_matcher.inclusion_list.patterns).toEqual([{ prefix: "cluster." }, { safe_regex: { google_re2: {}, regex: "^http\\..*" } }]);
    expect(b["overload_manager"].resource_monitors[1].typed_config.max_heap_size_bytes).toBe(1073741824);
    expect(b["overload_manager"].actions.map((a: Json) => a["triggers"][0].threshold.value)).toEqual([0.95, 0.98]);
  });
});
