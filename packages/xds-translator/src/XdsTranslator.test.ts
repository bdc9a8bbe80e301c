import { describe, expect, it } from "vitest";
import type { DestinationSetting, HTTPListener, HTTPRoute, Xds } from "@egts/ir";
import { createXdsTranslator, translateXds, type XdsTranslateResult } from "./index.js";

const setting = (name: string, hosts: readonly string[], over: Partial<DestinationSetting> = {}): DestinationSetting => ({
  name: `${name}/backend/0`,
  weight: 1,
  endpoints: hosts.map((host) => ({ host, port: 8080 })),
  ...over,
});

const route = (name: string, hosts: readonly string[] = ["10.0.0.1"], over: Partial<HTTPRoute> = {}): HTTPRoute => ({
  name,
  hostname: `${name}.example.com`,
  isHTTP2: false,
  destination: { name: `${name}-dest`, settings: [setting(name, hosts)] },
  security: { jwt: { providers: [{ name: `p-${name}`, issuer: "https://one.example.com", localJWKS: `{"keys":[{"kty":"RSA","n":"${name}","e":"AQAB"}]}` }] } },
  ...over,
});

const listener = (name: string, port: number, routes: HTTPRoute[]): HTTPListener => ({
  name,
  address: "0.0.0.0",
  port,
  hostnames: ["*"],
  path: { mergeSlashes: true, escapedSlashesAction: "UnescapeAndRedirect" },
  routes,
});

const shape = (r: XdsTranslateResult) => ({
  resources: (["listeners", "routes", "clusters", "endpoints", "secrets"] as const).map((k) =>
    r[k].map((x) => [x.name, Buffer.from(x.bytes).toString("base64"), x.version]),
  ),
  errors: r.errors.map((e) => e.message),
});

/** `ir` with route `j` of HTTP listener `i` replaced by `f(route)`, every other object kept (as the Gateway API translator shares them). */
function editRoute(ir: Xds, i: number, j: number, f: (r: HTTPRoute) => HTTPRoute): Xds {
  const http = [...(ir.http ?? [])];
  const l = http[i] as HTTPListener;
  const routes = [...(l.routes ?? [])];
  routes[j] = f(routes[j] as HTTPRoute);
  http[i] = { ...l, routes };
  return { ...ir, http };
}

const withEndpoints = (r: HTTPRoute, hosts: readonly string[]): HTTPRoute => {
  const settings = r.destination?.settings ?? [];
  return { ...r, destination: { ...r.destination!, settings: [{ ...settings[0]!, endpoints: hosts.map((host) => ({ host, port: 8080 })) }] } };
};

const base = (): Xds => ({
  http: [listener("default/gw/http", 10080, [route("a"), route("b"), route("c")]), listener("default/gw/other", 10081, [route("d"), route("e")])],
});

