// The memoising xDS translator on route edits of the benchmark's workload: after each edit, translated by the
// incremental Gateway API translator (which keeps unchanged routes' IR objects), it gives exactly what a full
// translation of the same IR gives (resources, order, bytes, versions, errors).
import { createResourceGrouper, loadText } from "@egts/api";
import { createIncrementalTranslator } from "@egts/gatewayapi-translator";
import { generateCertificates } from "@egts/xds-server";
import { createXdsTranslator, translateXds, type XdsTranslateResult } from "@egts/xds-translator";
import { describe, expect, it } from "vitest";
import { gobenchYaml } from "./GobenchWorkload.js";

const controller = "gateway.envoyproxy.io/gatewayclass-controller";
const settings = { gatewayControllerName: controller, gatewayClassName: "eg", controllerNamespace: "envoy-gateway-system", runningOnHost: true };

const shape = (r: XdsTranslateResult) => ({
  resources: (["listeners", "routes", "clusters", "endpoints", "secrets"] as const).map((kind) =>
    r[kind].map((x) => [x.name, x.version, Buffer.from(x.bytes).toString("base64")]),
  ),
  errors: r.errors.map((e) => e.message),
});

type Loaded = ReturnType<typeof loadText>["objects"][number]["object"];

describe("gobench large route edits through the memoising xDS translator", () => {
  it("gives what a full translation gives after each edit", () => {
    const tls = generateCertificates({ serverDnsNames: ["www.example.com"] });
    const yaml = gobenchYaml("large", { certificate: tls.envoyGatewayCertificate, privateKey: tls.envoyGatewayPrivateKey });
    const objects = loadText(yaml, "gobench-large.yaml", { applyDefaults: true, validate: true }).objects.map((o) => o.object);
    const grouper = createResourceGrouper(controller, {});
    const gateway = createIncrementalTranslator();
    const memoising = new Map<string, ReturnType<typeof createXdsTranslator>>();
    const translateAll = (list: readonly Loaded[]) => {
      const resources = grouper.group({ objects: list.map((object) => ({ object })) })[0]?.resources;
      if (resources === undefined) throw new Error("no resources");
      const out = gateway.translate(resources, settings);
      expect(out.xdsIR.size).toBe(1);
      for (const [key, ir] of out.xdsIR) {
        let translator = memoising.get(key);
        if (translator === undefined) memoising.set(key, (translator = createXdsTranslator({})));
        const full = shape(translateXds(ir, {}));
        expect(full.errors).toEqual([]);
        expect(shape(translator.translate(ir))).toEqual(full);
      }
    };
    translateAll(objects);
    const routes = objects.flatMap((o, i) => (o.kind === "HTTPRoute" ? [i] : []));
    const edit = (list: readonly Loaded[], at: number, hostname: string): Loaded[] => {
      const next = [...list];
      const o = list[at] as Loaded & { spec: object };
      next[at] = { ...o, spec: { ...o.spec, hostnames: [hostname] } } as Loaded;
      return next;
    };
    // One route edited twice, another, then the first put back (its old IR is equal, not identical).
    const [first = 0, second = 0] = [routes[7], routes[300]];
    let current = edit(objects, first, "one.example.com");
    translateAll(current);
    current = edit(current, first, "two.example.com");
    translateAll(current);
    current = edit(current, second, "two.example.com");
    translateAll(current);
    current = [...current];
    current[first] = objects[first] as Loaded;
    translateAll(current);
    // Changes to clusters: a route sent to another route's backend, a route gaining a rule (a new cluster) and
    // losing it, a route removed (its clusters gone, the routes after it shifted) and added back at the end.
    const withSpec = (list: readonly Loaded[], at: number, f: (spec: Record<string, unknown>) => Record<string, unknown>): Loaded[] => {
      const next = [...list];
      const o = list[at] as Loaded & { spec: Record<string, unknown> };
      next[at] = { ...o, spec: f(o.spec) } as Loaded;
      return next;
    };
    const rulesOf = (at: number) => (objects[at] as Loaded & { spec: { rules: unknown[] } }).spec.rules;
    current = withSpec(current, second, (spec) => ({ ...spec, rules: rulesOf(first) }));
    translateAll(current);
    current = withSpec(current, first, (spec) => ({ ...spec, rules: [...rulesOf(first), ...rulesOf(second)] }));
    translateAll(current);
    current = withSpec(current, first, (spec) => ({ ...spec, rules: rulesOf(first) }));
    translateAll(current);
    const removed = current[second] as Loaded;
    current = current.filter((_, i) => i !== second);
    translateAll(current);
    current = [...current, removed];
    translateAll(current);
  }, 120_000);
});
