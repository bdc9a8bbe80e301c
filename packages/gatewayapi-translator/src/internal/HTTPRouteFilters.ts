// ExtensionRef filters: Envoy Gateway HTTPRouteFilter and extension-server filter kinds (upstream filters.go
// processExtensionRefHTTPFilter).
import type * as ir from "@egts/ir";
import { RouteStatusError } from "./Conditions.js";
import type { FilterResult } from "./HttpFilters.js";
import type { ResourceIndex } from "./Index.js";
import type { Mutable } from "./Mutable.js";
import type { RouteContext } from "./RouteContext.js";
import { checkRegex } from "./Regex.js";
import { customResponseBody, type CustomResponseBodySpec } from "./CustomResponseBody.js";

function unresolved(message: string, result: FilterResult): RouteStatusError {
  result.directResponse = { statusCode: 500 };
  return new RouteStatusError(message, "UnsupportedValue", "ResolvedRefs");
}

function invalid(kind: string, message: string, result: FilterResult): RouteStatusError {
  result.directResponse = { statusCode: 500 };
  return new RouteStatusError(`invalid filter ${kind}: ${message}`, "UnsupportedValue", "Accepted");
}

const accepted = (message: string): RouteStatusError => new RouteStatusError(message, "UnsupportedValue", "Accepted");

interface HRFSpec {
  matches?: Array<{ cookies?: Array<{ name: string; type?: string; value: string }> }>;
  urlRewrite?: {
    path?: { type?: string; replaceRegexMatch?: { pattern: string; substitution: string } };
    hostname?: { type?: string; header?: string; pathRegex?: { pattern: string; substitution: string } };
    appendXForwardedHost?: boolean;
  };
  directResponse?: {
    statusCode?: number;
    contentType?: string;
    body?: CustomResponseBodySpec;
    header?: { add?: Array<{ name: string; value: string }>; set?: Array<{ name: string; value: string }> };
  };
  credentialInjection?: { header?: string; overwrite?: boolean; credential: { valueRef: { name: string; namespace?: string } } };
}

