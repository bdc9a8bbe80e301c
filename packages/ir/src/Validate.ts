// Upstream's IR validation (the Validate methods of internal/ir), with the offending field's path.
import { isIP } from "node:net";
import type { BackendCluster, DestinationEndpoint, DestinationSetting, RouteDestination } from "./Destination.js";
import { parseGoDuration } from "./GoDuration.js";
import type { HealthCheck, HealthCheckPayload, HTTPHealthChecker } from "./HealthCheck.js";
import type { Infra } from "./Infra.js";
import type { TCPRoute, UDPRoute } from "./L4Route.js";
import type { CoreListenerDetails, HTTPListener, TCPListener, UDPListener } from "./Listener.js";
import type { LoadBalancer } from "./LoadBalancer.js";
import type { StringMatch } from "./Match.js";
import type { JSONPatchOperation } from "./PatchPolicy.js";
import type { CustomResponse, CredentialInjection } from "./ResponseOverride.js";
import type { AddHeader, ExtendedHTTPPathModifier, HTTPHostModifier, HTTPPathModifier, HTTPRoute, Redirect, URLRewrite } from "./Route.js";
import type { TLSCertificate, TLSConfig } from "./Tls.js";
import type { TrafficFeatures } from "./Traffic.js";
import type { Xds } from "./Xds.js";

/** Upstream's message for each validation error (the `Err...` values of internal/ir), by name. */
export const IRValidationMessages = {
  ListenerNameEmpty: "field Name must be specified",
  ListenerAddressInvalid: "field Address must be a valid IP address",
  ListenerPortInvalid: "field Port specified is invalid",
  HTTPListenerHostnamesEmpty: "field Hostnames must be specified with at least a single hostname entry",
  TCPRouteSNIsEmpty: "field SNIs must be specified with at least a single server name entry",
  TLSCertEmpty: "field certificate must be specified",
  TLSPrivateKey: "field PrivateKey must be specified",
  TLSSDSSecretNameEmpty: "field SDS SecretName must be specified",
  TLSSDSSchemeEmpty: "field SDS Scheme must be specified",
  TLSSDSAddressEmpty: "field SDS Address must be specified",
  TLSCertificateMultipleSources: "only one of SDS or inline certificate fields may be specified",
  RouteNameEmpty: "field Name must be specified",
  HTTPRouteHostnameEmpty: "field Hostname must be specified",
  DestinationNameEmpty: "field Name must be specified",
  DestEndpointHostInvalid: "field Address must be a valid IP or FQDN address",
  DestEndpointPortInvalid: "field Port specified is invalid",
  DestEndpointUDSPortInvalid: "field Port must not be specified for Unix Domain Socket address",
  DestEndpointUDSHostInvalid: "field Host must not be specified for Unix Domain Socket address",
  StringMatchConditionInvalid: "only one of the Exact, Prefix, SafeRegex or Distinct fields must be set",
  StringMatchInvertDistinctInvalid: "only one of the Invert or Distinct fields can be set",
  StringMatchNameIsEmpty: "field Name must be specified",
  DirectResponseStatusInvalid: "only HTTP status codes 100 - 599 are supported for DirectResponse",
  RedirectUnsupportedStatus: "only HTTP status codes 301, 302, 303, 307 and 308 are supported for redirect filters",
  RedirectUnsupportedScheme: "only http and https are supported for the scheme in redirect filters",
  HTTPPathModifierDoubleReplace:
    "redirect filter cannot have a path modifier that supplies more than one of fullPathReplace, prefixMatchReplace and regexMatchReplace",
  HTTPPathModifierNoReplace: "redirect filter cannot have a path modifier that does not supply either fullPathReplace, prefixMatchReplace or regexMatchReplace",
  HTTPHostModifierDoubleReplace: "url rewrite filter cannot have a host modifier that supplies more than one of Name, Header, Backend and PathRegex",
  HTTPHostModifierEmptyPathRegex: "host modifier with a PathRegex must supply both a Pattern and a Substitution",
  AddHeaderEmptyName: "header modifier filter cannot configure a header without a name to be added",
  AddHeaderDuplicate: "header modifier filter attempts to add the same header more than once (case insensitive)",
  RemoveHeaderDuplicate: "header modifier filter attempts to remove the same header more than once (case insensitive)",
  LoadBalancerInvalid: "loadBalancer setting is invalid, only one setting can be set",
  HealthCheckTimeoutInvalid: "field HealthCheck.Timeout must be specified",
  HealthCheckIntervalInvalid: "field HealthCheck.Interval must be specified",
  HealthCheckInitialJitterInvalid: "field HealthCheck.InitialJitter should be greater than or equal to 0",
  HealthCheckUnhealthyThresholdInvalid: "field HealthCheck.UnhealthyThreshold should be greater than 0",
  HealthCheckHealthyThresholdInvalid: "field HealthCheck.HealthyThreshold should be greater than 0",
  HealthCheckerInvalid: "health checker setting is invalid, only one health checker can be set",
  HCHTTPPathInvalid: "field HTTPHealthChecker.Path should be specified",
  HCHTTPMethodInvalid: "only one of the GET, HEAD, POST, DELETE, OPTIONS, TRACE, PATCH of HTTPHealthChecker.Method could be set",
  HCHTTPExpectedStatusesInvalid: "field HTTPHealthChecker.ExpectedStatuses should be specified",
  HealthCheckOverridesPortInvalid: "field HealthCheckOverrides.Port must be between 1 and 65535",
  HealthCheckPayloadInvalid: "one of Text, Binary fields must be set in payload",
  HTTPStatusInvalid: "HTTPStatus should be in [200,600)",
  OutlierDetectionBaseEjectionTimeInvalid: "field OutlierDetection.BaseEjectionTime must be specified",
  OutlierDetectionIntervalInvalid: "field OutlierDetection.Interval must be specified",
  BothXForwardedForAndCustomHeaderInvalid: "only one of ClientIPDetection.XForwardedFor and ClientIPDetection.CustomHeader must be set",
  BothNumTrustedHopsAndTrustedCIDRsInvalid:
    "only one of ClientIPDetection.XForwardedFor.NumTrustedHops and ClientIPDetection.XForwardedFor.TrustedCIDRs must be set",
  PanicThresholdInvalid: "PanicThreshold value is outside of 0-100 range",
  CredentialInjectionCredentialEmpty: "field CredentialInjection.Credential must be specified",
  BackendClusterMergedDynamicResolver: "a BackendCluster must not be a dynamic resolver",
  BackendClusterRefNotFound: "field BackendClusterRefs references a BackendCluster name that does not exist",
  ProxyNameEmpty: "name field required",
  ProxyListenerPortsEmpty: "listener ports field required",
  ProxyListenerPortNameEmpty: "listener name field required",
  ProxyServicePortInvalid: "listener service port must be a valid port number",
  ProxyContainerPortInvalid: "listener container port must be a valid port number",
} as const;

