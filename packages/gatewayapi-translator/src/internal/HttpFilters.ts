// HTTPRoute/GRPCRoute filters -> IR route modifiers (upstream filters.go), for the core Gateway API filters.
import type { HTTPHeaderFilter, HTTPRequestRedirectFilter, HTTPRouteRuleFilter, HTTPURLRewriteFilter, HTTPCORSFilter } from "@egts/api";
import type * as ir from "@egts/ir";
import { RouteErrorCollector, RouteStatusError } from "./Conditions.js";
import type { BackendRefLike } from "./Backends.js";
import type { Mutable } from "./Mutable.js";

/** What a rule's (or backendRef's) filters contribute to its IR routes. */
export interface FilterResult {
  directResponse?: ir.CustomResponse;
  redirect?: Mutable<ir.Redirect>;
  urlRewrite?: Mutable<ir.URLRewrite>;
  credentialInjection?: ir.CredentialInjection;
  addRequestHeaders: ir.AddHeader[];
  removeRequestHeaders: string[];
  addResponseHeaders: ir.AddHeader[];
  removeResponseHeaders: string[];
  mirrors?: ir.MirrorPolicy[];
  cors?: ir.CORS;
  extensionRefs?: ir.UnstructuredRef[];
  /** Cookie matches an Envoy Gateway HTTPRouteFilter adds; each entry ANDs with every rule match. */
  matches?: ReadonlyArray<{ readonly cookies?: ReadonlyArray<{ readonly name: string; readonly type?: string; readonly value: string }> }>;
}

/** Resolves a mirror backend into a destination, or the error to report. */
export type MirrorResolver = (ref: BackendRefLike, destName: string) => ir.RouteDestination | RouteStatusError;

/** Hook for ExtensionRef filters (Envoy Gateway HTTPRouteFilter and extension kinds). */
export type ExtensionRefResolver = (ref: { group: string; kind: string; name: string }, result: FilterResult) => RouteStatusError | undefined;

/** Context needed to process filters. */
export interface FilterContext {
  readonly routeKind: "HTTPRoute" | "GRPCRoute";
  readonly destName: string;
  readonly extensionGroupKinds: ReadonlyArray<{ readonly group: string; readonly kind: string }>;
  readonly resolveMirror: MirrorResolver;
  readonly resolveExtensionRef: ExtensionRefResolver;
  readonly validateHostname: (hostname: string) => string | undefined;
}

/**
 * Whether a header value matches upstream's `^[!-~]+([\t ]?[!-~]+)*$` (visible ASCII, single tabs or spaces
 * between words), checked in one linear pass: the backtracking regex is exponential on hostile values.
 */
function isValidHeaderValue(value: string): boolean {
  if (value === "") return false;
  let prevSpace = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const space = c === 0x20 || c === 0x09;
    if (space) {
      if (prevSpace) return false;
    } else if (c < 0x21 || c > 0x7e) return false;
    prevSpace = space;
  }
  return !prevSpace;
}

function isModifiableHeader(name: string): boolean {
  return !name.includes("/") && !name.includes(":") && name.toLowerCase() !== "host";
}

const internalServerError: ir.CustomResponse = { statusCode: 500 };

function validateFilter(filter: HTTPRouteRuleFilter, ctx: FilterContext): string | undefined {
  const core =
    ctx.routeKind === "HTTPRoute"
      ? ["RequestMirror", "URLRewrite", "RequestRedirect", "RequestHeaderModifier", "ResponseHeaderModifier", "CORS"]
      : ["RequestMirror", "RequestHeaderModifier", "ResponseHeaderModifier"];
  if (core.includes(filter.type)) return undefined;
  if (filter.type === "ExtensionRef") {
    const ref = filter.extensionRef;
    if (ref === undefined) return "extensionRef field must be specified for an extended filter";
    if (ref.group === "gateway.envoyproxy.io" && ref.kind === "HTTPRouteFilter") return undefined;
    if (ctx.extensionGroupKinds.some((gk) => gk.group === ref.group && gk.kind === ref.kind)) return undefined;
    return `unknown kind ${ref.group}/${ref.kind}`;
  }
  return `unsupported filter type ${filter.type}`;
}