/** Applies an ExtensionRef filter to the rule's filter result; returns the status error, if any. */
export function extensionRefFilter(
  route: RouteContext,
  ref: { group: string; kind: string; name: string },
  result: FilterResult,
  index: ResourceIndex,
): RouteStatusError | undefined {
  const ns = route.namespace;
  if (ref.kind === "HTTPRouteFilter") {
    const hrf = (index.resources.httpFilters ?? []).find((f) => (f.metadata.namespace ?? "") === ns && f.metadata.name === ref.name);
    if (hrf === undefined) return unresolved(`Unable to translate HTTPRouteFilter: ${ns}/${ref.name}`, result);
    const spec = hrf.spec as unknown as HRFSpec;
    if ((spec.matches ?? []).length > 0) {
      if ((result.matches ?? []).length > 0) return accepted("only one HTTPRouteFilter with matches is supported per HTTPRouteRule");
      result.matches = spec.matches ?? [];
    }
    const rw = spec.urlRewrite;
    if (rw !== undefined) {
      const existing = result.urlRewrite;
      if (existing !== undefined && (rw.hostname !== undefined || rw.path !== undefined)) {
        const extPath = existing.path?.regexMatchReplace !== undefined;
        const extHost =
          existing.host !== undefined && (existing.host.header !== undefined || existing.host.backend !== undefined || existing.host.pathRegex !== undefined);
        const corePath = existing.path !== undefined && (existing.path.fullReplace !== undefined || existing.path.prefixMatchReplace !== undefined);
        const coreHost = existing.host?.name !== undefined;
        if (extPath || extHost || (rw.hostname !== undefined && coreHost) || (rw.path !== undefined && corePath)) {
          return accepted("cannot configure multiple urlRewrite filters for a single HTTPRouteRule");
        }
      }
      if (rw.path?.type === "ReplaceRegexMatch") {
        const rmr = rw.path.replaceRegexMatch;
        // Go sees an absent pattern or substitution as "": objects that skipped CRD validation get the same.
        if (rmr === undefined || (rmr.pattern ?? "") === "")
          return accepted('ReplaceRegexMatch Pattern must be set when rewrite path type is "ReplaceRegexMatch"');
        if (checkRegex(rmr.pattern) !== undefined) return accepted("ReplaceRegexMatch must be a valid RE2 regular expression");
        const path = { regexMatchReplace: { pattern: rmr.pattern, substitution: rmr.substitution ?? "" } };
        if (result.urlRewrite === undefined) result.urlRewrite = { path };
        else if (result.urlRewrite.path === undefined) result.urlRewrite.path = path;
      }
      if (rw.hostname !== undefined) {
        let hm: ir.HTTPHostModifier | undefined;
        switch (rw.hostname.type) {
          case "Header":
            if (rw.hostname.header === undefined) return accepted('Header must be set when rewrite path type is "Header"');
            hm = { header: rw.hostname.header };
            break;
          case "Backend":
            hm = { backend: true };
            break;
          case "PathRegex": {
            const pr = rw.hostname.pathRegex;
            if (pr === undefined || (pr.pattern ?? "") === "" || (pr.substitution ?? "") === "") {
              return accepted('PathRegex Pattern and Substitution must be set when rewrite hostname type is "PathRegex"');
            }
            if (checkRegex(pr.pattern) !== undefined) return accepted("PathRegex must be a valid RE2 regular expression");
            hm = { pathRegex: { pattern: pr.pattern, substitution: pr.substitution } };
            break;
          }
        }
        if (hm !== undefined) {
          if (result.urlRewrite === undefined) result.urlRewrite = { host: hm };
          else if (result.urlRewrite.host === undefined) result.urlRewrite.host = hm;
        }
      }
      if (rw.appendXForwardedHost !== undefined) {
        result.urlRewrite ??= {};
        result.urlRewrite.appendXForwardedHost = rw.appendXForwardedHost;
      }
    }
    const dr = spec.directResponse;
    if (dr !== undefined) {
      const out: Mutable<ir.CustomResponse> = { statusCode: dr.statusCode ?? 200 };
      const body = customResponseBody(dr.body, ns, index);
      if (body !== undefined && !(body instanceof Uint8Array)) return invalid(ref.kind, body.error, result);
      if (body !== undefined) out.body = body;
      if (dr.contentType !== undefined) result.addResponseHeaders.push({ name: "Content-Type", value: [dr.contentType], append: false, addIfAbsent: false });
      result.directResponse = out;
      for (const h of dr.header?.add ?? []) result.addResponseHeaders.push({ name: h.name, append: true, value: [h.value], addIfAbsent: false });
      for (const h of dr.header?.set ?? []) result.addResponseHeaders.push({ name: h.name, append: false, value: [h.value], addIfAbsent: false });
    }
    const ci = spec.credentialInjection;
    if (ci !== undefined) {
      const secretNs = ci.credential.valueRef.namespace ?? ns;
      const secret = index.secret(secretNs, ci.credential.valueRef.name);
      if (secret === undefined) return invalid(ref.kind, `secret ${secretNs}/${ci.credential.valueRef.name} does not exist`, result);
      const cred = secret.data?.["credential"];
      if (cred === undefined || cred === "") {
        return invalid(ref.kind, `credential key credential not found in secret ${secretNs}/${ci.credential.valueRef.name}`, result);
      }
      const injection: Record<string, unknown> = {
        name: `httproutefilter/${hrf.metadata.namespace ?? ""}/${hrf.metadata.name}`,
        credential: new Uint8Array(Buffer.from(cred, "base64")),
      };
      if (ci.header !== undefined) injection["header"] = ci.header;
      if (ci.overwrite !== undefined) injection["overwrite"] = ci.overwrite;
      result.credentialInjection = injection as unknown as ir.CredentialInjection;
    }
    return undefined;
  }
  for (const res of index.resources.extensionRefFilters ?? []) {
    if (res.kind !== ref.kind || res.metadata.name !== ref.name || (res.metadata.namespace ?? "") !== ns) continue;
    const slash = res.apiVersion.indexOf("/");
    if (slash < 0) return unresolved(`Unable to translate APIVersion for Extension Filter: kind: ${res.kind}, ${ns}/${ref.name}`, result);
    if (res.apiVersion.slice(0, slash) === ref.group) {
      result.extensionRefs = [...(result.extensionRefs ?? []), { object: res as never }];
      return undefined;
    }
  }
  return unresolved(`Reference ${ns}/${ref.name} not found for filter type: ${ref.kind}`, result);
}
