// The infra IR's resolved metric sinks as the bootstrap's OpenTelemetry stats sinks: one place for the host
// (infra-host) and Kubernetes (infra-k8s) renderings of the proxy's bootstrap.
import type { ResolvedMetricSink } from "@egts/ir";
import type { MetricSink } from "./Bootstrap.js";

/** Converts the infra IR's resolved metric sinks to bootstrap sinks (first endpoint of the first setting). */
export function metricSinksOf(sinks: ReadonlyArray<ResolvedMetricSink> | undefined): MetricSink[] {
  const result: MetricSink[] = [];
  for (const sink of sinks ?? []) {
    const setting = sink.destination.settings?.[0];
    const endpoint = setting?.endpoints?.[0];
    if (setting === undefined || endpoint === undefined) continue;
    const tls = setting.tls;
    result.push({
      address: endpoint.host,
      port: endpoint.port,
      ...(sink.authority !== undefined ? { authority: sink.authority } : {}),
      ...(sink.reportCountersAsDeltas !== undefined ? { reportCountersAsDeltas: sink.reportCountersAsDeltas } : {}),
      ...(sink.reportHistogramsAsDeltas !== undefined ? { reportHistogramsAsDeltas: sink.reportHistogramsAsDeltas } : {}),
      ...(sink.headers !== undefined ? { headers: sink.headers } : {}),
      ...(sink.resourceAttributes !== undefined ? { resourceAttributes: sink.resourceAttributes } : {}),
      ...(tls !== undefined
        ? {
            tls: {
              ...(tls.sni !== undefined ? { sni: tls.sni } : {}),
              ...(tls.useSystemTrustStore !== undefined ? { useSystemTrustStore: tls.useSystemTrustStore } : {}),
              ...(tls.caCertificate?.certificate !== undefined ? { caCertificate: tls.caCertificate.certificate } : {}),
            },
          }
        : {}),
    });
  }
  return result;
}
