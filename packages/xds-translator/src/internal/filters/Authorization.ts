import { parseCel } from "@egts/cel";
import type { Any } from "@egts/envoy-api";
import type { ParsedExpr } from "@egts/envoy-api/generated/cel/expr/syntax";
import { Action, RBAC_Action } from "@egts/envoy-api/generated/envoy/config/rbac/v3/rbac";
import { RBAC, RBACPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/rbac/v3/rbac";
import { DynamicMetadataInput, SourceIPInput } from "@egts/envoy-api/generated/envoy/extensions/matching/common_inputs/network/v3/network_inputs";
import { Ip } from "@egts/envoy-api/generated/envoy/extensions/matching/input_matchers/ip/v3/ip";
import { Metadata as MetadataMatcher } from "@egts/envoy-api/generated/envoy/extensions/matching/input_matchers/metadata/v3/metadata";
import { HttpRequestHeaderMatchInput } from "@egts/envoy-api/generated/envoy/type/matcher/v3/http_inputs";
import type { ValueMatcher } from "@egts/envoy-api/generated/envoy/type/matcher/v3/value";
import type { Matcher_MatcherList_FieldMatcher, Matcher_MatcherList_Predicate } from "@egts/envoy-api/generated/xds/type/matcher/v3/matcher";
import type { StringMatcher as XdsStringMatcher } from "@egts/envoy-api/generated/xds/type/matcher/v3/string";
import { CelMatcher } from "@egts/envoy-api/generated/xds/type/matcher/v3/cel";
import { HttpAttributesCelMatchInput } from "@egts/envoy-api/generated/xds/type/matcher/v3/http_inputs";
import type { Authorization, CIDRMatch, egv1a1, HTTPListener, HTTPRoute } from "@egts/ir";
import { anyOf, quoteMeta } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, listenerHasRoute } from "./common.js";
import { GEOIP_HEADERS } from "./GeoIp.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.rbac";
const JWT_FILTER = "envoy.filters.http.jwt_authn";

type Predicate = Matcher_MatcherList_Predicate;

const authorizationOf = (r: HTTPRoute): Authorization | undefined => r.security?.authorization;

const actionAny = (allow: boolean): Any =>
  allow ? anyOf(Action, { name: "ALLOW", action: RBAC_Action.ALLOW }) : anyOf(Action, { name: "DENY", action: RBAC_Action.DENY });

const single = (inputName: string, input: Any, matcher: SingleMatcher): Predicate => ({
  matchType: { $case: "singlePredicate", value: { input: { name: inputName, typedConfig: input }, matcher } },
});

type SingleMatcher = { $case: "valueMatch"; value: XdsStringMatcher } | { $case: "customMatch"; value: { name: string; typedConfig: Any } };

const or = (predicates: Predicate[]): Predicate => ({ matchType: { $case: "orMatcher", value: { predicate: predicates } } });
const and = (predicates: Predicate[]): Predicate => ({ matchType: { $case: "andMatcher", value: { predicate: predicates } } });

/** One predicate if there is one, an OR of them if several, nothing if none. */
const anyOfPredicates = (predicates: Predicate[]): Predicate | undefined =>
  predicates.length === 0 ? undefined : predicates.length === 1 ? predicates[0] : or(predicates);

const exact = (value: string, ignoreCase: boolean): XdsStringMatcher => ({ matchPattern: { $case: "exact", value }, ignoreCase });

const re2 = (regex: string): XdsStringMatcher => ({
  matchPattern: { $case: "safeRegex", value: { engineType: { $case: "googleRe2", value: {} }, regex } },
  ignoreCase: false,
});

const headerInput = (name: string): Any => anyOf(HttpRequestHeaderMatchInput, { headerName: name });

/** One predicate per value, each an exact (optionally case-insensitive) match of the header. */
function headerPredicates(name: string, values: readonly string[], ignoreCase: boolean): Predicate[] {
  const input = headerInput(name);
  return values.map((v) => single("http_header", input, { $case: "valueMatch", value: exact(v, ignoreCase) }));
}