describe("createXdsTranslator", () => {
  it("gives the last result back for the same IR object", () => {
    const translator = createXdsTranslator();
    expect(translator.lastRun).toBeUndefined();
    const ir = base();
    const first = translator.translate(ir);
    expect(shape(first)).toEqual(shape(translateXds(ir)));
    // Two listeners and route configurations, five clusters with their load assignments.
    expect(translator.lastRun).toEqual({ built: 14, reused: 0, path: "steps" });
    expect(translator.translate(ir)).toBe(first);
    expect(translator.lastRun).toEqual({ built: 0, reused: 14, path: "identical" });
  });

  it("rebuilds only the changed load assignment when only endpoints changed", () => {
    const translator = createXdsTranslator();
    const ir = base();
    const before = translator.translate(ir);
    const edited = editRoute(ir, 0, 1, (r) => withEndpoints(r, ["10.0.0.2", "10.0.0.3"]));
    const after = translator.translate(edited);
    expect(shape(after)).toEqual(shape(translateXds(edited)));
    expect(translator.lastRun).toEqual({ built: 1, reused: 13, path: "endpoints" });
    // Every other resource is the same object as before, bytes and version included.
    for (const kind of ["listeners", "routes", "clusters", "secrets"] as const) after[kind].forEach((r, i) => expect(r).toBe(before[kind][i]));
    after.endpoints.forEach((r, i) => (r.name === "b-dest" ? expect(r.version).not.toBe(before.endpoints[i]?.version) : expect(r).toBe(before.endpoints[i])));
    // Endpoint edits keep applying to the newest IR.
    const again = editRoute(edited, 0, 1, (r) => withEndpoints(r, ["10.0.0.4"]));
    expect(shape(translator.translate(again))).toEqual(shape(translateXds(again)));
    expect(translator.lastRun?.path).toBe("endpoints");
    // Back to the first IR: the endpoint path again, the first load assignment's content.
    expect(shape(translator.translate(ir))).toEqual(shape(before));
  });

  it("keeps taking the endpoint path, as a full translation would, over a run of endpoint edits across routes", () => {
    const translator = createXdsTranslator();
    let ir = base();
    translator.translate(ir);
    // [listener, route] pairs: each route edited again after others were, so the requests found for it move on.
    const edits: Array<readonly [number, number]> = [
      [0, 0],
      [1, 0],
      [0, 1],
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 0],
    ];
    edits.forEach(([i, j], n) => {
      ir = editRoute(ir, i, j, (r) => withEndpoints(r, [`10.0.1.${n + 1}`, `10.0.2.${n + 1}`]));
      expect(shape(translator.translate(ir))).toEqual(shape(translateXds(ir)));
      expect(translator.lastRun).toMatchObject({ built: 1, path: "endpoints" });
    });
  });

  it("rebuilds a DNS cluster whose inline endpoints changed", () => {
    const dns = (hosts: readonly string[]): HTTPRoute => ({
      ...route("f"),
      destination: { name: "f-dest", settings: [setting("f", hosts, { addressType: "FQDN" })] },
    });
    const translator = createXdsTranslator();
    const ir: Xds = { http: [listener("default/gw/http", 10080, [route("a"), dns(["one.example.com"])])] };
    const before = translator.translate(ir);
    const edited = editRoute(ir, 0, 1, () => dns(["two.example.com"]));
    const after = translator.translate(edited);
    expect(shape(after)).toEqual(shape(translateXds(edited)));
    const total = (r: XdsTranslateResult) => r.listeners.length + r.routes.length + r.clusters.length + r.endpoints.length + r.secrets.length;
    expect(translator.lastRun).toEqual({ built: 1, reused: total(after) - 1, path: "endpoints" });
    expect(after.clusters.find((c) => c.name === "f-dest")?.version).not.toBe(before.clusters.find((c) => c.name === "f-dest")?.version);
  });

  it("translates again when a destination's endpoints run out (its routes change)", () => {
    const translator = createXdsTranslator();
    const ir = base();
    translator.translate(ir);
    const edited = editRoute(ir, 0, 1, (r) => withEndpoints(r, []));
    expect(shape(translator.translate(edited))).toEqual(shape(translateXds(edited)));
    expect(translator.lastRun?.path).toBe("steps");
  });

  it("rebuilds the edited route's listener group and takes the other listener's work over", () => {
    const translator = createXdsTranslator();
    const ir = base();
    const before = translator.translate(ir);
    const edited = editRoute(ir, 0, 0, (r) => ({ ...r, timeout: "5s" }));
    const after = translator.translate(edited);
    expect(shape(after)).toEqual(shape(translateXds(edited)));
    // The edited route configuration is new; the listener (same bytes), clusters and secrets keep their objects.
    expect(after.routes[0]?.version).not.toBe(before.routes[0]?.version);
    expect(after.routes[1]).toBe(before.routes[1]);
    expect(after.listeners).toEqual(before.listeners);
    after.listeners.forEach((l, i) => expect(l).toBe(before.listeners[i]));
    after.clusters.forEach((c, i) => expect(c).toBe(before.clusters[i]));
    // The other listener's listener and route configuration were replayed; so were the clusters of untouched routes.
    expect(translator.lastRun?.path).toBe("steps");
    expect(translator.lastRun?.reused).toBeGreaterThanOrEqual(2 + 2 + 2 * 2);
  });

  it("asks again for the clusters that unchanged routes found last time when an edit elsewhere moves where they are built", () => {
    // Two listeners with the same routes (other IR objects, the same cluster names), as a Gateway's HTTP and HTTPS
    // listeners have: the first listener's requests build the clusters, the second's find them. Editing the first
    // listener's routes changes which request builds a cluster while the second listener's routes stay the same.
    const routes = ["a", "b", "c", "d"].map((n) => route(n));
    let ir: Xds = {
      http: [
        listener("default/gw/http", 10080, [...routes]),
        listener(
          "default/gw/https",
          10443,
          routes.map((r) => ({ ...r })),
        ),
      ],
    };
    const translator = createXdsTranslator();
    let edits = 0;
    const check = (edited: Xds) => {
      // The second listener's last route changes too, so that its routes are translated again rather than replayed.
      const next = edits === 0 ? edited : editRoute(edited, 1, 3, (r) => ({ ...r, hostname: `edit-${edits}.example.com` }));
      edits++;
      expect(shape(translator.translate(next))).toEqual(shape(translateXds(next)));
      expect(translator.lastRun?.path).not.toBe("full");
      ir = next;
    };
    check(ir);
    const renamed = (r: HTTPRoute, suffix: string): HTTPRoute => ({
      ...r,
      destination: { name: `${r.destination!.name}-${suffix}`, settings: r.destination!.settings!.map((s) => ({ ...s, name: `${s.name}-${suffix}` })) },
    });
    check(editRoute(ir, 0, 1, (r) => renamed(r, "x"))); // b's clusters now built by the second listener
    check(editRoute(ir, 0, 2, (r) => ({ ...r, hostname: "c2.example.com" }))); // a hostname edit, names kept
    check(editRoute(ir, 0, 1, () => routes[1]!)); // b's back: built by the first listener again
    check(editRoute(ir, 0, 3, (r) => ({ ...r, destination: ir.http![0]!.routes![0]!.destination! }))); // d shares a's cluster
    const moved = [...ir.http![0]!.routes!];
    moved.push(moved.shift()!);
    check({ ...ir, http: [{ ...ir.http![0]!, routes: moved }, ir.http![1]!] }); // every position shifted
    check({ ...ir, http: [{ ...ir.http![0]!, routes: moved.slice(1) }, ir.http![1]!] }); // one route gone
  });

  it("takes recorded HCM filters over only while the properties the filter modules read are the same", () => {
    const translator = createXdsTranslator();
    let ir = base();
    translator.translate(ir);
    // Each edit gives a new route object; some change what the HCM filters are built from, some do not.
    const edits: Array<(r: HTTPRoute) => HTTPRoute> = [
      (r) => ({ ...r, hostname: "moved.example.com" }),
      (r) => ({ ...r, security: { ...r.security, cors: { allowOrigins: [{ name: "", distinct: false, exact: "https://x.example.com" }] } } }),
      (r) => ({ ...r, hostname: "again.example.com" }),
      (r) => ({ ...r, security: { jwt: { providers: [{ name: "p-new", issuer: "https://two.example.com", localJWKS: '{"keys":[]}' }] } } }),
      (r) => ({ ...r, sessionPersistence: { header: { name: "x-session" } } }),
      ({ security: _security, sessionPersistence: _session, ...r }) => r,
      (r) => ({ ...r, security: structuredClone(route("b").security ?? {}) }),
    ];
    for (const [n, edit] of edits.entries()) {
      ir = editRoute(ir, 0, 1, edit);
      const full = shape(translateXds(ir));
      expect(full.errors).toEqual([]);
      expect(shape(translator.translate(ir)), `edit ${n}`).toEqual(full);
    }
  });

  it("translates IRs with EnvoyPatchPolicies in full", () => {
    const translator = createXdsTranslator();
    const ir: Xds = {
      ...base(),
      envoyPatchPolicies: [
        {
          name: "patch",
          namespace: "default",
          jsonPatches: [
            {
              type: "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
              name: "default/gw/http",
              operation: { op: "add", path: "/ignore_port_in_host_matching", value: false },
            },
          ],
        },
      ],
    };
    const result = translator.translate(ir);
    expect(shape(result)).toEqual(shape(translateXds(ir)));
    expect(JSON.stringify(result.envoyPatchPolicyStatuses)).toBe(JSON.stringify(translateXds(ir).envoyPatchPolicyStatuses));
    expect(translator.lastRun?.path).toBe("full");
  });

  it("reports errors exactly as a full translation does", () => {
    const translator = createXdsTranslator();
    const ir = base();
    translator.translate(ir);
    const broken = editRoute(ir, 1, 0, (r) => ({ ...r, timeout: "ten seconds" }));
    const result = translator.translate(broken);
    expect(result.errors.map((e) => e.message)).toEqual(['http route "d": invalid duration "ten seconds"']);
    expect(shape(result)).toEqual(shape(translateXds(broken)));
    expect(translator.lastRun?.path).toBe("full");
    // After a translation with errors, the next one is a steps translation again.
    expect(shape(translator.translate(ir))).toEqual(shape(translateXds(ir)));
    expect(translator.lastRun?.path).toBe("steps");
  });
});