/** Names of upstream's IR validation errors. */
export type IRValidationCode = keyof typeof IRValidationMessages;

/** One IR validation failure: which check (`code`), where (`path`, as in the JSON form) and upstream's message. */
export interface IRValidationError {
  readonly code: IRValidationCode;
  readonly path: string;
  readonly message: string;
}

/** Formats an error as `path: message`. */
export const formatIRValidationError = (e: IRValidationError): string => (e.path ? `${e.path}: ${e.message}` : e.message);

type Report = (path: string, code: IRValidationCode, detail?: string) => void;

const isIPAddress = (s: string): boolean => isIP(s) !== 0;

// k8s.io/apimachinery IsDNS1123Subdomain.
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const isDNS1123Subdomain = (s: string): boolean => s.length <= 253 && DNS1123_SUBDOMAIN.test(s);

const SUPPORTED_REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const HEALTH_CHECK_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", ""]);

/**
 * Validates an xds IR the way upstream's `Xds.Validate` does: listeners, routes, matches,
 * destinations, redirects, header mutations, TLS certificates, load balancers, health checks and
 * backend cluster references. Returns every failure found (empty when valid).
 */
export function validateXds(ir: Xds, basePath = ""): readonly IRValidationError[] {
  const errors: IRValidationError[] = [];
  const report: Report = (path, code, detail) => {
    const message = detail === undefined ? IRValidationMessages[code] : `${IRValidationMessages[code]}: ${detail}`;
    errors.push({ code, path, message });
  };
  const at = (key: string) => (basePath ? `${basePath}.${key}` : key);
  (ir.http ?? []).forEach((l, i) => validateHTTPListener(l, at(`http[${i}]`), report));
  (ir.tcp ?? []).forEach((l, i) => validateTCPListener(l, at(`tcp[${i}]`), report));
  (ir.udp ?? []).forEach((l, i) => validateUDPListener(l, at(`udp[${i}]`), report));
  (ir.backendClusters ?? []).forEach((b, i) => validateBackendCluster(b, at(`backendClusters[${i}]`), report));
  validateBackendClusterRefs(ir, basePath, report);
  return errors;
}

