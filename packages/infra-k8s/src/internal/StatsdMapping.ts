/**
 * The statsd-exporter mapping the rate-limit service's metrics go through (upstream's ratelimit statsd_conf.yaml):
 * per-descriptor counters as histograms (with one key and with two keys), the error and request counters, and
 * config load counters. Rendered as the same text upstream ships, so the ConfigMap does not change on upgrade.
 */
export function statsdMappingYaml(): string {
  const results = ["near_limit", "over_limit", "total_hits", "within_limit", "shadow_mode"];
  const lines = ['# Requires statsd exporter >= v0.6.0 since it uses the "drop" action.', "mappings:"];
  for (const result of results) {
    lines.push(
      `  - match: "ratelimit.service.rate_limit.*.*.${result}"`,
      `    name: "ratelimit_service_rate_limit_${result}"`,
      '    timer_type: "histogram"',
      "    labels:",
      '      domain: "$1"',
      '      key1: "$2"',
    );
  }
  lines.push("");
  const segment = "\\\\.([^\\\\.]*)";
  for (const result of results) {
    lines.push(
      `  - match: "ratelimit\\\\.service\\\\.rate_limit${segment}${segment}${segment}(\\\\..*)?\\\\.${result}"`,
      "    match_type: regex",
      `    name: "ratelimit_service_rate_limit_${result}"`,
      '    timer_type: "histogram"',
      "    labels:",
      '      domain: "$1"',
      '      key1: "$2"',
      '      key2: "$3"',
    );
  }
  lines.push(
    "",
    '  - match: "ratelimit.service.call.should_rate_limit.*"',
    '    name: "ratelimit_service_should_rate_limit_error"',
    "    match_metric_type: counter",
    "    labels:",
    '      err_type: "$1"',
    "",
    '  - match: "ratelimit_server.*.total_requests"',
    '    name: "ratelimit_service_total_requests"',
    "    match_metric_type: counter",
    "    labels:",
    '      grpc_method: "$1"',
    '  - match: "ratelimit_server.*.response_time"',
    '    name: "ratelimit_service_response_time_seconds"',
    "    timer_type: histogram",
    "    labels:",
    '      grpc_method: "$1"',
    "",
    '  - match: "ratelimit.service.config_load_success"',
    '    name: "ratelimit_service_config_load_success"',
    "    match_metric_type: counter",
    '  - match: "ratelimit.service.config_load_error"',
    '    name: "ratelimit_service_config_load_error"',
    "    match_metric_type: counter",
  );
  return lines.join("\n") + "\n";
}
