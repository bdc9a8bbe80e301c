import { Document, isMap, isPair, isScalar, isSeq, Scalar, visit } from "yaml";

/** Default port of the controller's xDS server (upstream's DefaultXdsServerPort). */
export const DEFAULT_XDS_SERVER_PORT = 18000;
/** Default address and port of Envoy's admin interface. */
export const ENVOY_ADMIN_ADDRESS = "127.0.0.1";
/** Envoy's admin address when the proxy is IPv6-only. */
export const ENVOY_ADMIN_ADDRESS_V6 = "::1";
/** Default port of Envoy's admin interface. */
export const ENVOY_ADMIN_PORT = 19000;
/** Default port of the Prometheus stats listener. */
export const ENVOY_STATS_PORT = 19001;
/** Port and path of the readiness listener (delivered over xDS from the IR's readyListener). */
export const ENVOY_READINESS_PORT = 19003;
/** Path of the readiness check. */
export const ENVOY_READINESS_PATH = "/ready";
/** Name of the SDS file holding the proxy's client certificate (relative to the SDS directory). */
export const SDS_CERTIFICATE_FILENAME = "xds-certificate.json";
/** Name of the SDS file holding the CA that signs the controller's certificate. */
export const SDS_TRUSTED_CA_FILENAME = "xds-trusted-ca.json";

/** An OpenTelemetry metrics sink resolved to an address (upstream bootstrap.MetricSink). */
export interface MetricSink {
  readonly address: string;
  readonly port: number;
  readonly authority?: string;
  readonly reportCountersAsDeltas?: boolean;
  readonly reportHistogramsAsDeltas?: boolean;
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly tls?: {
    readonly sni?: string;
    readonly useSystemTrustStore?: boolean;
    /** PEM bytes of the CA; wins over useSystemTrustStore. */
    readonly caCertificate?: Uint8Array;
  };
}

/** Stats names kept when a stats matcher is configured (EnvoyProxy spec.telemetry.metrics.matches). */
export interface StatsMatcher {
  readonly exacts?: ReadonlyArray<string>;
  readonly prefixes?: ReadonlyArray<string>;
  readonly suffixes?: ReadonlyArray<string>;
  readonly regularExpressions?: ReadonlyArray<string>;
}

/** Everything that varies in Envoy's bootstrap (upstream RenderBootstrapConfigOptions, resolved). */
export interface BootstrapOptions {
  /** Host the proxy dials for xDS. Default "envoy-gateway" (the Kubernetes Service). */
  readonly xdsServerHost?: string;
  readonly xdsServerPort?: number;
  /** mTLS to the xDS server through SDS files (upstream always); false for a plaintext local setup. */
  readonly xdsTls?: boolean;
  /** SDS file with the proxy's client certificate. Default /sds/xds-certificate.json. */
  readonly sdsCertificatePath?: string;
  /** SDS file with the trusted CA. Default /sds/xds-trusted-ca.json. */
  readonly sdsTrustedCAPath?: string;
  /**
   * Gateway-namespace mode (upstream `GatewayNamespaceMode`): the proxy authenticates to the xDS server with its
   * service account token, injected as a bearer credential from this SDS file, instead of a client certificate.
   */
  readonly sdsServiceAccountTokenPath?: string;
  /** Admin port; 0 lets the OS pick (what host mode uses, so several proxies can run). */
  readonly adminServerPort?: number;
  readonly statsServerPort?: number;
  /** Prometheus stats listener on. Default true. */
  readonly enablePrometheus?: boolean;
  /** Compression of the Prometheus endpoint: "Gzip", "Brotli" or "Zstd"; absent for none. */
  readonly prometheusCompression?: "Gzip" | "Brotli" | "Zstd";
  readonly metricSinks?: ReadonlyArray<MetricSink>;
  readonly statsMatcher?: StatsMatcher;
  readonly ipFamily?: "IPv4" | "IPv6" | "DualStack";
  /** The IR key: the local cluster name used for zone-aware routing. Default "local_cluster". */
  readonly serviceClusterName?: string;
  /** No EDS local cluster (host mode always disables it). */
  readonly topologyInjectorDisabled?: boolean;
  readonly maxHeapSizeBytes?: number;
  /** Path of the system CA bundle used for sinks that trust the system store. */
  readonly systemCACertPath?: string;
}