/** Validates an infra IR the way upstream's `Infra.Validate` does: proxy name and listener ports. */
export function validateInfra(ir: Infra, basePath = ""): readonly IRValidationError[] {
  const errors: IRValidationError[] = [];
  const report: Report = (path, code) => errors.push({ code, path, message: IRValidationMessages[code] });
  const proxy = ir.proxy;
  if (proxy === undefined) return errors;
  const p = basePath ? `${basePath}.proxy` : "proxy";
  if (proxy.name === "") report(`${p}.name`, "ProxyNameEmpty");
  (proxy.listeners ?? []).forEach((l, i) => {
    const lp = `${p}.listeners[${i}]`;
    if ((l.ports ?? []).length === 0) report(`${lp}.ports`, "ProxyListenerPortsEmpty");
    (l.ports ?? []).forEach((port, j) => {
      const pp = `${lp}.ports[${j}]`;
      if (port.name === "") report(`${pp}.name`, "ProxyListenerPortNameEmpty");
      if (port.servicePort < 1 || port.servicePort > 65535) report(`${pp}.servicePort`, "ProxyServicePortInvalid");
      if (port.containerPort < 1 || port.containerPort > 65535) report(`${pp}.containerPort`, "ProxyContainerPortInvalid");
    });
  });
  return errors;
}

function validateCoreListener(l: CoreListenerDetails, path: string, report: Report): void {
  if (l.name === "") report(`${path}.name`, "ListenerNameEmpty");
  if (!isIPAddress(l.address)) report(`${path}.address`, "ListenerAddressInvalid");
  if (l.port === 0) report(`${path}.port`, "ListenerPortInvalid");
}

function validateHTTPListener(l: HTTPListener, path: string, report: Report): void {
  validateCoreListener(l, path, report);
  if ((l.hostnames ?? []).length === 0) report(`${path}.hostnames`, "HTTPListenerHostnamesEmpty");
  if (l.tls !== undefined) validateTLSConfig(l.tls, `${path}.tls`, report);
  (l.routes ?? []).forEach((r, i) => validateHTTPRoute(r, `${path}.routes[${i}]`, report));
  const ipDetection = l.clientIPDetection;
  if (ipDetection !== undefined) {
    if (ipDetection.xForwardedFor !== undefined && ipDetection.customHeader !== undefined) {
      report(`${path}.clientIPDetection`, "BothXForwardedForAndCustomHeaderInvalid");
    } else if (ipDetection.xForwardedFor !== undefined) {
      const xff = ipDetection.xForwardedFor;
      if (xff.numTrustedHops !== undefined && xff.trustedCIDRs !== undefined) {
        report(`${path}.clientIPDetection.xForwardedFor`, "BothNumTrustedHopsAndTrustedCIDRsInvalid");
      }
    }
  }
}

function validateTLSCertificate(c: TLSCertificate, path: string, report: Report): void {
  if (c.sds !== undefined) {
    if ((c.certificate?.length ?? 0) > 0 || (c.privateKey?.length ?? 0) > 0 || (c.ocspStaple?.length ?? 0) > 0) {
      report(path, "TLSCertificateMultipleSources");
    }
    if (c.sds.secretName === "") report(`${path}.sds.secretName`, "TLSSDSSecretNameEmpty");
    if (c.sds.scheme === "") report(`${path}.sds.scheme`, "TLSSDSSchemeEmpty");
    if (c.sds.address === "") report(`${path}.sds.address`, "TLSSDSAddressEmpty");
    return;
  }
  if ((c.certificate?.length ?? 0) === 0) report(`${path}.certificate`, "TLSCertEmpty");
  if ((c.privateKey?.length ?? 0) === 0) report(`${path}.privateKey`, "TLSPrivateKey");
}

