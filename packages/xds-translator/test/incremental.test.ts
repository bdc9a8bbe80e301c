// Property: a memoising translator fed any sequence of IRs gives, at every step, exactly what a fresh full
// translation of that IR gives (resources in order, names, bytes, versions; errors; patch policy statuses).
// IRs are reference-corpus IRs edited the way the Gateway API translator's results change: new objects on the
// way to what changed, the same objects everywhere else.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseXdsYaml, type Xds } from "@egts/ir";
import { createXdsTranslator, translateXds, type XdsTranslateOptions, type XdsTranslateResult } from "../src/index.js";
import { corpusRoot, xdsCases, xdsCorpus } from "./corpus.js";

type Path = ReadonlyArray<string | number>;
type Json = Record<string | number, unknown>;

/** `root` with the value at `path` replaced by `f(value)`, copying only the objects on the way. */
function updateIn<T>(root: T, path: Path, f: (value: unknown) => unknown): T {
  if (path.length === 0) return f(root) as T;
  const [head, ...rest] = path as [string | number, ...Path];
  const node = root as unknown as Json;
  const child = updateIn(node[head], rest, f);
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[head as number] = child;
    return copy as T;
  }
  return { ...node, [head]: child } as T;
}

const at = (root: unknown, path: Path): unknown => path.reduce<unknown>((v, k) => (v as Json | undefined)?.[k], root);

/** Paths of the destination settings whose endpoints feed load assignments, and of other destinations' settings. */
function settingPaths(ir: Xds): Path[] {
  const out: Path[] = [];
  const destination = (base: Path, d: { settings?: readonly unknown[] } | undefined) => d?.settings?.forEach((_, k) => out.push([...base, "settings", k]));
  ir.http?.forEach((l, i) =>
    l.routes?.forEach((r, j) => {
      destination(["http", i, "routes", j, "destination"], r.destination);
      r.mirrors?.forEach((m, n) => destination(["http", i, "routes", j, "mirrors", n, "destination"], m.destination));
      const grpc = r.security?.extAuth?.grpc;
      if (grpc !== undefined) destination(["http", i, "routes", j, "security", "extAuth", "grpc", "destination"], grpc.destination);
    }),
  );
  ir.tcp?.forEach((l, i) => l.routes?.forEach((r, j) => destination(["tcp", i, "routes", j, "destination"], r.destination)));
  ir.udp?.forEach((l, i) => destination(["udp", i, "route", "destination"], l.route?.destination));
  ir.backendClusters?.forEach((bc, i) => bc.setting !== undefined && out.push(["backendClusters", i, "setting"]));
  destination(["globalResources", "proxyServiceCluster"], ir.globalResources?.proxyServiceCluster);
  ir.accessLog?.openTelemetry?.forEach((o, i) => destination(["accessLog", "openTelemetry", i, "destination"], o.destination));
  if (ir.tracing !== undefined) destination(["tracing", "destination"], ir.tracing.destination);
  return out;
}

const routePaths = (ir: Xds): Path[] => (ir.http ?? []).flatMap((l, i) => (l.routes ?? []).map((_, j): Path => ["http", i, "routes", j]));

