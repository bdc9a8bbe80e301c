import type { Any } from "@egts/envoy-api";
import type { TypedExtensionConfig } from "@egts/envoy-api/generated/envoy/config/core/v3/extension";
import { DatadogConfig } from "@egts/envoy-api/generated/envoy/config/trace/v3/datadog";
import { OpenTelemetryConfig } from "@egts/envoy-api/generated/envoy/config/trace/v3/opentelemetry";
import { ZipkinConfig, ZipkinConfig_CollectorEndpointVersion } from "@egts/envoy-api/generated/envoy/config/trace/v3/zipkin";
import { HttpConnectionManager_Tracing } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { StaticConfigResourceDetectorConfig } from "@egts/envoy-api/generated/envoy/extensions/tracers/opentelemetry/resource_detectors/v3/static_config_resource_detector";
import { AlwaysOnSamplerConfig } from "@egts/envoy-api/generated/envoy/extensions/tracers/opentelemetry/samplers/v3/always_on_sampler";
import { ParentBasedSamplerConfig } from "@egts/envoy-api/generated/envoy/extensions/tracers/opentelemetry/samplers/v3/parent_based_sampler";
import { TraceIdRatioBasedSamplerConfig } from "@egts/envoy-api/generated/envoy/extensions/tracers/opentelemetry/samplers/v3/trace_id_ratio_based_sampler";
import { CustomTag } from "@egts/envoy-api/generated/envoy/type/tracing/v3/custom_tag";
import { FractionalPercent_DenominatorType } from "@egts/envoy-api/generated/envoy/type/v3/percent";
import type { CustomTagMapEntry, MapEntry, Tracing, egv1a1, gwapiv1 } from "@egts/ir";
import { grpcInitialMetadata } from "./AccessLog.js";
import { addCluster, endpointTypeOf, trafficArgs } from "./Cluster.js";
import type { TranslationContext } from "./Context.js";
import { fractionFromFraction } from "./FractionalPercent.js";
import { anyOf, msg } from "./Proto.js";