function validateTLSConfig(t: TLSConfig, path: string, report: Report): void {
  (t.certificates ?? []).forEach((c, i) => validateTLSCertificate(c, `${path}.certificates[${i}]`, report));
}

function validateCustomResponse(r: CustomResponse, path: string, report: Report): void {
  if (r.statusCode !== undefined && (r.statusCode > 599 || r.statusCode < 100)) {
    report(`${path}.statusCode`, "DirectResponseStatusInvalid");
  }
}

function validateCredentialInjection(c: CredentialInjection, path: string, report: Report): void {
  if (c.credential.length === 0) report(`${path}.credential`, "CredentialInjectionCredentialEmpty");
}

function validateTrafficFeatures(t: TrafficFeatures, path: string, report: Report): void {
  if (t.loadBalancer !== undefined) validateLoadBalancer(t.loadBalancer, `${path}.loadBalancer`, report);
  if (t.healthCheck !== undefined) validateHealthCheck(t.healthCheck, `${path}.healthCheck`, report);
}

function validateHTTPRoute(r: HTTPRoute, path: string, report: Report): void {
  if (r.name === "") report(`${path}.name`, "RouteNameEmpty");
  if (r.hostname === "") report(`${path}.hostname`, "HTTPRouteHostnameEmpty");
  if (r.pathMatch !== undefined) validateStringMatch(r.pathMatch, `${path}.pathMatch`, report);
  (r.headerMatches ?? []).forEach((m, i) => validateStringMatch(m, `${path}.headerMatches[${i}]`, report));
  (r.queryParamMatches ?? []).forEach((m, i) => validateStringMatch(m, `${path}.queryParamMatches[${i}]`, report));
  (r.cookieMatches ?? []).forEach((m, i) => validateStringMatch(m, `${path}.cookieMatches[${i}]`, report));
  if (r.destination !== undefined) validateRouteDestination(r.destination, `${path}.destination`, report);
  if (r.redirect !== undefined) validateRedirect(r.redirect, `${path}.redirect`, report);
  if (r.directResponse !== undefined) validateCustomResponse(r.directResponse, `${path}.directResponse`, report);
  if (r.credentialInjection !== undefined) {
    validateCredentialInjection(r.credentialInjection, `${path}.credentialInjection`, report);
  }
  if (r.urlRewrite !== undefined) validateURLRewrite(r.urlRewrite, `${path}.urlRewrite`, report);
  (r.mirrors ?? []).forEach((m, i) => {
    if (m.destination !== undefined) validateRouteDestination(m.destination, `${path}.mirrors[${i}].destination`, report);
  });
  validateAddHeaders(r.addRequestHeaders, `${path}.addRequestHeaders`, report);
  validateRemoveHeaders(r.removeRequestHeaders, `${path}.removeRequestHeaders`, report);
  validateAddHeaders(r.addResponseHeaders, `${path}.addResponseHeaders`, report);
  validateRemoveHeaders(r.removeResponseHeaders, `${path}.removeResponseHeaders`, report);
  if (r.traffic !== undefined) validateTrafficFeatures(r.traffic, `${path}.traffic`, report);
}

// Like upstream, names are compared exactly and only the first duplicate is reported.
function validateAddHeaders(headers: readonly AddHeader[] | undefined, path: string, report: Report): void {
  const seen = new Set<string>();
  for (const [i, h] of (headers ?? []).entries()) {
    if (h.name === "") report(`${path}[${i}].name`, "AddHeaderEmptyName");
    if (seen.has(h.name)) {
      report(`${path}[${i}].name`, "AddHeaderDuplicate");
      break;
    }
    seen.add(h.name);
  }
}

function validateRemoveHeaders(headers: readonly string[] | undefined, path: string, report: Report): void {
  const seen = new Set<string>();
  for (const [i, h] of (headers ?? []).entries()) {
    if (seen.has(h)) {
      report(`${path}[${i}]`, "RemoveHeaderDuplicate");
      break;
    }
    seen.add(h);
  }
}

