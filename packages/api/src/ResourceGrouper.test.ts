// The incremental grouper against plain groupResources: same bundles after every edit of random edit sequences
// over upstream's corpus inputs, and the reuse it promises (unchanged lists and bundles are the same objects).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createResourceGrouper,
  groupResources,
  knownKinds,
  loadText,
  parseResources,
  resourceListKeys,
  resourceListKinds,
  type BundleOptions,
  type KnownObject,
  type LoadedObjects,
  type Resources,
} from "@egts/api";

const reference = resolve(import.meta.dirname, "../../../../shared/reference");
const present = existsSync(join(reference, "gatewayapi"));
const controller = "gateway.envoyproxy.io/gatewayclass-controller";
const options: BundleOptions = { controllerNamespace: "envoy-gateway-system" };

/** The served apiVersion of each kind (the corpus bundles often leave apiVersion and kind out). */
const apiVersionOf = new Map(knownKinds().map((k) => [k.kind, k.apiVersion]));

/** Every object of a corpus bundle, as a provider would load them (its GatewayClass managed by `controller`). */
function objectsOf(resources: Resources): KnownObject[] {
  const out: unknown[] = [];
  const typed = (o: object, kind: string) => ({ apiVersion: apiVersionOf.get(kind), ...o, kind });
  if (resources.gatewayClass !== undefined)
    out.push(typed({ ...resources.gatewayClass, spec: { ...resources.gatewayClass.spec, controllerName: controller } }, "GatewayClass"));
  if (resources.envoyProxyForGatewayClass !== undefined) out.push(typed(resources.envoyProxyForGatewayClass, "EnvoyProxy"));
  for (const key of resourceListKeys) {
    const kind = resourceListKinds[key];
    if (kind === "*" || key === "envoyProxiesForGateways") continue;
    for (const o of resources[key] as ReadonlyArray<object>) out.push(typed(o, kind));
  }
  return out as KnownObject[];
}

const loadedOf = (objects: ReadonlyArray<KnownObject>): LoadedObjects => ({ objects: objects.map((object) => ({ object })) });

/** The corpus cases with the most objects of the kinds the tree selects from (where grouping has work to do). */
function corpusInputs(count: number): Array<{ name: string; objects: KnownObject[] }> {
  const cases = readdirSync(join(reference, "gatewayapi")).sort();
  const all = cases.map((name) => {
    const { resources } = parseResources(readFileSync(join(reference, "gatewayapi", name, "resources.yaml"), "utf8"));
    return { name, objects: objectsOf(resources) };
  });
  return all
    .filter((c) => c.objects.some((o) => o.kind === "GatewayClass"))
    .sort((a, b) => b.objects.length - a.objects.length || (a.name < b.name ? -1 : 1))
    .slice(0, count);
}

const referenceKeys = new Set(["group", "kind", "name", "namespace", "port", "weight", "sectionName", "filters", "fallback", "key"]);

/** The reference-shaped records inside a value (what the resource tree follows). */
function referenceRecords(value: unknown, out: Array<Record<string, unknown>>): void {
  if (Array.isArray(value)) for (const v of value) referenceRecords(v, out);
  else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (typeof record["name"] === "string" && Object.keys(record).every((k) => referenceKeys.has(k))) out.push(record);
    for (const v of Object.values(record)) referenceRecords(v, out);
  }
}