/** The network address of a CIDR with the host bits cleared, as Go's netip prints it. */
export function maskedCidrAddress(cidr: string): string {
  const [addr = "", lenText = ""] = cidr.split("/");
  const len = Number(lenText);
  if (!Number.isInteger(len)) return "";
  if (!addr.includes(":")) {
    const parts = addr.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255) || len > 32) return "";
    const n = parts.reduce((a, p) => a * 256 + p, 0);
    const masked = len === 0 ? 0 : n - (n % 2 ** (32 - len));
    return [24, 16, 8, 0].map((s) => Math.floor(masked / 2 ** s) % 256).join(".");
  }
  const groups = expandIpv6(addr);
  if (groups === undefined || len > 128) return "";
  const bits = groups.map((g, i) => {
    const start = i * 16;
    if (len >= start + 16) return g;
    if (len <= start) return 0;
    const keep = len - start;
    return g & (0xffff << (16 - keep)) & 0xffff;
  });
  return compressIpv6(bits);
}

function expandIpv6(addr: string): number[] | undefined {
  const halves = addr.toLowerCase().split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0] ?? "");
  const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const all = [...head, ...Array<number>(fill).fill(0), ...tail];
  return all.some(Number.isNaN) ? undefined : all;
}

/** RFC 5952 text: the longest run (>= 2) of zero groups becomes "::". */
function compressIpv6(groups: number[]): string {
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

function ipPredicate(cidrs: readonly CIDRMatch[]): Predicate {
  const matcher = anyOf(Ip, {
    statPrefix: "client_ip",
    cidrRanges: cidrs.map((c) => ({ addressPrefix: maskedCidrAddress(c.cidr), prefixLen: c.maskLen })),
  });
  return single("client_ip", anyOf(SourceIPInput, {}), { $case: "customMatch", value: { name: "ip_matcher", typedConfig: matcher } });
}

const metadataInput = (path: readonly string[]): Any =>
  anyOf(DynamicMetadataInput, { filter: JWT_FILTER, path: path.map((key) => ({ segment: { $case: "key" as const, value: key } })) });

const stringValue = (value: string): ValueMatcher =>
  ({ matchPattern: { $case: "stringMatch", value: { matchPattern: { $case: "exact", value }, ignoreCase: false } } }) as ValueMatcher;

const listContains = (value: string): ValueMatcher =>
  ({ matchPattern: { $case: "listMatch", value: { matchPattern: { $case: "oneOf", value: stringValue(value) } } } }) as ValueMatcher;

/** Scopes (each in `scope` or `scp`) and claims (any of the values), all of which must match. */
function jwtPredicates(jwt: egv1a1.JWTPrincipal): Predicate[] {
  const out: Predicate[] = [];
  for (const scope of jwt.scopes ?? []) {
    const perKey = ["scope", "scp"].map((key) =>
      single("scope", metadataInput([jwt.provider, key]), {
        $case: "customMatch",
        value: { name: "scope_matcher", typedConfig: anyOf(MetadataMatcher, { value: listContains(scope) }) },
      }),
    );
    out.push(or(perKey));
  }
  for (const claim of jwt.claims ?? []) {
    const input = metadataInput([jwt.provider, ...claim.name.split(".")]);
    const perValue = (claim.values ?? []).map((v) =>
      single("claim", input, {
        $case: "customMatch",
        value: {
          name: "claim_matcher",
          typedConfig: anyOf(MetadataMatcher, { value: claim.valueType === "StringArray" ? listContains(v) : stringValue(v) }),
        },
      }),
    );
    const p = anyOfPredicates(perValue);
    if (p !== undefined) out.push(p);
  }
  return out;
}

function pathPredicate(path: egv1a1.PathMatch): Predicate {
  let matcher: XdsStringMatcher;
  switch (path.type ?? "PathPrefix") {
    case "Exact":
      matcher = re2(`^${quoteMeta(path.value)}(\\?.*|#.*|;.*|$)`);
      break;
    case "RegularExpression":
      matcher = re2(path.value);
      break;
    default:
      matcher =
        path.value === "/"
          ? { matchPattern: { $case: "prefix", value: "/" }, ignoreCase: false }
          : re2(`^${quoteMeta(path.value.replace(/\/$/, ""))}(/.*|\\?.*|#.*|;.*|$)`);
  }
  const p = single("http_header", headerInput(":path"), { $case: "valueMatch", value: matcher });
  return path.invert === true ? { matchType: { $case: "notMatcher", value: p } } : p;
}

/** Each location is an AND of its fields; the locations are ORed. */
function geoIpPredicate(locations: readonly egv1a1.ClientIPGeoLocation[]): Predicate | undefined {
  const perLocation: Predicate[] = [];
  for (const g of locations) {
    const fields: Predicate[] = [];
    const add = (header: string, value: string | undefined, ignoreCase: boolean) => {
      if (value !== undefined) fields.push(...headerPredicates(header, [value], ignoreCase));
    };
    add(GEOIP_HEADERS.country, g.country, true);
    add(GEOIP_HEADERS.region, g.region, true);
    add(GEOIP_HEADERS.city, g.city, true);
    add(GEOIP_HEADERS.asn, g.asn !== undefined ? String(g.asn) : undefined, false);
    add(GEOIP_HEADERS.isp, g.isp, true);
    const a = g.anonymous;
    if (a !== undefined) {
      const flag = (b: boolean | undefined) => (b !== undefined ? String(b) : undefined);
      add(GEOIP_HEADERS.anon, flag(a.isAnonymous), false);
      add(GEOIP_HEADERS.anonVpn, flag(a.isVPN), false);
      add(GEOIP_HEADERS.anonHosting, flag(a.isHosting), false);
      add(GEOIP_HEADERS.anonTor, flag(a.isTor), false);
      add(GEOIP_HEADERS.anonProxy, flag(a.isProxy), false);
    }
    if (fields.length === 1) perLocation.push(fields[0] as Predicate);
    else if (fields.length > 1) perLocation.push(and(fields));
  }
  return anyOfPredicates(perLocation);
}

/** A CEL rule, handed to Envoy pre-parsed (its CEL matcher does not take expression strings yet). */
function celPredicate(expression: string): Predicate {
  let parsed: ParsedExpr;
  try {
    const { expr, lineOffsets, positions } = parseCel(expression);
    parsed = { expr, sourceInfo: { syntaxVersion: "", location: "<input>", lineOffsets, positions, macroCalls: {}, extensions: [] } };
  } catch (e) {
    throw new Error(`failed to parse CEL expression ${JSON.stringify(expression)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const matcher = anyOf(CelMatcher, { exprMatch: { celExprParsed: parsed } });
  return single("cel", anyOf(HttpAttributesCelMatchInput, {}), { $case: "customMatch", value: { name: "cel_matcher", typedConfig: matcher } });
}

/** The RBAC per-route config: a first-match matcher list (one entry per rule) with the default action. */
export function buildRbacPerRoute(authz: Authorization): RBACPerRoute {
  const matchers: Matcher_MatcherList_FieldMatcher[] = [];
  for (const rule of authz.rules ?? []) {
    const all: Predicate[] = [];
    const methods = rule.operation?.methods ?? [];
    const method = anyOfPredicates(headerPredicates(":method", methods, true));
    if (method !== undefined) all.push(method);
    if (rule.operation?.path !== undefined) all.push(pathPredicate(rule.operation.path));
    if ((rule.principal.clientCIDRs?.length ?? 0) > 0) all.push(ipPredicate(rule.principal.clientCIDRs ?? []));
    const geo = geoIpPredicate(rule.principal.clientIPGeoLocations ?? []);
    if (geo !== undefined) all.push(geo);
    if (rule.cel !== undefined) all.push(celPredicate(rule.cel));
    if (rule.principal.jwt !== undefined) all.push(...jwtPredicates(rule.principal.jwt));
    for (const h of rule.principal.headers ?? []) {
      const p = anyOfPredicates(headerPredicates(h.name, h.values ?? [], false));
      if (p !== undefined) all.push(p);
    }
    const predicate = all.length > 1 ? and(all) : all[0];
    matchers.push({
      ...(predicate !== undefined ? { predicate } : {}),
      onMatch: { onMatch: { $case: "action", value: { name: rule.name, typedConfig: actionAny(rule.action !== "Deny") } }, keepMatching: false },
    } as Matcher_MatcherList_FieldMatcher);
  }
  return RBACPerRoute.fromPartial({
    rbac: {
      matcher: {
        ...(matchers.length > 0 ? { matcherType: { $case: "matcherList", value: { matchers } } } : {}),
        onNoMatch: { onMatch: { $case: "action", value: { name: "default", typedConfig: actionAny(authz.defaultAction === "Allow") } } },
      },
    },
  });
}

/** Authorization (SecurityPolicy): an empty RBAC filter on the HCM, the rules as RBAC per-route config. */
export const authorizationFilter: HttpFilterModule = {
  name: "rbac",
  patchHcm(hcm, l: HTTPListener) {
    if (!listenerHasRoute(l, (r) => authorizationOf(r) !== undefined) || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.unshift(httpFilter(NAME, anyOf(RBAC, {})));
  },
  patchRoute(route, r) {
    const authz = authorizationOf(r);
    if (authz === undefined) return;
    enableFilterOnRoute(route, NAME, anyOf(RBACPerRoute, buildRbacPerRoute(authz)));
  },
};