function validateRouteDestination(d: RouteDestination, path: string, report: Report): void {
  if (d.name === "") report(`${path}.name`, "DestinationNameEmpty");
  (d.settings ?? []).forEach((s, i) => validateDestinationSetting(s, `${path}.settings[${i}]`, report));
  (d.backendClusterRefs ?? []).forEach((ref, i) => {
    if (ref.name === "") report(`${path}.backendClusterRefs[${i}].name`, "DestinationNameEmpty");
  });
}

function validateBackendCluster(b: BackendCluster, path: string, report: Report): void {
  if (b.name === "") report(`${path}.name`, "DestinationNameEmpty");
  if (b.setting !== undefined) {
    validateDestinationSetting(b.setting, `${path}.setting`, report);
    if (b.setting.isDynamicResolver === true) report(`${path}.setting.isDynamicResolver`, "BackendClusterMergedDynamicResolver");
  }
}

function validateBackendClusterRefs(ir: Xds, basePath: string, report: Report): void {
  const names = new Set((ir.backendClusters ?? []).map((b) => b.name));
  const at = (key: string) => (basePath ? `${basePath}.${key}` : key);
  const check = (d: RouteDestination | undefined, path: string) => {
    (d?.backendClusterRefs ?? []).forEach((ref, i) => {
      if (!names.has(ref.name)) report(`${path}.backendClusterRefs[${i}].name`, "BackendClusterRefNotFound", ref.name);
    });
  };
  (ir.http ?? []).forEach((l, li) =>
    (l.routes ?? []).forEach((r, ri) => {
      const routePath = at(`http[${li}].routes[${ri}]`);
      check(r.destination, `${routePath}.destination`);
      (r.mirrors ?? []).forEach((m, mi) => check(m.destination, `${routePath}.mirrors[${mi}].destination`));
    }),
  );
  (ir.tcp ?? []).forEach((l, li) => (l.routes ?? []).forEach((r, ri) => check(r.destination, at(`tcp[${li}].routes[${ri}].destination`))));
  (ir.udp ?? []).forEach((l, li) => check(l.route?.destination, at(`udp[${li}].route.destination`)));
}

function validateDestinationSetting(s: DestinationSetting, path: string, report: Report): void {
  (s.endpoints ?? []).forEach((e, i) => validateDestinationEndpoint(e, `${path}.endpoints[${i}]`, report));
}

function validateDestinationEndpoint(e: DestinationEndpoint, path: string, report: Report): void {
  if (e.path !== undefined) {
    if (e.port !== 0) report(`${path}.port`, "DestEndpointUDSPortInvalid");
    if (e.host !== "") report(`${path}.host`, "DestEndpointUDSHostInvalid");
    return;
  }
  if (!isDNS1123Subdomain(e.host) && !isIPAddress(e.host)) report(`${path}.host`, "DestEndpointHostInvalid");
  if (e.port === 0) report(`${path}.port`, "DestEndpointPortInvalid");
}

function validateURLRewrite(r: URLRewrite, path: string, report: Report): void {
  if (r.path !== undefined) validateExtendedPathModifier(r.path, `${path}.path`, report);
  if (r.host !== undefined) validateHostModifier(r.host, `${path}.host`, report);
}

function validateRedirect(r: Redirect, path: string, report: Report): void {
  if (r.scheme !== undefined && r.scheme !== "http" && r.scheme !== "https") {
    report(`${path}.scheme`, "RedirectUnsupportedScheme");
  }
  if (r.path !== undefined) validatePathModifier(r.path, `${path}.path`, report);
  if (r.statusCode !== undefined && !SUPPORTED_REDIRECT_CODES.has(r.statusCode)) {
    report(`${path}.statusCode`, "RedirectUnsupportedStatus");
  }
}

function validatePathModifier(m: HTTPPathModifier, path: string, report: Report): void {
  if (m.fullReplace !== undefined && m.prefixMatchReplace !== undefined) report(path, "HTTPPathModifierDoubleReplace");
  if (m.fullReplace === undefined && m.prefixMatchReplace === undefined) report(path, "HTTPPathModifierNoReplace");
}