function headerModifier(which: "Request" | "Response", modifier: HTTPHeaderFilter, adds: ir.AddHeader[], removes: string[]): RouteStatusError | undefined {
  const name = `${which}HeaderModifier`;
  const errs: string[] = [];
  let empty = true;
  const tryAdd = (header: { name: string; value: string }, append: boolean, verb: "add" | "set"): void => {
    if (header.name === "") {
      errs.push(`${name} Filter cannot ${verb} a header with an empty name`);
      return;
    }
    if (!isModifiableHeader(header.name)) {
      errs.push(
        which === "Request"
          ? `Header: ${JSON.stringify(header.name)}. The RequestHeaderModifier filter cannot ${verb} the Host header or headers with a '/' or ':' character in them. To modify the Host header use the URLRewrite or the HTTPRouteFilter filter.`
          : `Header: ${JSON.stringify(header.name)}. The ResponseHeaderModifier filter cannot set the Host header or headers with a '/' or ':' character in them.`,
      );
      return;
    }
    if (!isValidHeaderValue(header.value)) {
      errs.push(`Header: ${JSON.stringify(header.name)}. ${name} Filter cannot ${verb} a header with an invalid value.`);
      return;
    }
    if (adds.some((h) => h.name.toLowerCase() === header.name.toLowerCase())) return;
    adds.push({ name: header.name, append, value: [header.value], addIfAbsent: false });
  };
  for (const h of modifier.add ?? []) {
    empty = false;
    tryAdd(h, true, "add");
  }
  for (const h of modifier.set ?? []) {
    empty = false;
    tryAdd(h, false, "set");
  }
  for (const h of modifier.remove ?? []) {
    empty = false;
    if (h === "") {
      errs.push(`${name} Filter cannot remove a header with an empty name`);
      continue;
    }
    if (!isModifiableHeader(h)) {
      errs.push(`Header: ${JSON.stringify(h)}. The ${name} filter cannot remove the Host header or headers with a '/' or ':' character in them.`);
      continue;
    }
    if (removes.some((r) => r.toLowerCase() === h.toLowerCase())) continue;
    removes.push(h);
  }
  if (adds.length === 0 && removes.length === 0 && !empty) {
    const verbs = which === "Request" ? "add/set/remove" : "add/remove";
    return new RouteStatusError(`${name} Filter did not provide valid configuration to ${verbs} any headers`, "UnsupportedValue", "Accepted");
  }
  if (errs.length > 0) return new RouteStatusError(errs.join("\n"), "UnsupportedValue", "Accepted");
  return undefined;
}

function urlRewrite(rewrite: HTTPURLRewriteFilter, result: FilterResult, ctx: FilterContext): RouteStatusError | undefined {
  const existing = result.urlRewrite;
  if (existing !== undefined) {
    const hasCore =
      (existing.path !== undefined && (existing.path.fullReplace !== undefined || existing.path.prefixMatchReplace !== undefined)) ||
      existing.host?.name !== undefined;
    const hasExtPath = existing.path?.regexMatchReplace !== undefined;
    const hasExtHost =
      existing.host !== undefined && (existing.host.header !== undefined || existing.host.backend !== undefined || existing.host.pathRegex !== undefined);
    if (
      (hasCore && (rewrite.hostname !== undefined || rewrite.path !== undefined)) ||
      (rewrite.hostname !== undefined && hasExtHost) ||
      (rewrite.path !== undefined && hasExtPath)
    ) {
      return new RouteStatusError("cannot configure multiple urlRewrite filters for a single HTTPRouteRule", "UnsupportedValue", "Accepted");
    }
  }
  if (rewrite.hostname !== undefined) {
    const err = ctx.validateHostname(rewrite.hostname);
    if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue", "Accepted");
    if (result.urlRewrite === undefined) result.urlRewrite = { host: { name: rewrite.hostname } };
    else if (result.urlRewrite.host === undefined) result.urlRewrite.host = { name: rewrite.hostname };
  }
  if (rewrite.path !== undefined) {
    const p = rewrite.path;
    let modifier: ir.ExtendedHTTPPathModifier;
    if (p.type === "ReplaceFullPath") {
      if (p.replacePrefixMatch !== undefined)
        return new RouteStatusError('ReplacePrefixMatch cannot be set when rewrite path type is "ReplaceFullPath"', "UnsupportedValue", "Accepted");
      if (p.replaceFullPath === undefined)
        return new RouteStatusError('ReplaceFullPath must be set when rewrite path type is "ReplaceFullPath"', "UnsupportedValue", "Accepted");
      modifier = { fullReplace: p.replaceFullPath };
    } else if (p.type === "ReplacePrefixMatch") {
      if (p.replaceFullPath !== undefined)
        return new RouteStatusError('ReplaceFullPath cannot be set when rewrite path type is "ReplacePrefixMatch"', "UnsupportedValue", "Accepted");
      if (p.replacePrefixMatch === undefined)
        return new RouteStatusError('ReplacePrefixMatch must be set when rewrite path type is "ReplacePrefixMatch"', "UnsupportedValue", "Accepted");
      modifier = { prefixMatchReplace: p.replacePrefixMatch };
    } else {
      return new RouteStatusError(
        `rewrite path type: ${String(p.type)} is invalid, only "ReplaceFullPath" and "ReplacePrefixMatch" are supported`,
        "UnsupportedValue",
        "Accepted",
      );
    }
    if (result.urlRewrite === undefined) result.urlRewrite = { path: modifier };
    else if (result.urlRewrite.path === undefined) result.urlRewrite.path = modifier;
  }
  return undefined;
}