const typed = (type: string, body: Record<string, unknown> = {}) => ({ "@type": `type.googleapis.com/${type}`, ...body });

const sdsFile = (name: string, path: string) => ({
  name,
  sds_config: { path_config_source: { path }, resource_api_version: "V3" },
});

/**
 * Builds Envoy's bootstrap as upstream Envoy Gateway renders it (internal/xds/bootstrap): admin with a
 * /dev/null access log, the stats tags, ADS over delta gRPC to `xds_cluster` for LDS and CDS, an optional
 * Prometheus stats listener, OpenTelemetry sinks, the xds_cluster with mTLS through SDS files, and the overload
 * manager. Returns a plain object in Envoy's YAML field names.
 */
export function renderBootstrap(options: BootstrapOptions = {}): Record<string, unknown> {
  const ipFamily = options.ipFamily;
  const adminAddress = ipFamily === "IPv6" ? ENVOY_ADMIN_ADDRESS_V6 : ENVOY_ADMIN_ADDRESS;
  const adminPort = options.adminServerPort ?? ENVOY_ADMIN_PORT;
  const statsAddress = ipFamily === "IPv6" || ipFamily === "DualStack" ? "::" : "0.0.0.0";
  const statsPort = options.statsServerPort ?? ENVOY_STATS_PORT;
  const serviceCluster = options.serviceClusterName ?? "local_cluster";
  const enablePrometheus = options.enablePrometheus ?? true;
  const sinks = options.metricSinks ?? [];
  const matcher = options.statsMatcher;

  const bootstrap: Record<string, unknown> = {
    admin: {
      access_log: [{ name: "envoy.access_loggers.file", typed_config: typed("envoy.extensions.access_loggers.file.v3.FileAccessLog", { path: "/dev/null" }) }],
      address: { socket_address: { address: adminAddress, port_value: adminPort } },
    },
  };
  if (options.topologyInjectorDisabled !== true) bootstrap["cluster_manager"] = { local_cluster_name: serviceCluster };
  bootstrap["node"] = { locality: { zone: "$(ENVOY_SERVICE_ZONE)" } };
  bootstrap["deferredStatOptions"] = { enableDeferredCreationStats: true };
  const statsConfig: Record<string, unknown> = {
    use_all_default_tags: true,
    stats_tags: [
      { regex: "\\.zone(\\.(([^\\.]+)\\.))", tag_name: "from_zone" },
      { regex: "\\.zone\\.[^\\.]+\\.(([^\\.]+)\\.)", tag_name: "to_zone" },
      { regex: "^cluster(\\..+\\.(.+))\\.total_match_count$", tag_name: "socket_match_name" },
      { regex: "circuit_breakers\\.((.+?)\\.).+", tag_name: "priority" },
    ],
  };
  if (matcher !== undefined) {
    statsConfig["stats_matcher"] = {
      inclusion_list: {
        patterns: [
          ...(matcher.exacts ?? []).map((exact) => ({ exact })),
          ...(matcher.prefixes ?? []).map((prefix) => ({ prefix })),
          ...(matcher.suffixes ?? []).map((suffix) => ({ suffix })),
          ...(matcher.regularExpressions ?? []).map((regex) => ({ safe_regex: { google_re2: {}, regex } })),
        ],
      },
    };
  }
  bootstrap["stats_config"] = statsConfig;
  bootstrap["layered_runtime"] = {
    layers: [{ name: "global_config", static_layer: { "re2.max_program_size.error_level": 4294967295, "re2.max_program_size.warn_level": 1000 } }],
  };
  bootstrap["dynamic_resources"] = {
    ads_config: {
      api_type: "DELTA_GRPC",
      transport_api_version: "V3",
      grpc_services: [{ envoy_grpc: { cluster_name: "xds_cluster" } }],
      set_node_on_first_message_only: true,
    },
    lds_config: { ads: {}, initial_fetch_timeout: "0s", resource_api_version: "V3" },
    cds_config: { ads: {}, initial_fetch_timeout: "0s", resource_api_version: "V3" },
  };
  if (sinks.length > 0) {
    bootstrap["stats_sinks"] = sinks.map((sink, index) => {
      const grpcService: Record<string, unknown> = {
        envoy_grpc: { cluster_name: `otel_metric_sink_${index}`, ...(sink.authority ? { authority: sink.authority } : {}) },
      };
      if (sink.headers !== undefined && sink.headers.length > 0) grpcService["initial_metadata"] = sink.headers.map((h) => ({ key: h.name, value: h.value }));
      const config: Record<string, unknown> = { grpc_service: grpcService };
      if (sink.reportCountersAsDeltas === true) config["report_counters_as_deltas"] = true;
      if (sink.reportHistogramsAsDeltas === true) config["report_histograms_as_deltas"] = true;
      if (sink.resourceAttributes !== undefined && Object.keys(sink.resourceAttributes).length > 0) {
        config["resource_detectors"] = [
          {
            name: "envoy.tracers.opentelemetry.resource_detectors.static_config",
            typed_config: typed("envoy.extensions.tracers.opentelemetry.resource_detectors.v3.StaticConfigResourceDetectorConfig", {
              attributes: Object.fromEntries(Object.entries(sink.resourceAttributes).sort(([a], [b]) => (a < b ? -1 : 1))),
            }),
          },
        ];
      }
      return { name: "envoy.stat_sinks.open_telemetry", typed_config: typed("envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig", config) };
    });
  }

  const staticResources: Record<string, unknown> = {};
  if (enablePrometheus) staticResources["listeners"] = [prometheusListener(statsAddress, statsPort, ipFamily, options.prometheusCompression)];
  const clusters: unknown[] = [];
  if (enablePrometheus) {
    clusters.push({
      name: "prometheus_stats",
      connect_timeout: "0.250s",
      type: "STATIC",
      lb_policy: "ROUND_ROBIN",
      load_assignment: {
        cluster_name: "prometheus_stats",
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: adminAddress, port_value: adminPort } } } }] }],
      },
    });
  }
  sinks.forEach((sink, index) => clusters.push(metricSinkCluster(sink, index, options.systemCACertPath ?? "/etc/ssl/certs/ca-certificates.crt")));
  if (options.topologyInjectorDisabled !== true) {
    clusters.push({
      connect_timeout: "10s",
      eds_cluster_config: { eds_config: { ads: {}, resource_api_version: "V3" }, service_name: serviceCluster },
      load_balancing_policy: {
        policies: [
          {
            typed_extension_config: {
              name: "envoy.load_balancing_policies.least_request",
              typed_config: typed("envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest", {
                locality_lb_config: { zone_aware_lb_config: { min_cluster_size: "1" } },
              }),
            },
          },
        ],
      },
      name: serviceCluster,
      type: "EDS",
    });
  }
  const tokenPath = options.sdsServiceAccountTokenPath;
  const xdsCluster: Record<string, unknown> = {
    connect_timeout: "10s",
    load_assignment: {
      cluster_name: "xds_cluster",
      endpoints: [
        {
          load_balancing_weight: 1,
          lb_endpoints: [
            {
              load_balancing_weight: 1,
              endpoint: {
                address: {
                  socket_address: { address: options.xdsServerHost ?? "envoy-gateway", port_value: options.xdsServerPort ?? DEFAULT_XDS_SERVER_PORT },
                },
              },
            },
          ],
        },
      ],
    },
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", {
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: "30s", timeout: "5s" } } },
        ...(tokenPath !== undefined ? { http_filters: serviceAccountTokenFilters(tokenPath) } : {}),
      }),
    },
    name: "xds_cluster",
    type: "STRICT_DNS",
  };
  if (options.xdsTls !== false) {
    xdsCluster["transport_socket"] = {
      name: "envoy.transport_sockets.tls",
      typed_config: typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", {
        common_tls_context: {
          tls_params: { tls_maximum_protocol_version: "TLSv1_3" },
          ...(tokenPath === undefined
            ? { tls_certificate_sds_secret_configs: [sdsFile("xds_certificate", options.sdsCertificatePath ?? `/sds/${SDS_CERTIFICATE_FILENAME}`)] }
            : {}),
          validation_context_sds_secret_config: sdsFile("xds_trusted_ca", options.sdsTrustedCAPath ?? `/sds/${SDS_TRUSTED_CA_FILENAME}`),
        },
      }),
    };
  }
  clusters.push(xdsCluster);
  staticResources["clusters"] = clusters;
  bootstrap["static_resources"] = staticResources;

  const overloadManager: Record<string, unknown> = {
    refresh_interval: "0.25s",
    resource_monitors: [
      {
        name: "envoy.resource_monitors.global_downstream_max_connections",
        typed_config: typed("envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig", {
          max_active_downstream_connections: 50000,
        }),
      },
    ],
  };
  if (options.maxHeapSizeBytes !== undefined && options.maxHeapSizeBytes > 0) {
    (overloadManager["resource_monitors"] as unknown[]).push({
      name: "envoy.resource_monitors.fixed_heap",
      typed_config: typed("envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig", { max_heap_size_bytes: options.maxHeapSizeBytes }),
    });
    overloadManager["actions"] = [
      { name: "envoy.overload_actions.shrink_heap", triggers: [{ name: "envoy.resource_monitors.fixed_heap", threshold: { value: 0.95 } }] },
      { name: "envoy.overload_actions.stop_accepting_requests", triggers: [{ name: "envoy.resource_monitors.fixed_heap", threshold: { value: 0.98 } }] },
    ];
  }
  bootstrap["overload_manager"] = overloadManager;
  return bootstrap;
}