function validateExtendedPathModifier(m: ExtendedHTTPPathModifier, path: string, report: Report): void {
  const set = [m.regexMatchReplace, m.prefixMatchReplace, m.fullReplace].filter((x) => x !== undefined).length;
  if (set > 1) report(path, "HTTPPathModifierDoubleReplace");
  if (set === 0) report(path, "HTTPPathModifierNoReplace");
  const regex = m.regexMatchReplace;
  if (regex !== undefined && (regex.pattern === "" || regex.substitution === "")) {
    report(`${path}.regexMatchReplace`, "HTTPPathModifierNoReplace");
  }
}

function validateHostModifier(m: HTTPHostModifier, path: string, report: Report): void {
  const set = [m.name, m.header, m.backend, m.pathRegex].filter((x) => x !== undefined).length;
  if (set > 1) report(path, "HTTPHostModifierDoubleReplace");
  const regex = m.pathRegex;
  if (regex !== undefined && (regex.pattern === "" || regex.substitution === "")) {
    report(`${path}.pathRegex`, "HTTPHostModifierEmptyPathRegex");
  }
}

function validateStringMatch(m: StringMatch, path: string, report: Report): void {
  let conditions = [m.exact, m.prefix, m.suffix, m.safeRegex].filter((x) => x !== undefined).length;
  if (m.distinct) {
    if (m.name === "") report(`${path}.name`, "StringMatchNameIsEmpty");
    if (m.invert === true) report(`${path}.invert`, "StringMatchInvertDistinctInvalid");
    conditions++;
  }
  if (conditions !== 1) report(path, "StringMatchConditionInvalid");
}

function validateTCPListener(l: TCPListener, path: string, report: Report): void {
  validateCoreListener(l, path, report);
  (l.routes ?? []).forEach((r, i) => validateTCPRoute(r, `${path}.routes[${i}]`, report));
}

function validateTCPRoute(r: TCPRoute, path: string, report: Report): void {
  if (r.name === "") report(`${path}.name`, "RouteNameEmpty");
  if (r.tls?.inspector !== undefined && (r.tls.inspector.snis ?? []).length === 0) {
    report(`${path}.tls.inspector.snis`, "TCPRouteSNIsEmpty");
  }
  if (r.tls?.terminate !== undefined) validateTLSConfig(r.tls.terminate, `${path}.tls.terminate`, report);
  if (r.destination !== undefined) validateRouteDestination(r.destination, `${path}.destination`, report);
  if (r.loadBalancer !== undefined) validateLoadBalancer(r.loadBalancer, `${path}.loadBalancer`, report);
  if (r.healthCheck !== undefined) validateHealthCheck(r.healthCheck, `${path}.healthCheck`, report);
}

function validateUDPListener(l: UDPListener, path: string, report: Report): void {
  validateCoreListener(l, path, report);
  if (l.route !== undefined) validateUDPRoute(l.route, `${path}.route`, report);
}

function validateUDPRoute(r: UDPRoute, path: string, report: Report): void {
  if (r.name === "") report(`${path}.name`, "RouteNameEmpty");
  if (r.destination !== undefined) validateRouteDestination(r.destination, `${path}.destination`, report);
}

function validateLoadBalancer(lb: LoadBalancer, path: string, report: Report): void {
  const set = [lb.roundRobin, lb.leastRequest, lb.random, lb.consistentHash, lb.backendUtilization].filter((x) => x !== undefined).length;
  if (set !== 1) report(path, "LoadBalancerInvalid");
}

const isZeroDuration = (d: string | undefined): boolean => d !== undefined && (d === "" || parseGoDuration(d) === 0);