function redirect(r: HTTPRequestRedirectFilter, result: FilterResult, ctx: FilterContext): RouteStatusError | undefined {
  if (result.redirect !== undefined) {
    return new RouteStatusError("cannot configure multiple requestRedirect filters for a single HTTPRouteRule", "UnsupportedValue", "Accepted");
  }
  const out: Mutable<ir.Redirect> = {};
  if (r.scheme !== undefined) {
    if (r.scheme !== "http" && r.scheme !== "https") {
      return new RouteStatusError(`scheme: ${r.scheme} is unsupported, only 'https' and 'http' are supported`, "UnsupportedValue", "Accepted");
    }
    out.scheme = r.scheme;
  }
  if (r.hostname !== undefined) {
    const err = ctx.validateHostname(r.hostname);
    if (err !== undefined) return new RouteStatusError(err, "UnsupportedValue", "Accepted");
    out.hostname = r.hostname;
  }
  if (r.path !== undefined) {
    if (r.path.type === "ReplaceFullPath") {
      if (r.path.replaceFullPath !== undefined) out.path = { fullReplace: r.path.replaceFullPath };
    } else if (r.path.type === "ReplacePrefixMatch") {
      if (r.path.replacePrefixMatch !== undefined) out.path = { prefixMatchReplace: r.path.replacePrefixMatch };
    } else {
      return new RouteStatusError(
        `redirect path type: ${String(r.path.type)} is invalid, only "ReplaceFullPath" and "ReplacePrefixMatch" are supported`,
        "UnsupportedValue",
        "Accepted",
      );
    }
  }
  if (r.statusCode !== undefined) {
    if (r.statusCode !== 301 && r.statusCode !== 302 && r.statusCode !== 303 && r.statusCode !== 307 && r.statusCode !== 308) {
      return new RouteStatusError(`status code ${r.statusCode} is invalid, only 302 and 301 are supported`, "UnsupportedValue", "Accepted");
    }
    out.statusCode = r.statusCode;
  }
  if (r.port !== undefined) out.port = r.port;
  result.redirect = out;
  return undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

function cors(c: HTTPCORSFilter): ir.CORS {
  const origins: ir.StringMatch[] = (c.allowOrigins ?? []).map((o) =>
    o.includes("*") ? { name: "", distinct: false, safeRegex: escapeRegex(o).replaceAll("\\*", ".*") } : { name: "", distinct: false, exact: o },
  );
  const out: Mutable<ir.CORS> = {
    allowOrigins: origins,
    allowMethods: [...(c.allowMethods ?? [])],
    allowHeaders: [...(c.allowHeaders ?? [])],
    exposeHeaders: [...(c.exposeHeaders ?? [])],
    // The CRD defaults maxAge to 5; the translator sees what the loader passes (Go zero value: 0).
    maxAge: formatSeconds(c.maxAge ?? 0),
    allowCredentials: c.allowCredentials ?? false,
  } as Mutable<ir.CORS>;
  return out;
}

/** Formats whole seconds as a Go duration string ("1h2m3s", "0s"). */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ""}${h > 0 || m > 0 ? `${m}m` : ""}${s}s`;
}

/** Processes a rule's filters in order, collecting IR modifiers and status errors (upstream ProcessHTTPFilters). */
export function processFilters(filters: ReadonlyArray<HTTPRouteRuleFilter>, ctx: FilterContext): { result: FilterResult; errors: RouteStatusError[] } {
  const result: FilterResult = { addRequestHeaders: [], removeRequestHeaders: [], addResponseHeaders: [], removeResponseHeaders: [] };
  const errors = new RouteErrorCollector();
  filters.forEach((filter, i) => {
    if (result.directResponse !== undefined) return;
    const invalid = validateFilter(filter, ctx);
    if (invalid !== undefined) {
      result.directResponse = internalServerError;
      errors.add(new RouteStatusError(`invalid filter ${filter.type}: ${invalid}`, "UnsupportedValue", "Accepted"));
      return;
    }
    switch (filter.type) {
      case "URLRewrite":
        if (filter.urlRewrite !== undefined) errors.add(urlRewrite(filter.urlRewrite, result, ctx));
        break;
      case "RequestRedirect":
        if (filter.requestRedirect !== undefined) errors.add(redirect(filter.requestRedirect, result, ctx));
        break;
      case "RequestHeaderModifier":
        if (filter.requestHeaderModifier !== undefined)
          errors.add(headerModifier("Request", filter.requestHeaderModifier, result.addRequestHeaders, result.removeRequestHeaders));
        break;
      case "ResponseHeaderModifier":
        if (filter.responseHeaderModifier !== undefined)
          errors.add(headerModifier("Response", filter.responseHeaderModifier, result.addResponseHeaders, result.removeResponseHeaders));
        break;
      case "RequestMirror": {
        const mirror = filter.requestMirror;
        if (mirror === undefined) break;
        const dest = ctx.resolveMirror(mirror.backendRef, `${ctx.destName}-mirror-${i}`);
        if (dest instanceof RouteStatusError) {
          errors.add(dest);
          break;
        }
        let percentage: number | undefined;
        if (mirror.fraction !== undefined) percentage = (100 * mirror.fraction.numerator) / (mirror.fraction.denominator ?? 100);
        else if (mirror.percent !== undefined) percentage = mirror.percent;
        const policy: Mutable<ir.MirrorPolicy> = { destination: dest };
        if (percentage !== undefined) policy.percentage = Math.fround(percentage);
        result.mirrors = [...(result.mirrors ?? []), policy];
        break;
      }
      case "CORS":
        if (filter.cors !== undefined) result.cors = cors(filter.cors);
        break;
      case "ExtensionRef":
        if (filter.extensionRef !== undefined) errors.add(ctx.resolveExtensionRef(filter.extensionRef, result));
        break;
      default:
        result.directResponse = internalServerError;
        errors.add(new RouteStatusError(`unsupported filter type: ${filter.type}`, "UnsupportedValue", "ResolvedRefs"));
    }
  });
  if (result.directResponse !== undefined && (result.mirrors ?? []).length > 0) {
    delete result.directResponse;
    delete result.mirrors;
    errors.add(
      new RouteStatusError("RequestMirror filter cannot be used when the rule also configures a DirectResponse filter", "IncompatibleFilters", "Accepted"),
    );
  }
  if (result.redirect !== undefined && (result.mirrors ?? []).length > 0) {
    delete result.redirect;
    delete result.mirrors;
    errors.add(
      new RouteStatusError("RequestMirror filter cannot be used when the rule also configures a RequestRedirect filter", "IncompatibleFilters", "Accepted"),
    );
  }
  if (ctx.routeKind === "GRPCRoute") {
    const code = result.directResponse?.statusCode;
    if (code !== undefined && code >= 200 && code < 300) {
      delete result.directResponse;
      errors.add(
        new RouteStatusError(
          "DirectResponse with a 2xx status code is not supported for GRPCRoute: a 2xx status maps to the gRPC OK status, but a direct response cannot carry a gRPC response message, so the client would receive an invalid response. Use a non-2xx status code to deny or block the request instead",
          "UnsupportedValue",
          "Accepted",
        ),
      );
    }
  }
  return { result, errors: errors.all() };
}