type Edit =
  | { readonly kind: "label"; readonly at: number }
  | { readonly kind: "owner"; readonly at: number; readonly to: number }
  | { readonly kind: "adopt"; readonly at: number; readonly to: number }
  | { readonly kind: "retarget"; readonly at: number; readonly to: number }
  | { readonly kind: "timestamp"; readonly at: number; readonly time: number }
  | { readonly kind: "remove"; readonly at: number }
  | { readonly kind: "restore"; readonly at: number }
  | { readonly kind: "none" };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("label" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("owner" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("adopt" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("retarget" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("timestamp" as const), at: fc.nat(), time: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("restore" as const), at: fc.nat() }),
  fc.constant({ kind: "none" as const }),
);

/** Applies an edit as a provider would see it: edited objects are new objects, the others stay the same. */
function apply(objects: KnownObject[], removed: KnownObject[], e: Edit, serial: number): KnownObject[] {
  if (e.kind === "none") return objects;
  if (e.kind === "restore") {
    const back = removed.splice(e.at % Math.max(removed.length, 1), 1)[0];
    if (back === undefined) return objects;
    const next = [...objects];
    next.splice(e.at % (next.length + 1), 0, back);
    return next;
  }
  if (objects.length === 0) return objects;
  const i = e.at % objects.length;
  const target = objects[i]!;
  if (e.kind === "remove") {
    removed.push(target);
    return objects.filter((_, j) => j !== i);
  }
  const copy = structuredClone(target) as KnownObject & { metadata: { labels?: Record<string, string>; creationTimestamp?: string } };
  if (e.kind === "label") copy.metadata.labels = { ...copy.metadata.labels, "egts.test/serial": String(serial) };
  else if (e.kind === "owner") {
    // What ties a slice to its Service and an Envoy Service to its Gateway: labels the tree selects by.
    const other = objects[e.to % objects.length]!;
    const key = ["kubernetes.io/service-name", "gateway.envoyproxy.io/owning-gateway-name", "gateway.envoyproxy.io/owning-gatewayclass"][e.to % 3]!;
    copy.metadata.labels = { ...copy.metadata.labels, [key]: other.metadata.name };
  } else if (e.kind === "adopt") {
    // Ties a slice to a Service of its namespace, or an Envoy Service to a GatewayClass: a leaf the tree left
    // out (after an "owner" edit, say) comes to belong.
    const pool = objects.filter((o) =>
      copy.kind === "EndpointSlice" ? o.kind === "Service" && o.metadata.namespace === copy.metadata.namespace : o.kind === "GatewayClass",
    );
    const other = pool[e.to % Math.max(pool.length, 1)];
    if (other === undefined || (copy.kind !== "EndpointSlice" && copy.kind !== "Service")) return objects;
    const key = copy.kind === "EndpointSlice" ? "kubernetes.io/service-name" : "gateway.envoyproxy.io/owning-gatewayclass";
    copy.metadata.labels = { ...copy.metadata.labels, [key]: other.metadata.name };
  } else if (e.kind === "timestamp") copy.metadata.creationTimestamp = `202${e.time}-01-01T00:00:00Z`;
  else {
    // Point one of its references at another object's name (or at nothing): what the tree selects changes.
    const refs: Array<Record<string, unknown>> = [];
    referenceRecords((copy as { spec?: unknown }).spec, refs);
    if (refs.length === 0) return objects;
    // Mostly an object the tree selects by reference, so that the selection really moves.
    const referable = objects.filter((o) => ["Service", "Secret", "ConfigMap", "Backend"].includes(o.kind));
    const pool = e.to % 2 === 0 && referable.length > 0 ? referable : objects;
    const other = pool[e.to % pool.length]!;
    if (e.to % 7 === 0) for (const ref of refs) ref["name"] = "missing";
    else refs[Math.floor(e.to / 16) % refs.length]!["name"] = e.to % 5 === 0 ? "missing" : other.metadata.name;
  }
  return objects.map((o, j) => (j === i ? (copy as KnownObject) : o));
}

describe.skipIf(!present)("createResourceGrouper", () => {
  const inputs = present ? corpusInputs(25) : [];

  it("returns what groupResources returns after every edit of random edit sequences (corpus inputs)", { timeout: 120_000 }, () => {
    // The inputs have work for the tree: routes, backends and slices to select.
    expect(inputs.every((c) => c.objects.length >= 10)).toBe(true);
    expect(inputs.some((c) => c.objects.some((o) => o.kind === "EndpointSlice"))).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: inputs.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 12 }), (which, edits) => {
        const grouper = createResourceGrouper(controller, options);
        let objects = inputs[which]!.objects;
        const removed: KnownObject[] = [];
        expect(grouper.group(loadedOf(objects))).toEqual(groupResources(loadedOf(objects), controller, options));
        edits.forEach((e, serial) => {
          objects = apply(objects, removed, e, serial);
          expect(grouper.group(loadedOf(objects))).toEqual(groupResources(loadedOf(objects), controller, options));
        });
      }),
      { numRuns: 150 },
    );
  });

  it("hands back the same bundle when nothing changed, and the same lists where an edit left them alone", () => {
    const objects = inputs.find((c) => c.objects.some((o) => o.kind === "HTTPRoute"))!.objects;
    const grouper = createResourceGrouper(controller, options);
    const first = grouper.group(loadedOf(objects));
    const again = grouper.group(loadedOf([...objects]));
    expect(again.map((g) => g.resources)).toEqual(first.map((g) => g.resources));
    again.forEach((g, i) => expect(g.resources).toBe(first[i]!.resources));

    // A new label on one HTTPRoute: a new bundle whose other lists are the previous arrays.
    const at = objects.findIndex((o) => o.kind === "HTTPRoute");
    expect(at).toBeGreaterThanOrEqual(0);
    const edited = apply(objects, [], { kind: "label", at }, 1);
    const after = grouper.group(loadedOf(edited));
    const before = first[0]!.resources as unknown as Record<string, unknown>;
    const now = after[0]!.resources as unknown as Record<string, unknown>;
    expect(now).not.toBe(before);
    for (const key of resourceListKeys) {
      if (key === "httpRoutes") expect(now[key]).not.toBe(before[key]);
      else expect(now[key], key).toBe(before[key]);
    }
  });

  it("keeps classes apart: an edit under one GatewayClass leaves the other's bundle as it was", () => {
    const text = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: a }
spec: { controllerName: ${controller} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: b }
spec: { controllerName: ${controller} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ga, namespace: default }
spec: { gatewayClassName: a, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gb, namespace: default }
spec: { gatewayClassName: b, listeners: [{ name: http, port: 80, protocol: HTTP }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ra, namespace: default }
spec: { parentRefs: [{ name: ga }], rules: [{ backendRefs: [{ name: sa, port: 80 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: sa, namespace: default }
spec: { ports: [{ port: 80 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: sa-1, namespace: default, labels: { kubernetes.io/service-name: sa } }
addressType: IPv4
endpoints: [{ addresses: [10.0.0.1] }]
`;
    const loaded = loadText(text, "classes.yaml");
    expect(loaded.problems).toEqual([]);
    const objects = loaded.objects.map((o) => o.object);
    const grouper = createResourceGrouper(controller, options);
    const first = grouper.group(loadedOf(objects));
    const slice = objects.findIndex((o) => o.kind === "EndpointSlice");
    const moved = structuredClone(objects[slice]!) as KnownObject & { endpoints: Array<{ addresses: string[] }> };
    moved.endpoints = [{ addresses: ["10.0.0.2"] }];
    const next = objects.map((o, i) => (i === slice ? (moved as KnownObject) : o));
    const after = grouper.group(loadedOf(next));
    expect(after).toEqual(groupResources(loadedOf(next), controller, options));
    expect(after[0]!.resources.endpointSlices).toEqual([moved]);
    expect(after[1]!.resources).toBe(first[1]!.resources);
  });
});