/** One edit, its choices resolved against the IR it is applied to. */
type Edit =
  | { readonly kind: "endpoints"; readonly pick: number; readonly hosts: readonly number[]; readonly fqdn: boolean }
  | { readonly kind: "sameEndpoints"; readonly pick: number }
  | { readonly kind: "routeTimeout"; readonly pick: number; readonly seconds: number }
  | { readonly kind: "routeHostname"; readonly pick: number; readonly n: number }
  | { readonly kind: "renameDestination"; readonly pick: number; readonly n: number }
  | { readonly kind: "shareDestination"; readonly pick: number; readonly from: number }
  | { readonly kind: "moveRoute"; readonly pick: number; readonly to: number }
  | { readonly kind: "removeRoute"; readonly pick: number }
  | { readonly kind: "duplicateRoute"; readonly pick: number }
  | { readonly kind: "aliasRoute"; readonly pick: number; readonly to: number }
  | { readonly kind: "aliasSetting"; readonly pick: number }
  | { readonly kind: "swapListeners"; readonly a: number; readonly b: number }
  | { readonly kind: "listenerPort"; readonly pick: number; readonly port: number }
  | { readonly kind: "borrow"; readonly seed: number; readonly field: "accessLog" | "tracing" | "metrics" | "http" | "tcp" | "udp" | "backendClusters" }
  | { readonly kind: "borrowListener"; readonly seed: number; readonly pick: number }
  | { readonly kind: "clone" }
  | { readonly kind: "revert"; readonly back: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant("endpoints" as const), pick: fc.nat(), hosts: fc.array(fc.nat(6), { maxLength: 3 }), fqdn: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("sameEndpoints" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("routeTimeout" as const), pick: fc.nat(), seconds: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("routeHostname" as const), pick: fc.nat(), n: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("renameDestination" as const), pick: fc.nat(), n: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shareDestination" as const), pick: fc.nat(), from: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("moveRoute" as const), pick: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRoute" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicateRoute" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("aliasRoute" as const), pick: fc.nat(), to: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("aliasSetting" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("swapListeners" as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("listenerPort" as const), pick: fc.nat(), port: fc.constantFrom(10080, 10443, 10081) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("borrow" as const),
      seed: fc.nat(),
      field: fc.constantFrom(
        "accessLog" as const,
        "tracing" as const,
        "metrics" as const,
        "http" as const,
        "tcp" as const,
        "udp" as const,
        "backendClusters" as const,
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("borrowListener" as const), seed: fc.nat(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clone" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("revert" as const), back: fc.integer({ min: 1, max: 3 }) }) },
);

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

function apply(ir: Xds, e: Edit, seeds: readonly Xds[], history: readonly Xds[]): Xds {
  switch (e.kind) {
    case "endpoints": {
      const path = pick(settingPaths(ir), e.pick);
      if (path === undefined) return ir;
      const endpoints = e.hosts.map((h) => (e.fqdn ? { host: `backend-${h}.example.com`, port: 8080 + h } : { host: `10.9.0.${h + 1}`, port: 8080 + h }));
      return updateIn(ir, [...path, "endpoints"], () => endpoints);
    }
    case "sameEndpoints": {
      // Equal content, new objects: the endpoint path with nothing to rebuild.
      const path = pick(settingPaths(ir), e.pick);
      if (path === undefined) return ir;
      return updateIn(ir, path, (s) => ({ ...(s as Json), endpoints: structuredClone((s as Json)["endpoints"]) }));
    }
    case "routeTimeout": {
      const path = pick(routePaths(ir), e.pick);
      return path === undefined ? ir : updateIn(ir, path, (r) => ({ ...(r as Json), timeout: `${e.seconds}s` }));
    }
    case "routeHostname": {
      const path = pick(routePaths(ir), e.pick);
      return path === undefined ? ir : updateIn(ir, path, (r) => ({ ...(r as Json), hostname: `edit-${e.n}.example.com` }));
    }
    case "renameDestination": {
      // A route's clusters under new names (those of its settings too): requests elsewhere that found them now build them.
      const path = pick(routePaths(ir), e.pick);
      if (path === undefined) return ir;
      return updateIn(ir, [...path, "destination"], (d) => {
        const dest = d as Json | undefined;
        if (dest === undefined) return d;
        const settings = (dest["settings"] as Json[] | undefined)?.map((s) => ({ ...s, name: `${String(s["name"])}-renamed-${e.n}` }));
        return { ...dest, name: `${String(dest["name"])}-renamed-${e.n}`, ...(settings !== undefined ? { settings } : {}) };
      });
    }
    case "shareDestination": {
      // A route takes another's destination: a cluster requested twice, by other routes first or later.
      const paths = routePaths(ir);
      const path = pick(paths, e.pick);
      const from = pick(paths, e.from);
      if (path === undefined || from === undefined) return ir;
      const destination = (at(ir, from) as Json)["destination"];
      return updateIn(ir, path, (r) => ({ ...(r as Json), destination }));
    }
    case "moveRoute": {
      // The same route object at another position of its listener (the others shift).
      const path = pick(routePaths(ir), e.pick);
      if (path === undefined) return ir;
      const index = path.at(-1) as number;
      return updateIn(ir, path.slice(0, -1), (routes) => {
        const list = [...(routes as unknown[])];
        const [moved] = list.splice(index, 1);
        list.splice(e.to % (list.length + 1), 0, moved);
        return list;
      });
    }
    case "removeRoute": {
      const path = pick(routePaths(ir), e.pick);
      if (path === undefined) return ir;
      const index = path.at(-1) as number;
      return updateIn(ir, path.slice(0, -1), (routes) => (routes as unknown[]).filter((_, i) => i !== index));
    }
    case "duplicateRoute": {
      const path = pick(routePaths(ir), e.pick);
      if (path === undefined) return ir;
      const route = at(ir, path) as Json;
      return updateIn(ir, path.slice(0, -1), (routes) => [...(routes as unknown[]), { ...route, name: `${String(route["name"])}-copy` }]);
    }
    case "aliasRoute": {
      // The same route object in a second place (the IR may share objects): an edit of one place is not one of the other.
      const path = pick(routePaths(ir), e.pick);
      const http = ir.http ?? [];
      if (path === undefined) return ir;
      return updateIn(ir, ["http", e.to % http.length, "routes"], (routes) => [...((routes as unknown[] | undefined) ?? []), at(ir, path)]);
    }
    case "aliasSetting": {
      // One setting object twice in a destination.
      const path = pick(
        settingPaths(ir).filter((p) => typeof p.at(-1) === "number"),
        e.pick,
      );
      if (path === undefined) return ir;
      const setting = at(ir, path);
      return updateIn(ir, path.slice(0, -1), (settings) => [...(settings as unknown[]), setting]);
    }
    case "swapListeners": {
      const http = ir.http ?? [];
      if (http.length < 2) return ir;
      const a = e.a % http.length;
      const b = e.b % http.length;
      const swapped = [...http];
      [swapped[a], swapped[b]] = [http[b]!, http[a]!];
      return { ...ir, http: swapped };
    }
    case "listenerPort": {
      const http = ir.http ?? [];
      if (http.length === 0) return ir;
      return updateIn(ir, ["http", e.pick % http.length], (l) => ({ ...(l as Json), port: e.port }));
    }
    case "borrow": {
      const from = pick(seeds, e.seed);
      if (from === undefined) return ir;
      const { [e.field]: _, ...rest } = ir;
      return from[e.field] === undefined ? (rest as Xds) : { ...ir, [e.field]: from[e.field] };
    }
    case "borrowListener": {
      const from = pick(seeds, e.seed);
      const listener = pick(from?.http ?? [], e.pick);
      return listener === undefined ? ir : { ...ir, http: [...(ir.http ?? []), listener] };
    }
    case "clone":
      return structuredClone(ir);
    case "revert":
      return history[Math.max(0, history.length - 1 - e.back)] ?? ir;
  }
}

const shape = (r: XdsTranslateResult) => ({
  resources: (["listeners", "routes", "clusters", "endpoints", "secrets"] as const).map((kind) =>
    r[kind].map((x) => `${kind} ${x.name} ${x.version} ${Buffer.from(x.bytes).toString("base64")}`),
  ),
  errors: r.errors.map((e) => e.message),
  statuses: JSON.stringify(r.envoyPatchPolicyStatuses),
});

function optionsOf(name: string): XdsTranslateOptions {
  const raw = JSON.parse(readFileSync(join(xdsCorpus, name, "options.json"), "utf8")) as Record<string, unknown>;
  return {
    ...(typeof raw["controllerNamespace"] === "string" ? { controllerNamespace: raw["controllerNamespace"] } : {}),
    ...(typeof raw["dnsDomain"] === "string" ? { dnsDomain: raw["dnsDomain"] } : {}),
    ...(typeof raw["globalRateLimitServiceURL"] === "string" ? { globalRateLimitServiceURL: raw["globalRateLimitServiceURL"] } : {}),
    ...(raw["runtimeFlags"] !== undefined ? { runtimeFlags: raw["runtimeFlags"] as XdsTranslateOptions["runtimeFlags"] & object } : {}),
  };
}

describe.skipIf(!existsSync(corpusRoot))("memoising xDS translator", () => {
  const cases = xdsCases();
  const seeds = cases.map((name) => parseXdsYaml(readFileSync(join(xdsCorpus, name, "ir.yaml"), "utf8")));

  it("gives what a full translation gives after every edit of any edit sequence over corpus IRs", () => {
    const paths = new Map<string, number>();
    fc.assert(
      fc.property(fc.nat(), fc.array(edit, { minLength: 1, maxLength: 10 }), (seed, edits) => {
        const index = seed % cases.length;
        const options = optionsOf(cases[index]!);
        const translator = createXdsTranslator(options);
        const history: Xds[] = [seeds[index]!];
        const check = (ir: Xds) => {
          const result = translator.translate(ir);
          expect(shape(result)).toEqual(shape(translateXds(ir, options)));
          const path = translator.lastRun?.path ?? "none";
          paths.set(path, (paths.get(path) ?? 0) + 1);
        };
        check(history[0]!);
        for (const e of edits) {
          const next = apply(history.at(-1)!, e, seeds, history);
          history.push(next);
          check(next);
        }
      }),
      { numRuns: 150 },
    );
    // The run exercised every way a translation can go.
    for (const path of ["identical", "endpoints", "steps", "full"]) expect(paths.get(path) ?? 0, `${path}: ${JSON.stringify([...paths])}`).toBeGreaterThan(0);
  }, 300_000);
});
