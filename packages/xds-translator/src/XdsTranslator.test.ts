import { describe, expect, it } from "vitest";
import type { HTTPRoute, Xds } from "@egts/ir";
import { createXdsTranslator, translateXds, type XdsTranslateResult } from "./index.js";

const jwtRoute = (i: number, port = 8080): HTTPRoute => ({
  name: `r${i}`,
  hostname: `www.example-${i}.com`,
  isHTTP2: false,
  destination: { name: `r${i}-dest`, settings: [{ name: `r${i}-dest/backend/0`, weight: 1, endpoints: [{ host: "10.0.0.1", port }] }] },
  security: { jwt: { providers: [{ name: `p${i}`, issuer: "https://one.example.com", localJWKS: `{"keys":[{"kty":"RSA","n":"m${i}","e":"AQAB"}]}` }] } },
});

const irOf = (routes: HTTPRoute[]): Xds => ({
  http: [
    {
      name: "default/gw/http",
      address: "0.0.0.0",
      port: 10080,
      hostnames: ["*"],
      path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
      routes,
    },
  ],
});

const shape = (r: XdsTranslateResult) =>
  (["listeners", "routes", "clusters", "endpoints", "secrets"] as const).map((k) =>
    r[k].map((x) => [x.name, Buffer.from(x.bytes).toString("base64"), x.version]),
  );

describe("createXdsTranslator", () => {
  it("returns the last result for the same IR and what translateXds returns after edits that share IR objects", () => {
    const routes = [jwtRoute(0), jwtRoute(1), jwtRoute(2)];
    const translator = createXdsTranslator();
    expect(translator.lastRun).toBeUndefined();
    const first = irOf(routes);
    const r1 = translator.translate(first);
    expect(shape(r1)).toEqual(shape(translateXds(first)));
    // One listener and route configuration, three clusters with their load assignments.
    expect(translator.lastRun).toEqual({ built: 8, reused: 0 });
    expect(translator.translate(first)).toBe(r1);
    expect(translator.lastRun).toEqual({ built: 0, reused: 8 });
    // One route edited (endpoint port), the others the same objects: cached JWT builds are reused.
    const edited = irOf([routes[0] as HTTPRoute, jwtRoute(1, 9090), routes[2] as HTTPRoute]);
    const r2 = translator.translate(edited);
    expect(shape(r2)).toEqual(shape(translateXds(edited)));
    expect(r2.errors).toEqual([]);
    expect(shape(r2)).not.toEqual(shape(r1));
  });
});
