import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { egv1a1, HTTPListener, HTTPRoute } from "@egts/ir";
import { newContext } from "../Context.js";
import { geoIpFilter } from "./GeoIp.js";

const geoRoute = (locations: egv1a1.ClientIPGeoLocation[]): HTTPRoute => ({
  name: "r",
  hostname: "*",
  isHTTP2: false,
  security: { authorization: { defaultAction: "Deny", rules: [{ name: "geo", action: "Allow", principal: { clientIPGeoLocations: locations } }] } },
});
const listener = (routes: HTTPRoute[], extra: Partial<HTTPListener> = {}): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
  ...extra,
});
const ctx = newContext({}, {});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hcmJson = (hcm: HttpConnectionManager): any => toProtoJson(HttpConnectionManager, hcm);

describe("geoip", () => {
  const routes = [geoRoute([{ country: "US", anonymous: { isVPN: true } }])];

  it("asks the MaxMind provider only for the fields the rules use, from the custom client IP header", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    const l = listener(routes, {
      geoIPProvider: { maxMind: { cityDbPath: "/db/city.mmdb", anonymousIpDbPath: "/db/anon.mmdb" } },
      clientIPDetection: { customHeader: { name: "x-real-ip" } },
    });
    geoIpFilter.patchHcm?.(hcm, l, ctx);
    geoIpFilter.patchHcm?.(hcm, l, ctx);
    expect(hcmJson(hcm).httpFilters).toEqual([
      {
        name: "envoy.filters.http.geoip",
        typedConfig: {
          "@type": "type.googleapis.com/envoy.extensions.filters.http.geoip.v3.Geoip",
          customHeaderConfig: { headerName: "x-real-ip" },
          provider: {
            name: "envoy.geoip_providers.maxmind",
            typedConfig: {
              "@type": "type.googleapis.com/envoy.extensions.geoip_providers.maxmind.v3.MaxMindConfig",
              cityDbPath: "/db/city.mmdb",
              anonDbPath: "/db/anon.mmdb",
              commonProviderConfig: { geoFieldKeys: { country: "x-eg-internal-geoip-country", anonVpn: "x-eg-internal-geoip-anon-vpn" } },
            },
          },
        },
      },
    ]);
    expect(geoIpFilter.requestHeadersToRemove?.(l, ctx)).toEqual(["x-eg-internal-geoip-country", "x-eg-internal-geoip-anon-vpn"]);
  });

  it("uses the XFF trusted hops minus one, and adds nothing without a provider or geo rules", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    geoIpFilter.patchHcm?.(
      hcm,
      listener(routes, { geoIPProvider: { maxMind: { countryDbPath: "/db/country.mmdb" } }, clientIPDetection: { xForwardedFor: { numTrustedHops: 2 } } }),
      ctx,
    );
    expect(hcmJson(hcm).httpFilters[0].typedConfig.xffConfig).toEqual({ xffNumTrustedHops: 1 });

    const none = HttpConnectionManager.fromPartial({});
    geoIpFilter.patchHcm?.(none, listener(routes), ctx);
    geoIpFilter.patchHcm?.(none, listener([{ name: "plain", hostname: "*", isHTTP2: false }], { geoIPProvider: { maxMind: {} } }), ctx);
    expect(none.httpFilters).toEqual([]);
    expect(geoIpFilter.requestHeadersToRemove?.(listener([]), ctx)).toEqual([]);
  });
});
