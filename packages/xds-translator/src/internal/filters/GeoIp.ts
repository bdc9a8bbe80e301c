import { Geoip } from "@egts/envoy-api/generated/envoy/extensions/filters/http/geoip/v3/geoip";
import { MaxMindConfig } from "@egts/envoy-api/generated/envoy/extensions/geoip_providers/maxmind/v3/maxmind";
import type { HTTPListener, HTTPRoute } from "@egts/ir";
import { type RouteScans, scanRoutes } from "../RouteScan.js";
import { anyOf } from "../Proto.js";
import { hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.geoip";
const MAXMIND_PROVIDER = "envoy.geoip_providers.maxmind";

/**
 * The internal request headers the GeoIP filter writes and RBAC rules match on. Every route of a listener
 * that uses them strips them first, so clients cannot forge a location.
 */
export const GEOIP_HEADERS = {
  country: "x-eg-internal-geoip-country",
  region: "x-eg-internal-geoip-region",
  city: "x-eg-internal-geoip-city",
  asn: "x-eg-internal-geoip-asn",
  isp: "x-eg-internal-geoip-isp",
  anon: "x-eg-internal-geoip-anon",
  anonVpn: "x-eg-internal-geoip-anon-vpn",
  anonHosting: "x-eg-internal-geoip-anon-hosting",
  anonTor: "x-eg-internal-geoip-anon-tor",
  anonProxy: "x-eg-internal-geoip-anon-proxy",
} as const;

type GeoField = keyof typeof GEOIP_HEADERS;

const NO_FIELDS: readonly GeoField[] = [];

/** The geolocation fields a route's authorization rules match on, in the order met (with repeats). */
function routeGeoFields(r: HTTPRoute): readonly GeoField[] {
  const rules = r.security?.authorization?.rules;
  if (rules === undefined) return NO_FIELDS;
  const used: GeoField[] = [];
  for (const rule of rules) {
    for (const g of rule.principal.clientIPGeoLocations ?? []) {
      if (g.country !== undefined) used.push("country");
      if (g.region !== undefined) used.push("region");
      if (g.city !== undefined) used.push("city");
      if (g.asn !== undefined) used.push("asn");
      if (g.isp !== undefined) used.push("isp");
      const a = g.anonymous;
      if (a === undefined) continue;
      if (a.isAnonymous !== undefined) used.push("anon");
      if (a.isVPN !== undefined) used.push("anonVpn");
      if (a.isHosting !== undefined) used.push("anonHosting");
      if (a.isTor !== undefined) used.push("anonTor");
      if (a.isProxy !== undefined) used.push("anonProxy");
    }
  }
  return used.length === 0 ? NO_FIELDS : used;
}

/**
 * The geolocation fields any authorization rule of the listener matches on (header order is applied where they
 * become headers). With `scans`, unchanged routes' fields are those found last time (see RouteScan.ts).
 */
export function geoIpFieldsOf(l: HTTPListener, scans?: RouteScans): Set<GeoField> {
  const used = new Set<GeoField>();
  for (const fields of scanRoutes(scans, `geoip\n${l.name}`, l.routes ?? [], routeGeoFields)) for (const f of fields) used.add(f);
  return used;
}

const headersOf = (fields: ReadonlySet<GeoField>): string[] =>
  (Object.keys(GEOIP_HEADERS) as GeoField[]).filter((f) => fields.has(f)).map((f) => GEOIP_HEADERS[f]);

/** The geoip filter with a MaxMind provider that writes only the fields the listener's rules need. */
export function buildGeoIpFilterConfig(l: HTTPListener, fields: ReadonlySet<GeoField>): Geoip {
  const mm = l.geoIPProvider?.maxMind;
  if (mm === undefined) throw new Error(`listener ${l.name}: geoIP provider is nil`);
  const geoFieldKeys: Partial<Record<GeoField, string>> = {};
  for (const f of fields) geoFieldKeys[f] = GEOIP_HEADERS[f];
  const provider = anyOf(MaxMindConfig, {
    cityDbPath: mm.cityDbPath ?? "",
    asnDbPath: mm.asnDbPath ?? "",
    anonDbPath: mm.anonymousIpDbPath ?? "",
    ispDbPath: mm.ispDbPath ?? "",
    countryDbPath: mm.countryDbPath ?? "",
    commonProviderConfig: { geoFieldKeys },
  });
  const detection = l.clientIPDetection;
  const hops = detection?.xForwardedFor?.numTrustedHops;
  return Geoip.fromPartial({
    provider: { name: MAXMIND_PROVIDER, typedConfig: provider },
    ...(detection?.customHeader !== undefined
      ? { customHeaderConfig: { headerName: detection.customHeader.name } }
      : hops !== undefined
        ? { xffConfig: { xffNumTrustedHops: hops > 0 ? hops - 1 : 0 } }
        : {}),
  });
}

/**
 * GeoIP: one geoip filter per HCM when an authorization rule matches on client location. Without a
 * provider the filter is left out (the policy's status already reports it), as upstream does.
 */
export const geoIpFilter: HttpFilterModule = {
  name: "geoip",
  patchHcm(hcm, l) {
    const fields = geoIpFieldsOf(l);
    if (fields.size === 0 || l.geoIPProvider?.maxMind === undefined || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(Geoip, buildGeoIpFilterConfig(l, fields))));
  },
  requestHeadersToRemove: (l, ctx) => headersOf(geoIpFieldsOf(l, ctx.caches.routeScans)),
};