/** Names the template writes in double quotes. */
const DOUBLE_QUOTED_NAMES = new Set([
  ":method",
  "envoy.stat_sinks.open_telemetry",
  "envoy.resource_monitors.global_downstream_max_connections",
  "envoy.resource_monitors.fixed_heap",
  "envoy.overload_actions.shrink_heap",
  "envoy.overload_actions.stop_accepting_requests",
]);

/** {@link renderBootstrap} as YAML text, ready for Envoy's `--config-yaml`. */
export function renderBootstrapYaml(options: BootstrapOptions = {}): string {
  const doc = new Document(renderBootstrap(options));
  applyTemplateQuoting(doc);
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

/**
 * Upstream renders the bootstrap from a text template, and its text is what users see (for instance in the
 * EnvoyProxy that `egctl x translate --add-missing-resources` prints). The template quotes a few scalars; so
 * does this, for the same scalars, so that the text matches and not only the data.
 */
function applyTemplateQuoting(doc: Document): void {
  const quote = (node: unknown, type: Scalar.Type) => {
    if (isScalar(node)) node.type = type;
  };
  visit(doc, {
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (key === "regex" && typeof value === "string" && /^(\^cluster|circuit_breakers)/.test(value)) quote(pair.value, Scalar.QUOTE_DOUBLE);
      if (key === "address" && (value === "0.0.0.0" || value === "::")) quote(pair.value, Scalar.QUOTE_SINGLE);
      if (key === "name" && typeof value === "string" && DOUBLE_QUOTED_NAMES.has(value)) quote(pair.value, Scalar.QUOTE_DOUBLE);
      if (key === "initial_metadata" && isSeq(pair.value)) {
        for (const entry of pair.value.items) {
          if (!isMap(entry)) continue;
          for (const field of entry.items) if (isPair(field)) quote(field.value, Scalar.QUOTE_DOUBLE);
        }
      }
      if (key === "attributes" && isMap(pair.value)) for (const field of pair.value.items) if (isPair(field)) quote(field.value, Scalar.QUOTE_DOUBLE);
      if (key === "@type" && value === "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions") quote(pair.value, Scalar.QUOTE_DOUBLE);
    },
    Map(_, map) {
      // The local cluster's block of the template single-quotes its API version, policy name, type and size.
      // It is the only cluster with EDS config (its name is the IR key, "local_cluster" by default).
      const eds = map.items.some((item) => isPair(item) && isScalar(item.key) && item.key.value === "eds_cluster_config");
      if (!eds) return;
      visit(map, {
        Pair(_, pair) {
          const key = isScalar(pair.key) ? String(pair.key.value) : "";
          if (key === "resource_api_version" || key === "min_cluster_size") quote(pair.value, Scalar.QUOTE_SINGLE);
          if (key === "name" && isScalar(pair.value) && pair.value.value === "envoy.load_balancing_policies.least_request")
            quote(pair.value, Scalar.QUOTE_SINGLE);
          if (key === "@type") {
            quote(pair.key, Scalar.QUOTE_SINGLE);
            quote(pair.value, Scalar.QUOTE_SINGLE);
          }
        },
      });
    },
  });
}

