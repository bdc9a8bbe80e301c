// The EnvoyGateway configuration checked as upstream's api/v1alpha1/validation checks it (ValidateEnvoyGateway),
// after decoding: provider combinations, logging, rate-limit Redis, extension managers, telemetry sinks and
// xDS server settings. Each problem names its field; the wording after the field is upstream's.
import type { Issue } from "./Decode.js";
import type { EnvoyGateway, EnvoyGatewayOpenTelemetrySink, ExtensionManager, ExtensionService } from "./envoyGateway.js";

const logComponents = ["default", "provider", "gateway-api", "xds-translator", "xds-server", "xds", "infrastructure", "global-ratelimit"];
const logLevels = ["debug", "info", "warn", "error"];
const durationUnits: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration: seconds, or the error text. */
function parseDuration(text: string): number | string {
  const q = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s.startsWith("-") ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return `time: invalid duration ${q}`;
  let total = 0;
  while (s !== "") {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    if (!/^[0-9.]/.test(s) || ((m[1] ?? "") === "" && (m[2] ?? "") === "")) return `time: invalid duration ${q}`;
    s = s.slice(m[0].length);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? "";
    if (unit === "") return `time: missing unit in duration ${q}`;
    const scale = durationUnits[unit];
    if (scale === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${q}`;
    total += Number(`${m[1] || "0"}.${m[2] || "0"}`) * scale;
    s = s.slice(unit.length);
  }
  return sign * total;
}

/**
 * The error Go's net/url.Parse gives for a text, or undefined when it parses (it is lenient: only control
 * characters, a missing scheme before ':', a colon in a scheme-less first segment and bad hosts or ports fail).
 */
export function goUrlParseError(raw: string): string | undefined {
  const fail = (msg: string) => `parse ${JSON.stringify(raw)}: ${msg}`;
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fail("net/url: invalid control character in URL");
  let rest = raw.includes("#") ? raw.slice(0, raw.indexOf("#")) : raw;
  let scheme = "";
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ":") {
      if (i === 0) return fail("missing protocol scheme");
      scheme = rest.slice(0, i);
      rest = rest.slice(i + 1);
    }
    break;
  }
  if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));
  if (!rest.startsWith("/") && scheme !== "") return undefined; // opaque, e.g. mailto:x
  if (scheme === "" && !rest.startsWith("/")) {
    const firstSegment = rest.split("/")[0] ?? "";
    if (firstSegment.includes(":")) return fail("first path segment in URL cannot contain colon");
    return undefined;
  }
  if (!rest.startsWith("//")) return undefined;
  const authority = rest.slice(2).split("/")[0] ?? "";
  const host = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
  let colonPort = "";
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    if (end < 0) return fail("missing ']' in host");
    colonPort = host.slice(end + 1);
  } else if (host.includes(":")) colonPort = host.slice(host.lastIndexOf(":"));
  if (colonPort !== "" && !/^:\d*$/.test(colonPort)) return fail(`invalid port ${JSON.stringify(colonPort)} after host`);
  return undefined;
}

function positiveQuantity(v: number | string): boolean {
  if (typeof v === "number") return Number.isInteger(v) && v > 0;
  const m = /^\+?(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE]\d+)?$/.exec(v.trim());
  if (m === null) return false;
  const factor: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
  };
  const suffix = m[2] ?? "";
  const mult = factor[suffix] ?? (suffix === "" ? 1 : 10 ** Number(suffix.slice(1)));
  const value = Number(m[1]) * mult;
  return Number.isInteger(value) && value > 0;
}

class Problems {
  readonly issues: Issue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message, severity: "error" });
  }
}

function watchMode(p: Problems, path: string, watch: { type?: string; namespaces?: ReadonlyArray<string>; namespaceSelector?: unknown } | undefined): void {
  if (watch === undefined) return;
  if (watch.type === "Namespaces") {
    if ((watch.namespaces ?? []).length === 0) p.add(`${path}.namespaces`, "namespaces should be specified when envoy gateway watch mode is 'Namespaces'");
  } else if (watch.type === "NamespaceSelector") {
    if (watch.namespaceSelector === undefined)
      p.add(`${path}.namespaceSelector`, "namespaceSelector should be specified when envoy gateway watch mode is 'NamespaceSelector'");
  } else p.add(`${path}.type`, "envoy gateway watch mode invalid, should be 'Namespaces' or 'NamespaceSelector'");
}

function groupKindIsSecret(ref: { group?: string; kind?: string }): boolean {
  return (ref.group === undefined || ref.group === "") && (ref.kind === undefined || ref.kind === "Secret");
}

function extensionService(p: Problems, path: string, svc: ExtensionService | undefined): void {
  if (svc === undefined) {
    p.add(path, "extension service config is empty");
    return;
  }
  const targets = [svc.fqdn !== undefined, svc.ip !== undefined, svc.unix !== undefined, (svc.host ?? "") !== ""].filter(Boolean).length;
  if (targets === 0) p.add(path, "extension service must contain a configured target");
  else if (targets > 1) p.add(path, "only one backend target can be configured for the extension manager");
  if (svc.tls !== undefined) {
    if (!groupKindIsSecret(svc.tls.certificateRef ?? {})) p.add(`${path}.tls.certificateRef`, "unsupported extension server TLS certificateRef group/kind");
    if (svc.tls.clientCertificateRef !== undefined && !groupKindIsSecret(svc.tls.clientCertificateRef)) {
      p.add(`${path}.tls.clientCertificateRef`, "unsupported extension server mTLS clientCertificateRef group/kind");
    }
  }
}

function extensionManager(p: Problems, path: string, em: ExtensionManager): void {
  const xds = em.hooks?.xdsTranslator;
  if (xds === undefined || ((xds.pre ?? []).length === 0 && (xds.post ?? []).length === 0))
    p.add(`${path}.hooks`, "registered extension has no hooks specified");
  extensionService(p, `${path}.service`, em.service);
}

function otelSink(p: Problems, path: string, sink: EnvoyGatewayOpenTelemetrySink): void {
  if (sink.protocol !== "grpc" && sink.protocol !== "http") {
    p.add(`${path}.protocol`, `unsupported protocol ${sink.protocol ?? ""} for OpenTelemetry sink, only 'grpc' and 'http' are supported`);
  }
  for (const field of ["exportInterval", "exportTimeout"] as const) {
    const v = sink[field];
    if (v === undefined) continue;
    const d = parseDuration(v);
    if (typeof d === "string") p.add(`${path}.${field}`, `invalid ${field}: ${d}`);
    else if (d <= 0) p.add(`${path}.${field}`, `${field} must be greater than zero`);
  }
}

/**
 * Checks a decoded EnvoyGateway configuration as upstream does before it starts; returns every problem (an
 * empty list when the configuration is usable). Fields left out are upstream's defaults and pass.
 */
export function validateEnvoyGateway(eg: EnvoyGateway): Issue[] {
  const p = new Problems();
  if (eg.gateway !== undefined && (eg.gateway.controllerName ?? "") === "") p.add("gateway.controllerName", "gateway controllerName is unspecified");
  const provider = eg.provider;
  if (provider !== undefined) {
    if (provider.type === "Kubernetes") watchMode(p, "provider.kubernetes.watch", provider.kubernetes?.watch);
    else if (provider.type === "Custom") {
      const custom = provider.custom;
      if (custom === undefined) p.add("provider.custom", "empty custom provider settings");
      else {
        const res = custom.resource;
        if (res?.type === "File") {
          if (res.file === undefined) p.add("provider.custom.resource.file", "field 'file' should be specified when resource type is 'File'");
          else if ((res.file.paths ?? []).length === 0)
            p.add("provider.custom.resource.file.paths", "no paths were assigned for file resource provider to watch");
        } else if (res?.type === "Kubernetes") watchMode(p, "provider.custom.resource.kubernetes.watch", res.kubernetes?.watch);
        else p.add("provider.custom.resource.type", `unsupported resource provider: ${String(res?.type ?? "")}`);
        const infra = custom.infrastructure;
        if (infra?.type === "Host") {
          if (infra.host === undefined) p.add("provider.custom.infrastructure.host", "field 'host' should be specified when infrastructure type is 'Host'");
        } else if (infra?.type === "Remote") {
          if (infra.remote === undefined)
            p.add("provider.custom.infrastructure.remote", "field 'remote' should be specified when infrastructure type is 'Remote'");
          else if (infra.remote.service === undefined)
            p.add("provider.custom.infrastructure.remote.service", "field 'service' should be specified when infrastructure type is 'Remote'");
          else extensionService(p, "provider.custom.infrastructure.remote.service", infra.remote.service as ExtensionService);
        } else if (infra !== undefined) p.add("provider.custom.infrastructure.type", `unsupported infrastructure provider: ${String(infra.type ?? "")}`);
      }
    } else p.add("provider.type", "unsupported provider type");
  }
  for (const [component, level] of Object.entries(eg.logging?.level ?? {})) {
    if (!logComponents.includes(component)) {
      p.add(
        `logging.level.${component}`,
        "envoy gateway logging components invalid. valid options: system/provider/gateway-api/xds-translator/xds-server/xds/infrastructure",
      );
    } else if (!logLevels.includes(level)) p.add(`logging.level.${component}`, "envoy gateway logging level invalid. valid options: info/debug/warn/error");
  }
  const rl = eg.rateLimit;
  if (rl !== undefined) {
    if (rl.backend?.type !== "Redis") p.add("rateLimit.backend.type", `unsupported ratelimit backend ${String(rl.backend?.type ?? "")}`);
    else if (rl.backend.redis === undefined) p.add("rateLimit.backend.redis", "empty ratelimit redis settings");
    else {
      const redis = rl.backend.redis;
      const hasUrl = (redis.url ?? "") !== "";
      const hasRef = redis.urlRef !== undefined;
      if (hasUrl === hasRef) p.add("rateLimit.backend.redis", "exactly one of ratelimit redis url or urlRef must be set");
      else if (hasRef) {
        const ref = redis.urlRef?.secretKeyRef as { name?: string; key?: string; optional?: boolean } | undefined;
        if (ref === undefined || (ref.name ?? "") === "" || (ref.key ?? "") === "") {
          p.add("rateLimit.backend.redis.urlRef.secretKeyRef", "ratelimit redis urlRef.secretKeyRef must set both name and key");
        } else if (ref.optional === true) {
          p.add(
            "rateLimit.backend.redis.urlRef.secretKeyRef.optional",
            "ratelimit redis urlRef.secretKeyRef.optional must not be true; the Secret is required",
          );
        }
      } else {
        for (const host of (redis.url ?? "").split(",")) {
          const err = goUrlParseError(host);
          if (err !== undefined) {
            p.add("rateLimit.backend.redis.url", `unknown ratelimit redis url format: ${err}`);
            break;
          }
        }
      }
    }
  }
  if (eg.extensionManager !== undefined && eg.extensionManagers !== undefined && eg.extensionManagers.length > 0) {
    p.add("extensionManagers", "extensionManager and extensionManagers are mutually exclusive");
  } else if (eg.extensionManagers !== undefined) {
    if (eg.extensionManagers.length === 0) p.add("extensionManagers", "extensionManagers must contain at least one entry when specified");
    const names = new Set<string>();
    eg.extensionManagers.forEach((em, i) => {
      const name = em.name ?? "";
      if (name === "") p.add(`extensionManagers[${i}].name`, `extension manager at index ${i}: name is required`);
      else if (names.has(name)) p.add(`extensionManagers[${i}].name`, `extension manager at index ${i}: duplicate name ${JSON.stringify(name)}`);
      names.add(name);
      extensionManager(p, `extensionManagers[${i}]`, em);
    });
  } else if (eg.extensionManager !== undefined) extensionManager(p, "extensionManager", eg.extensionManager);
  const tel = eg.telemetry;
  (tel?.metrics?.sinks ?? []).forEach((sink, i) => {
    if (sink.type !== "OpenTelemetry") return;
    if (sink.openTelemetry === undefined) p.add(`telemetry.metrics.sinks[${i}].openTelemetry`, "OpenTelemetry is required when sink Type is OpenTelemetry");
    else otelSink(p, `telemetry.metrics.sinks[${i}].openTelemetry`, sink.openTelemetry);
  });
  if (tel?.traces !== undefined) {
    const sink = tel.traces.sink?.openTelemetry;
    if (sink === undefined) p.add("telemetry.traces.sink.openTelemetry", "OpenTelemetry is required when trace sink Type is OpenTelemetry");
    else otelSink(p, "telemetry.traces.sink.openTelemetry", sink);
  }
  const xds = eg.xdsServer;
  if (xds !== undefined) {
    for (const field of ["maxConnectionAge", "maxConnectionAgeGrace"] as const) {
      const v = xds[field];
      if (v === undefined) continue;
      const d = parseDuration(v);
      if (typeof d === "string") p.add(`xdsServer.${field}`, `invalid xdsServer.${field}: ${d}`);
      else if (d <= 0) p.add(`xdsServer.${field}`, `xdsServer.${field} must be greater than zero`);
    }
    if (xds.maxReceiveMessageSize !== undefined && !positiveQuantity(xds.maxReceiveMessageSize)) {
      p.add("xdsServer.maxReceiveMessageSize", "xdsServer.maxReceiveMessageSize must be greater than zero");
    }
  }
  const apis = eg.extensionApis;
  if (apis?.disableLua !== undefined && apis.disableLua === (apis.enableLua ?? false)) {
    p.add("extensionApis.disableLua", "disableLua and enableLua must not have the same value");
  }
  return p.issues;
}