function validateHealthCheck(h: HealthCheck, path: string, report: Report): void {
  const active = h.active;
  if (active !== undefined) {
    const p = `${path}.active`;
    if (isZeroDuration(active.timeout)) report(`${p}.timeout`, "HealthCheckTimeoutInvalid");
    if (isZeroDuration(active.interval)) report(`${p}.interval`, "HealthCheckIntervalInvalid");
    if (active.initialJitter !== undefined) {
      const jitter = parseGoDuration(active.initialJitter);
      if (jitter === undefined || jitter < 0) report(`${p}.initialJitter`, "HealthCheckInitialJitterInvalid");
    }
    if (active.unhealthyThreshold === 0) report(`${p}.unhealthyThreshold`, "HealthCheckUnhealthyThresholdInvalid");
    if (active.healthyThreshold === 0) report(`${p}.healthyThreshold`, "HealthCheckHealthyThresholdInvalid");
    if ([active.http, active.tcp, active.grpc].filter((x) => x !== undefined).length > 1) report(p, "HealthCheckerInvalid");
    if (active.http !== undefined) validateHTTPHealthChecker(active.http, `${p}.http`, report);
    if (active.tcp !== undefined) {
      if (active.tcp.send !== undefined) validatePayload(active.tcp.send, `${p}.tcp.send`, report);
      if (active.tcp.receive !== undefined) validatePayload(active.tcp.receive, `${p}.tcp.receive`, report);
    }
    if (active.overrides !== undefined) {
      const port = active.overrides.port ?? 0;
      if (port < 1 || port > 65535) report(`${p}.overrides.port`, "HealthCheckOverridesPortInvalid");
    }
  }
  const passive = h.passive;
  if (passive !== undefined) {
    if (isZeroDuration(passive.baseEjectionTime)) report(`${path}.passive.baseEjectionTime`, "OutlierDetectionBaseEjectionTimeInvalid");
    if (isZeroDuration(passive.interval)) report(`${path}.passive.interval`, "OutlierDetectionIntervalInvalid");
  }
  if (h.panicThreshold !== undefined && h.panicThreshold > 100) report(`${path}.panicThreshold`, "PanicThresholdInvalid");
}

function validateHTTPHealthChecker(c: HTTPHealthChecker, path: string, report: Report): void {
  if (c.path === "") report(`${path}.path`, "HCHTTPPathInvalid");
  if (c.method !== undefined && !HEALTH_CHECK_METHODS.has(c.method)) report(`${path}.method`, "HCHTTPMethodInvalid");
  if ((c.expectedStatuses ?? []).length === 0) report(`${path}.expectedStatuses`, "HCHTTPExpectedStatusesInvalid");
  (c.expectedStatuses ?? []).forEach((s, i) => {
    if (s < 100 || s >= 600) report(`${path}.expectedStatuses[${i}]`, "HTTPStatusInvalid");
  });
  (c.retriableStatuses ?? []).forEach((s, i) => {
    if (s < 100 || s >= 600) report(`${path}.retriableStatuses[${i}]`, "HTTPStatusInvalid");
  });
  if (c.expectedResponse !== undefined) validatePayload(c.expectedResponse, `${path}.expectedResponse`, report);
  if (c.requestBody !== undefined) validatePayload(c.requestBody, `${path}.requestBody`, report);
}

function validatePayload(p: HealthCheckPayload, path: string, report: Report): void {
  const set = (p.text !== undefined && p.text !== "" ? 1 : 0) + ((p.binary?.length ?? 0) > 0 ? 1 : 0);
  if (set !== 1) report(path, "HealthCheckPayloadInvalid");
}

/**
 * Checks one JSON patch operation as upstream does before applying it; returns upstream's
 * error message, or undefined when the operation is well formed.
 */
export function validateJSONPatchOperation(op: JSONPatchOperation): string | undefined {
  if (op.path === undefined && op.jsonPath === undefined) return "a patch operation must specify a path or jsonPath";
  switch (op.op) {
    case "add":
    case "replace":
    case "test":
      if (op.value === undefined) return `the ${op.op} operation requires a value`;
      if (op.from !== undefined) return `the ${op.op} operation doesn't support a from attribute`;
      return undefined;
    case "remove":
      if (op.from !== undefined || op.value !== undefined) return "value and from can't be specified with the remove operation";
      return undefined;
    case "move":
    case "copy":
      if (op.from === undefined) return `the ${op.op} operation requires a valid from attribute`;
      if (op.value !== undefined) return `the ${op.op} operation doesn't support a value attribute`;
      return undefined;
    default:
      return "unsupported JSONPatch operation";
  }
}