function prometheusListener(address: string, port: number, ipFamily: BootstrapOptions["ipFamily"], compression: BootstrapOptions["prometheusCompression"]) {
  const compressorPerRoute = "envoy.extensions.filters.http.compressor.v3.CompressorPerRoute";
  const virtualHost: Record<string, unknown> = { name: "prometheus_stats", domains: ["*"] };
  if (compression !== undefined) virtualHost["typed_per_filter_config"] = { "envoy.filters.http.compression": typed(compressorPerRoute, { disabled: true }) };
  const route: Record<string, unknown> = {
    match: { path: "/stats/prometheus", headers: [{ name: ":method", string_match: { exact: "GET" } }] },
    route: { cluster: "prometheus_stats" },
  };
  if (compression !== undefined) {
    route["typed_per_filter_config"] = { "envoy.filters.http.compression": typed(compressorPerRoute, { overrides: { response_direction_config: null } }) };
  }
  virtualHost["routes"] = [route];
  const httpFilters: unknown[] = [];
  if (compression !== undefined) {
    const library = {
      Gzip: "envoy.extensions.compression.gzip.compressor.v3.Gzip",
      Brotli: "envoy.extensions.compression.brotli.compressor.v3.Brotli",
      Zstd: "envoy.extensions.compression.zstd.compressor.v3.Zstd",
    }[compression];
    httpFilters.push({
      name: "envoy.filters.http.compressor",
      typed_config: typed("envoy.extensions.filters.http.compressor.v3.Compressor", {
        compressor_library: { name: "text_optimized", typed_config: typed(library) },
      }),
    });
  }
  httpFilters.push({ name: "envoy.filters.http.router", typed_config: typed("envoy.extensions.filters.http.router.v3.Router") });
  return {
    name: `envoy-gateway-proxy-stats-${address}-${port}`,
    address: {
      socket_address: { address, port_value: port, protocol: "TCP", ...(ipFamily === "IPv6" || ipFamily === "DualStack" ? { ipv4_compat: true } : {}) },
    },
    bypass_overload_manager: true,
    filter_chains: [
      {
        filters: [
          {
            name: "envoy.filters.network.http_connection_manager",
            typed_config: typed("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager", {
              stat_prefix: "eg-stats-http",
              normalize_path: true,
              route_config: { name: "local_route", virtual_hosts: [virtualHost] },
              http_filters: httpFilters,
            }),
          },
        ],
      },
    ],
  };
}