/** Custom span tags (literal, environment, request header, plain values), sorted by tag. */
export function buildTracingTags(customTags: readonly CustomTagMapEntry[] | undefined, tags: readonly MapEntry[] | undefined): CustomTag[] {
  const out = new Map<string, CustomTag>();
  for (const { key, value: v } of customTags ?? []) {
    switch (v.type) {
      case "Literal":
        out.set(key, msg(CustomTag, { tag: key, type: { $case: "literal", value: { value: v.literal?.value ?? "" } } }));
        break;
      case "Environment":
        out.set(
          key,
          msg(CustomTag, {
            tag: key,
            type: { $case: "environment", value: { name: v.environment?.name ?? "", defaultValue: v.environment?.defaultValue ?? "" } },
          }),
        );
        break;
      case "RequestHeader":
        out.set(
          key,
          msg(CustomTag, {
            tag: key,
            type: { $case: "requestHeader", value: { name: v.requestHeader?.name ?? "", defaultValue: v.requestHeader?.defaultValue ?? "" } },
          }),
        );
        break;
      default:
        throw new Error(`unknown custom tag type: ${String(v.type)}`);
    }
  }
  for (const { key, value } of tags ?? []) out.set(key, msg(CustomTag, { tag: key, type: { $case: "value", value } }));
  return [...out.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

const samplerConfig = (name: string, typedConfig: Any): TypedExtensionConfig => ({ name, typedConfig });

function ratioSampler(fraction: gwapiv1.Fraction | undefined): TypedExtensionConfig {
  const samplingPercentage = fractionFromFraction(fraction) ?? { numerator: 100, denominator: FractionalPercent_DenominatorType.HUNDRED };
  return samplerConfig("envoy.tracers.opentelemetry.samplers.trace_id_ratio_based", anyOf(TraceIdRatioBasedSamplerConfig, { samplingPercentage }));
}

const alwaysOn = () => samplerConfig("envoy.tracers.opentelemetry.samplers.always_on", anyOf(AlwaysOnSamplerConfig, {}));
const parentBased = (wrappedSampler: TypedExtensionConfig) =>
  samplerConfig("envoy.tracers.opentelemetry.samplers.parent_based", anyOf(ParentBasedSamplerConfig, { wrappedSampler }));

function buildSampler(sampler: egv1a1.OTelSampler | undefined): TypedExtensionConfig | undefined {
  if (sampler === undefined) return undefined;
  const zero = { numerator: 0 };
  switch (sampler.type) {
    case "AlwaysOn":
      return alwaysOn();
    case "AlwaysOff":
      return ratioSampler(zero);
    case "TraceIdRatio":
      return ratioSampler(sampler.samplingPercentage);
    case "ParentBasedAlwaysOn":
      return parentBased(alwaysOn());
    case "ParentBasedAlwaysOff":
      return parentBased(ratioSampler(zero));
    case "ParentBasedTraceIdRatio":
      return parentBased(ratioSampler(sampler.samplingPercentage));
    default:
      throw new Error(`unknown sampler type: ${String(sampler.type)}`);
  }
}

/** The HCM tracing config for the proxy-wide tracing settings; undefined without tracing. */
export function buildHcmTracing(tracing: Tracing | undefined): HttpConnectionManager_Tracing | undefined {
  if (tracing === undefined) return undefined;
  let providerName: string;
  let providerConfig: Any;
  const provider = tracing.provider;
  switch (provider.type) {
    case "Datadog":
      providerName = "envoy.tracers.datadog";
      providerConfig = anyOf(DatadogConfig, { serviceName: tracing.serviceName, collectorCluster: tracing.destination.name });
      break;
    case "OpenTelemetry": {
      const sampler = buildSampler(provider.openTelemetry?.sampler);
      const resources = tracing.resourceAttributes ?? [];
      const attributes: Record<string, string> = {};
      for (const e of resources) attributes[e.key] = e.value;
      providerName = "envoy.tracers.opentelemetry";
      providerConfig = anyOf(OpenTelemetryConfig, {
        grpcService: {
          targetSpecifier: { $case: "envoyGrpc", value: { clusterName: tracing.destination.name, authority: tracing.authority ?? "" } },
          initialMetadata: grpcInitialMetadata(tracing.headers),
        },
        serviceName: tracing.serviceName,
        resourceDetectors:
          resources.length > 0
            ? [
                {
                  name: "envoy.tracers.opentelemetry.resource_detectors.static_config",
                  typedConfig: anyOf(StaticConfigResourceDetectorConfig, { attributes }),
                },
              ]
            : [],
        ...(sampler !== undefined ? { sampler } : {}),
      });
      break;
    }
    case "Zipkin":
      providerName = "envoy.traces.zipkin"; // sic: upstream's name
      providerConfig = anyOf(ZipkinConfig, {
        collectorCluster: tracing.destination.name,
        collectorEndpoint: "/api/v2/spans",
        traceId128bit: provider.zipkin?.enable128BitTraceId === true,
        sharedSpanContext: provider.zipkin?.disableSharedSpanContext !== true,
        collectorEndpointVersion: ZipkinConfig_CollectorEndpointVersion.HTTP_JSON,
      });
      break;
    default:
      throw new Error(`unknown tracing provider type: ${String(provider.type)}`);
  }
  const randomSampling = provider.openTelemetry?.sampler !== undefined ? 100 : (tracing.samplingRate ?? 0);
  return msg(HttpConnectionManager_Tracing, {
    clientSampling: { value: tracing.clientSamplingRate ?? 0 },
    overallSampling: { value: tracing.overallSamplingRate ?? 100 },
    randomSampling: { value: randomSampling },
    provider: { name: providerName, configType: { $case: "typedConfig", value: providerConfig } },
    customTags: buildTracingTags(tracing.customTags, tracing.tags),
    spawnUpstreamSpan: true,
    operation: tracing.spanName?.client ?? "",
    upstreamOperation: tracing.spanName?.server ?? "",
  });
}

/** Adds the cluster the tracer sends spans to. */
export function addTracingCluster(ctx: TranslationContext): void {
  const tracing = ctx.ir.tracing;
  if (tracing === undefined) return;
  const d = tracing.destination;
  addCluster(ctx, {
    name: d.name,
    settings: d.settings ?? [],
    endpointType: endpointTypeOf(d.settings),
    metrics: ctx.ir.metrics,
    metadata: d.metadata,
    healthCheckLog: ctx.ir.healthCheckLog,
    ...trafficArgs(tracing.traffic),
  });
}
