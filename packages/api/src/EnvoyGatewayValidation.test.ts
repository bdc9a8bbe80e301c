import { describe, expect, it } from "vitest";
import { goUrlParseError, validateEnvoyGateway, type EnvoyGateway } from "@egts/api";

const base: EnvoyGateway = {
  apiVersion: "gateway.envoyproxy.io/v1alpha1",
  kind: "EnvoyGateway",
  gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
  provider: { type: "Custom", custom: { resource: { type: "File", file: { paths: ["/srv"] } }, infrastructure: { type: "Host", host: {} } } },
};
const problems = (over: Record<string, unknown>): string[] => validateEnvoyGateway({ ...base, ...over } as EnvoyGateway).map((i) => `${i.path}: ${i.message}`);

describe("EnvoyGateway configuration validation (upstream's ValidateEnvoyGateway)", () => {
  it("accepts the standalone quickstart configuration", () => {
    expect(problems({})).toEqual([]);
  });

  it("checks Redis URLs as Go's url.Parse does, and the url/urlRef choice", () => {
    const redis = (r: Record<string, unknown>) => problems({ rateLimit: { backend: { type: "Redis", redis: r }, failClosed: false } });
    expect(redis({ url: "redis.svc.cluster.local:6379" })).toEqual([]);
    expect(redis({ url: "redis://a:6379,redis://b:6379" })).toEqual([]);
    expect(redis({ url: "10.0.0.1:6379" })).toEqual([
      'rateLimit.backend.redis.url: unknown ratelimit redis url format: parse "10.0.0.1:6379": first path segment in URL cannot contain colon',
    ]);
    expect(redis({ url: "redis://host:port" })).toEqual([
      'rateLimit.backend.redis.url: unknown ratelimit redis url format: parse "redis://host:port": invalid port ":port" after host',
    ]);
    expect(redis({})).toEqual(["rateLimit.backend.redis: exactly one of ratelimit redis url or urlRef must be set"]);
    expect(redis({ url: "redis:6379", urlRef: { secretKeyRef: { name: "r", key: "url" } } })).toEqual([
      "rateLimit.backend.redis: exactly one of ratelimit redis url or urlRef must be set",
    ]);
    expect(redis({ urlRef: { secretKeyRef: { name: "r", key: "" } } })).toEqual([
      "rateLimit.backend.redis.urlRef.secretKeyRef: ratelimit redis urlRef.secretKeyRef must set both name and key",
    ]);
  });

  it("checks extension managers: exclusive forms, names, hooks and one service target", () => {
    const em = { hooks: { xdsTranslator: { post: ["Route"] } }, service: { fqdn: { hostname: "ext.example", port: 5005 } } };
    expect(problems({ extensionManager: em })).toEqual([]);
    expect(problems({ extensionManager: em, extensionManagers: [{ ...em, name: "a" }] })).toEqual([
      "extensionManagers: extensionManager and extensionManagers are mutually exclusive",
    ]);
    expect(
      problems({
        extensionManagers: [
          { ...em, name: "a" },
          { ...em, name: "a" },
        ],
      }),
    ).toEqual(['extensionManagers[1].name: extension manager at index 1: duplicate name "a"']);
    expect(problems({ extensionManager: { ...em, hooks: { xdsTranslator: {} } } })).toEqual([
      "extensionManager.hooks: registered extension has no hooks specified",
    ]);
    expect(problems({ extensionManager: { ...em, service: { host: "x", unix: { path: "/s" } } } })).toEqual([
      "extensionManager.service: only one backend target can be configured for the extension manager",
    ]);
    expect(problems({ extensionManager: { ...em, service: {} } })).toEqual(["extensionManager.service: extension service must contain a configured target"]);
  });

  it("checks xDS server settings and telemetry sinks", () => {
    expect(problems({ xdsServer: { maxConnectionAge: "10m", maxConnectionAgeGrace: "2m", maxReceiveMessageSize: "4Mi" } })).toEqual([]);
    expect(problems({ xdsServer: { maxConnectionAge: "10", maxReceiveMessageSize: 0 } })).toEqual([
      'xdsServer.maxConnectionAge: invalid xdsServer.maxConnectionAge: time: missing unit in duration "10"',
      "xdsServer.maxReceiveMessageSize: xdsServer.maxReceiveMessageSize must be greater than zero",
    ]);
    expect(problems({ xdsServer: { maxConnectionAgeGrace: "0s" } })).toEqual([
      "xdsServer.maxConnectionAgeGrace: xdsServer.maxConnectionAgeGrace must be greater than zero",
    ]);
    const sink = (s: Record<string, unknown>) =>
      problems({ telemetry: { metrics: { sinks: [{ type: "OpenTelemetry", openTelemetry: { host: "otel", ...s } }] } } });
    expect(sink({ protocol: "grpc", exportInterval: "30s" })).toEqual([]);
    expect(sink({ protocol: "udp" })).toEqual([
      "telemetry.metrics.sinks[0].openTelemetry.protocol: unsupported protocol udp for OpenTelemetry sink, only 'grpc' and 'http' are supported",
    ]);
    expect(problems({ telemetry: { traces: { sink: { type: "OpenTelemetry" } } } })).toEqual([
      "telemetry.traces.sink.openTelemetry: OpenTelemetry is required when trace sink Type is OpenTelemetry",
    ]);
  });

  it("checks provider combinations, logging and the Lua switches", () => {
    expect(problems({ provider: { type: "Custom", custom: { resource: { type: "File" } } } })).toEqual([
      "provider.custom.resource.file: field 'file' should be specified when resource type is 'File'",
    ]);
    expect(
      problems({ provider: { type: "Custom", custom: { resource: { type: "File", file: { paths: ["/a"] } }, infrastructure: { type: "Remote" } } } }),
    ).toEqual(["provider.custom.infrastructure.remote: field 'remote' should be specified when infrastructure type is 'Remote'"]);
    expect(problems({ provider: { type: "Kubernetes", kubernetes: { watch: { type: "Namespaces" } } } })).toEqual([
      "provider.kubernetes.watch.namespaces: namespaces should be specified when envoy gateway watch mode is 'Namespaces'",
    ]);
    expect(problems({ logging: { level: { default: "trace" } } })).toEqual([
      "logging.level.default: envoy gateway logging level invalid. valid options: info/debug/warn/error",
    ]);
    expect(problems({ extensionApis: { disableLua: true, enableLua: true } })).toEqual([
      "extensionApis.disableLua: disableLua and enableLua must not have the same value",
    ]);
  });

  it("words url errors as Go does for the common mistakes", () => {
    expect(goUrlParseError(":6379")).toBe('parse ":6379": missing protocol scheme');
    expect(goUrlParseError("redis://[::1:6379")).toBe(`parse "redis://[::1:6379": missing ']' in host`);
    expect(goUrlParseError("redis://[::1]:6379")).toBeUndefined();
  });
});