/** The upstream HTTP filters that send the service account token (from SDS) to the xDS server as a bearer credential. */
function serviceAccountTokenFilters(tokenPath: string): unknown[] {
  return [
    {
      name: "envoy.filters.http.credential_injector",
      typed_config: typed("envoy.extensions.filters.http.credential_injector.v3.CredentialInjector", {
        credential: {
          name: "envoy.http.injected_credentials.generic",
          typed_config: typed("envoy.extensions.http.injected_credentials.generic.v3.Generic", {
            credential: { name: "jwt-sa-bearer", sds_config: { path_config_source: { path: tokenPath }, resource_api_version: "V3" } },
          }),
        },
        overwrite: true,
      }),
    },
    {
      name: "envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec",
      typed_config: typed("envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec"),
    },
  ];
}

function metricSinkCluster(sink: MetricSink, index: number, systemCACertPath: string) {
  const cluster: Record<string, unknown> = {
    name: `otel_metric_sink_${index}`,
    connect_timeout: "0.250s",
    type: "STRICT_DNS",
    typed_extension_protocol_options: {
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": typed("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", {
        explicit_http_config: { http2_protocol_options: {} },
      }),
    },
    lb_policy: "ROUND_ROBIN",
    load_assignment: {
      cluster_name: `otel_metric_sink_${index}`,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: sink.address, port_value: sink.port } } } }] }],
    },
  };
  if (sink.tls !== undefined) {
    const context: Record<string, unknown> = {};
    if (sink.tls.sni) context["sni"] = sink.tls.sni;
    if (sink.tls.caCertificate !== undefined && sink.tls.caCertificate.length > 0) {
      context["common_tls_context"] = { validation_context: { trusted_ca: { inline_bytes: Buffer.from(sink.tls.caCertificate).toString("base64") } } };
    } else if (sink.tls.useSystemTrustStore === true) {
      context["common_tls_context"] = { validation_context: { trusted_ca: { filename: systemCACertPath } } };
    }
    cluster["transport_socket"] = {
      name: "envoy.transport_sockets.tls",
      typed_config: typed("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext", context),
    };
  }
  return cluster;
}
