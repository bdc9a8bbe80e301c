import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  descriptorRegistry,
  formatViolations,
  fromProtoJson,
  packAny,
  protoJsonToBinary,
  validate,
  validateMessage,
  xdsResourceTypeNames,
  type Violation,
} from "@egts/envoy-api";
import { messageTypes } from "@egts/envoy-api/registry";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { TcpProxy } from "@egts/envoy-api/generated/envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy";
import { generatedName } from "./internal/validate/validator.js";
import { TypedExtensionConfig } from "@egts/envoy-api/generated/envoy/config/core/v3/extension";

const xdsCorpus = resolve(import.meta.dirname, "../../../../shared/reference/xds");
const hasCorpus = existsSync(xdsCorpus);

type Json = Record<string, any>;
/** A resource of the reference corpus, as proto3 JSON (a fresh copy each call, free to mutate). */
const corpusResources = (caseName: string, kind: string): Json[] =>
  JSON.parse(readFileSync(join(xdsCorpus, caseName, "expected", `${kind}.json`), "utf8")) as Json[];

/** The violation at a path, for assertions that name one field. */
const at = (violations: readonly Violation[], path: string): Violation[] => violations.filter((v) => v.path === path);

describe("validate: one real invalid message per rule family", () => {
  it("string.min_len: a Cluster with an empty name", () => {
    const violations = validateMessage(Cluster, Cluster.fromPartial({ name: "" }));
    expect(violations).toEqual([{ path: "name", rule: "string.min_len", message: "value length must be at least 1 runes" }]);
  });

  it("duration.gt: a Cluster whose connect timeout is negative", () => {
    const cluster = Cluster.fromPartial({ name: "c", connectTimeout: { seconds: "-1", nanos: 0 } });
    expect(validateMessage(Cluster, cluster)).toEqual([{ path: "connectTimeout", rule: "duration.gt", message: "value must be greater than 0s" }]);
    // Zero is not greater than zero either; a positive timeout passes.
    expect(at(validateMessage(Cluster, { ...cluster, connectTimeout: { seconds: "0", nanos: 0 } }), "connectTimeout")).toHaveLength(1);
    expect(validateMessage(Cluster, { ...cluster, connectTimeout: { seconds: "0", nanos: 1 } })).toEqual([]);
  });

  it("duration.gt with a fractional bound, and an invalid duration", () => {
    const cluster = Cluster.fromPartial({ name: "c", dnsRefreshRate: { seconds: "0", nanos: 1_000_000 } });
    expect(validateMessage(Cluster, cluster)).toEqual([{ path: "dnsRefreshRate", rule: "duration.gt", message: "value must be greater than 1ms" }]);
    const broken = Cluster.fromPartial({ name: "c", dnsRefreshRate: { seconds: "5", nanos: -1 } });
    expect(validateMessage(Cluster, broken)).toEqual([{ path: "dnsRefreshRate", rule: "duration.valid", message: "value is not a valid duration" }]);
  });

  it("enum.defined_only: a Cluster with an lb policy number Envoy does not define", () => {
    const violations = validateMessage(Cluster, Cluster.fromPartial({ name: "c", lbPolicy: 42 as never }));
    expect(violations).toEqual([{ path: "lbPolicy", rule: "enum.defined_only", message: "value must be one of the defined enum values" }]);
  });

  it.runIf(hasCorpus)("string.min_len deep inside: a Listener whose network filter has an empty name", () => {
    const listener = corpusResources("http-route-multiple-matches", "listeners")[0] as Json;
    listener["defaultFilterChain"].filters[0].name = "";
    const violations = validate(xdsResourceTypeNames.listeners, protoJsonToBinary(xdsResourceTypeNames.listeners, listener));
    expect(violations).toEqual([{ path: "defaultFilterChain.filters[0].name", rule: "string.min_len", message: "value length must be at least 1 runes" }]);
  });

  it.runIf(hasCorpus)("through Any: an HTTP filter with an empty name inside the HttpConnectionManager", () => {
    const listener = corpusResources("http-route-multiple-matches", "listeners")[0] as Json;
    const hcm = listener["defaultFilterChain"].filters[0].typedConfig;
    hcm.httpFilters.unshift({ name: "" });
    hcm.maxRequestHeadersKb = 9000;
    const message = fromProtoJson(Listener, listener as never);
    // Fields in declaration order, as Go's ValidateAll reports them.
    expect(validateMessage(Listener, message)).toEqual([
      {
        path: "defaultFilterChain.filters[0].typedConfig.httpFilters[0].name",
        rule: "string.min_len",
        message: "value length must be at least 1 runes",
      },
      {
        path: "defaultFilterChain.filters[0].typedConfig.maxRequestHeadersKb",
        rule: "uint32.gt_lte",
        message: "value must be inside range (0, 8192]",
      },
    ]);
    // Upstream's resource-level check stops at the Any.
    expect(validateMessage(Listener, message, { recurseIntoAny: false })).toEqual([]);
  });

  it("through Any nested twice: a TCP proxy weighted cluster with a weight out of range", () => {
    const tcpProxy = TcpProxy.fromPartial({
      statPrefix: "tcp",
      clusterSpecifier: {
        $case: "weightedClusters",
        value: {
          clusters: [
            { name: "a", weight: 1 },
            { name: "b", weight: 0 },
          ],
        },
      },
    });
    const listener = Listener.fromPartial({
      name: "l",
      filterChains: [{ filters: [{ name: "envoy.filters.network.tcp_proxy", configType: { $case: "typedConfig", value: packAny(TcpProxy, tcpProxy) } }] }],
    });
    expect(validateMessage(Listener, listener)).toEqual([
      {
        path: "filterChains[0].filters[0].typedConfig.weightedClusters.clusters[1].weight",
        rule: "uint32.gte",
        message: "value must be greater than or equal to 1",
      },
    ]);
  });

  it("repeated.min_items: a route whose weighted clusters are empty", () => {
    const routes = RouteConfiguration.fromPartial({
      name: "r",
      virtualHosts: [
        {
          name: "vh",
          domains: ["*"],
          routes: [
            {
              match: { pathSpecifier: { $case: "prefix", value: "/" } },
              action: { $case: "route", value: { clusterSpecifier: { $case: "weightedClusters", value: { clusters: [] } } } },
            },
          ],
        },
      ],
    });
    expect(validateMessage(RouteConfiguration, routes)).toEqual([
      {
        path: "virtualHosts[0].routes[0].route.weightedClusters.clusters",
        rule: "repeated.min_items",
        message: "value must contain at least 1 item(s)",
      },
    ]);
  });

  it("oneof.required and message.required: a route with neither match nor action", () => {
    const routes = RouteConfiguration.fromPartial({ name: "r", virtualHosts: [{ name: "vh", domains: ["*"], routes: [{ name: "x" }] }] });
    expect(validateMessage(RouteConfiguration, routes)).toEqual([
      { path: "virtualHosts[0].routes[0].match", rule: "message.required", message: "value is required" },
      { path: "virtualHosts[0].routes[0].action", rule: "oneof.required", message: "value is required" },
    ]);
  });

  it.runIf(hasCorpus)("well_known_regex HTTP_HEADER_NAME (non-strict): a header matcher whose name holds a newline", () => {
    const routes = corpusResources("http-route-multiple-matches", "routes")[0] as Json;
    const match = routes["virtualHosts"][1].routes[0].match;
    match.headers[0].name = "bad\nname";
    const violations = validateMessage(RouteConfiguration, fromProtoJson(RouteConfiguration, routes as never));
    expect(violations).toEqual([
      {
        path: "virtualHosts[1].routes[0].match.headers[0].name",
        rule: "string.well_known_regex",
        message: 'value does not match regex pattern "^[^\\x00\\n\\r]*$"',
      },
    ]);
    // Non-strict header names allow characters RFC 7230 does not.
    match.headers[0].name = "bad name";
    expect(validateMessage(RouteConfiguration, fromProtoJson(RouteConfiguration, routes as never))).toEqual([]);
  });

  it("well_known_regex HTTP_HEADER_NAME (strict) with ignore_empty", () => {
    const cluster = (header: string): Cluster =>
      Cluster.fromPartial({
        name: "c",
        typedExtensionProtocolOptions: {
          "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": packAny(TypedExtensionConfig, { name: "x", typedConfig: undefined }),
        },
        upstreamHttpProtocolOptions: { overrideAutoSniHeader: header },
      });
    expect(validateMessage(Cluster, cluster("bad header"))).toContainEqual({
      path: "upstreamHttpProtocolOptions.overrideAutoSniHeader",
      rule: "string.well_known_regex",
      message: 'value does not match regex pattern "^:?[0-9a-zA-Z!#$%&\'*+-.^_|~`]+$"',
    });
    expect(at(validateMessage(Cluster, cluster("")), "upstreamHttpProtocolOptions.overrideAutoSniHeader")).toEqual([]);
    expect(at(validateMessage(Cluster, cluster(":authority")), "upstreamHttpProtocolOptions.overrideAutoSniHeader")).toEqual([]);
  });

  it("any.required, and an Any's content validated under the map entry that holds it", () => {
    const cluster = Cluster.fromPartial({
      name: "c",
      typedExtensionProtocolOptions: { opts: packAny(TypedExtensionConfig, { name: "", typedConfig: undefined }) },
    });
    expect(validateMessage(Cluster, cluster)).toEqual([
      { path: 'typedExtensionProtocolOptions["opts"].name', rule: "string.min_len", message: "value length must be at least 1 runes" },
      { path: 'typedExtensionProtocolOptions["opts"].typedConfig', rule: "any.required", message: "value is required" },
    ]);
  });

  it("map.keys: metadata under an empty filter name", () => {
    const cluster = Cluster.fromPartial({ name: "c", metadata: { filterMetadata: { "": { fields: {} }, ok: { fields: {} } } } });
    expect(validateMessage(Cluster, cluster)).toEqual([
      { path: 'metadata.filterMetadata[""]', rule: "map.keys.string.min_len", message: "value length must be at least 1 runes" },
    ]);
  });

  it("string.pattern: a path-separated prefix ending in a slash", () => {
    const routes = (prefix: string): RouteConfiguration =>
      RouteConfiguration.fromPartial({
        name: "r",
        virtualHosts: [
          {
            name: "vh",
            domains: ["*"],
            routes: [
              {
                match: { pathSpecifier: { $case: "pathSeparatedPrefix", value: prefix } },
                action: { $case: "route", value: { clusterSpecifier: { $case: "cluster", value: "c" } } },
              },
            ],
          },
        ],
      });
    expect(validateMessage(RouteConfiguration, routes("/api/"))).toEqual([
      {
        path: "virtualHosts[0].routes[0].match.pathSeparatedPrefix",
        rule: "string.pattern",
        message: 'value does not match regex pattern "^[^?#]+[^?#/]$"',
      },
    ]);
    expect(validateMessage(RouteConfiguration, routes("/api"))).toEqual([]);
  });

  it("uint32.gte_lt: a direct response with status 700", () => {
    const routes = RouteConfiguration.fromPartial({
      name: "r",
      virtualHosts: [
        {
          name: "vh",
          domains: ["*"],
          routes: [{ match: { pathSpecifier: { $case: "prefix", value: "/" } }, action: { $case: "directResponse", value: { status: 700 } } }],
        },
      ],
    });
    expect(validateMessage(RouteConfiguration, routes)).toEqual([
      { path: "virtualHosts[0].routes[0].directResponse.status", rule: "uint32.gte_lt", message: "value must be inside range [200, 600)" },
    ]);
  });

  it("wrapper types: uint64 and double rules apply to the wrapped value only when it is set", () => {
    const cluster = Cluster.fromPartial({
      name: "c",
      lbConfig: { $case: "ringHashLbConfig", value: { minimumRingSize: "9000000" } },
      commonLbConfig: { healthyPanicThreshold: { value: 150 } },
    });
    expect(validateMessage(Cluster, cluster)).toEqual([
      // Oneof members come after the other fields, as in Go.
      { path: "commonLbConfig.healthyPanicThreshold.value", rule: "double.gte_lte", message: "value must be inside range [0, 100]" },
      { path: "ringHashLbConfig.minimumRingSize", rule: "uint64.lte", message: "value must be less than or equal to 8388608" },
    ]);
    expect(validateMessage(Cluster, Cluster.fromPartial({ name: "c", lbConfig: { $case: "ringHashLbConfig", value: {} } }))).toEqual([]);
  });

  it("repeated.unique and repeated.items: internal redirect headers", () => {
    const routes = RouteConfiguration.fromPartial({
      name: "r",
      virtualHosts: [
        {
          name: "vh",
          domains: ["*"],
          routes: [
            {
              match: { pathSpecifier: { $case: "prefix", value: "/" } },
              action: {
                $case: "route",
                value: { clusterSpecifier: { $case: "cluster", value: "c" }, internalRedirectPolicy: { responseHeadersToCopy: ["x-a", "x\rb", "x-a"] } },
              },
            },
          ],
        },
      ],
    });
    const base = "virtualHosts[0].routes[0].route.internalRedirectPolicy.responseHeadersToCopy";
    expect(validateMessage(RouteConfiguration, routes)).toEqual([
      { path: `${base}[1]`, rule: "repeated.items.string.well_known_regex", message: 'value does not match regex pattern "^[^\\x00\\n\\r]*$"' },
      { path: `${base}[2]`, rule: "repeated.unique", message: "repeated value must contain unique items" },
    ]);
  });

  it("bool.const, bytes.max_len: RBAC-free checks on a listener's header mutations", () => {
    const hcm = HttpConnectionManager.fromPartial({
      statPrefix: "s",
      routeSpecifier: { $case: "routeConfig", value: { name: "r", responseHeadersToAdd: [{ header: { key: "x", rawValue: Buffer.alloc(16385) } }] } },
      httpFilters: [{ name: "envoy.filters.http.router" }],
    });
    expect(validateMessage(HttpConnectionManager, hcm)).toEqual([
      {
        path: "routeConfig.responseHeadersToAdd[0].header.rawValue",
        rule: "bytes.min_len",
        message: "value length must be between 0 and 16384 bytes, inclusive",
      },
    ]);
  });

  it("accepts a message given as a @bufbuild/protobuf message or as bytes, and rejects bad input clearly", () => {
    const bytes = Cluster.encode(Cluster.fromPartial({ name: "" })).finish();
    expect(validate("envoy.config.cluster.v3.Cluster", bytes)).toHaveLength(1);
    expect(() => validate("envoy.config.cluster.v3.Nope", bytes)).toThrow(/envoy\.config\.cluster\.v3\.Nope/);
    expect(() => validate("envoy.config.cluster.v3.Cluster", new Uint8Array([0x0a, 0x05]))).toThrow(/not a valid envoy\.config\.cluster\.v3\.Cluster/);
  });

  it("formats violations one line each", () => {
    const text = formatViolations(validateMessage(Cluster, Cluster.fromPartial({ name: "", lbPolicy: 42 as never })));
    expect(text.split("\n")).toEqual([
      "name: value length must be at least 1 runes [string.min_len]",
      "lbPolicy: value must be one of the defined enum values [enum.defined_only]",
    ]);
    expect(formatViolations([])).toBe("");
  });
});

describe("validateMessage: generated messages", () => {
  it("reads every field and oneof under the property name ts-proto gives it", () => {
    // A generated type's base object (fromPartial({})) holds its scalar, list and map fields: each must be
    // found under the name the validator derives from the proto field name.
    let fields = 0;
    for (const [typeName, type] of messageTypes) {
      const desc = descriptorRegistry().getMessage(typeName);
      if (desc === undefined || typeName.startsWith("google.protobuf.")) continue;
      const names = new Set([...desc.fields.map((f) => generatedName(f.name)), ...desc.oneofs.map((o) => generatedName(o.name))]);
      for (const key of Object.keys(type.fromPartial({}) as object)) {
        expect(names.has(key) ? key : `${typeName}.${key}`).toBe(key);
        fields++;
      }
    }
    expect(fields).toBeGreaterThan(3000);
  });

  it("treats a float as the wire does (32-bit) and a left-out implicit field as its zero value", () => {
    const cluster = Cluster.fromPartial({ name: "c" });
    const { name: _, ...withoutName } = cluster;
    expect(validateMessage(Cluster, withoutName as never)).toEqual(validate(Cluster.$type, Cluster.encode(Cluster.fromPartial({})).finish()));
    expect(validateMessage(Cluster, withoutName as never)).toEqual([
      { path: "name", rule: "string.min_len", message: "value length must be at least 1 runes" },
    ]);
  });
});

describe.runIf(hasCorpus)("validate: the reference corpus is valid", () => {
  it("a Listener, a Cluster, a RouteConfiguration and a ClusterLoadAssignment pass unchanged", () => {
    const caseName = "http-route-multiple-matches";
    const listener = fromProtoJson(Listener, corpusResources(caseName, "listeners")[0] as never);
    const cluster = fromProtoJson(Cluster, corpusResources(caseName, "clusters")[0] as never);
    const routes = fromProtoJson(RouteConfiguration, corpusResources(caseName, "routes")[0] as never);
    const endpoints = fromProtoJson(ClusterLoadAssignment, corpusResources(caseName, "endpoints")[0] as never);
    expect(validateMessage(Listener, listener)).toEqual([]);
    expect(validateMessage(Cluster, cluster)).toEqual([]);
    expect(validateMessage(RouteConfiguration, routes)).toEqual([]);
    expect(validateMessage(ClusterLoadAssignment, endpoints)).toEqual([]);
  });

  /**
   * Violations the corpus is known to have once Any content is validated too:
   * - stale rules: rules in the protos this package was generated from that newer Envoy releases (which upstream
   *   Envoy Gateway v1.9 builds against) have dropped; the proto copies need updating;
   * - unvalidated packing: typed configs upstream packs without validating them (its resource-level check does
   *   not look inside an Any), which break rules Envoy's own protos state.
   */
  const knownInsideAny: readonly { readonly path: RegExp; readonly rule: string; readonly why: string }[] = [
    {
      path: /\.(enabled|aggression|srThreshold|rpsThreshold|maxRejectionProbability)\.runtimeKey$/,
      rule: "string.min_len",
      why: "stale: Runtime*.runtime_key is optional in newer Envoy",
    },
    { path: /\.commonProviderConfig\.geoHeadersToAdd$/, rule: "message.required", why: "stale: geo_headers_to_add is optional in newer Envoy" },
    { path: /\.override$/, rule: "oneof.required", why: "stale: LuaPerRoute.override is not required in newer Envoy" },
    { path: /\.descriptors\[\d+\]\.entries\[\d+\]\.value$/, rule: "string.min_len", why: "stale: descriptor entry values may be empty in newer Envoy" },
    { path: /\.descriptors\[\d+\]\.tokenBucket\.fillInterval$/, rule: "duration.gt", why: "upstream packs a local rate limit with a 0s fill interval" },
  ];
  const isKnown = (v: Violation): boolean => knownInsideAny.some((k) => k.rule === v.rule && k.path.test(v.path));

  /** Every resource of every expected output, parsed to wire bytes; resources that do not parse yet are counted. */
  let corpusCache:
    | { readonly resources: { readonly where: string; readonly typeName: string; readonly bytes: Uint8Array }[]; readonly unparsable: number }
    | undefined;
  const loadCorpus = (): NonNullable<typeof corpusCache> => {
    if (corpusCache !== undefined) return corpusCache;
    const resources: { where: string; typeName: string; bytes: Uint8Array }[] = [];
    let unparsable = 0;
    for (const caseName of readdirSync(xdsCorpus).sort()) {
      const dir = join(xdsCorpus, caseName, "expected");
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).sort()) {
        const typeName = (xdsResourceTypeNames as Readonly<Record<string, string>>)[file.replace(/\.json$/, "")];
        if (typeName === undefined) continue;
        for (const [index, resource] of (JSON.parse(readFileSync(join(dir, file), "utf8")) as Json[]).entries()) {
          try {
            resources.push({ where: `${caseName}/${file}[${index}]`, typeName, bytes: protoJsonToBinary(typeName, resource as never) });
          } catch {
            // A type or field the protos do not have yet (the proto-gap work adds them).
            unparsable++;
          }
        }
      }
    }
    corpusCache = { resources, unparsable };
    return corpusCache;
  };

  it("no resource breaks a rule at the resource level (upstream's check)", () => {
    const { resources, unparsable } = loadCorpus();
    const failures = resources.flatMap(({ where, typeName, bytes }) => {
      const violations = validate(typeName, bytes, { recurseIntoAny: false });
      return violations.length === 0 ? [] : [`${where}:\n${formatViolations(violations)}`];
    });
    console.info(`resource level: validated ${resources.length} corpus resources; ${unparsable} do not parse yet`);
    expect(failures).toEqual([]);
    expect(resources.length).toBeGreaterThan(1000);
  });

  it("a generated message read as built gives exactly the violations of its wire bytes", () => {
    // Every corpus resource, decoded by its generated codec, then broken in a few ways that reach many rules:
    // names emptied, durations made negative, enum numbers made undefined, lists emptied.
    const breakIt = (value: unknown, depth: number): unknown => {
      if (depth > 12 || value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.length > 2 ? [] : value.map((v) => breakIt(v, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === "name" && typeof v === "string") out[k] = "";
        else if (k === "seconds" && typeof v === "string") out[k] = "-3";
        else if (typeof v === "number" && Number.isInteger(v) && k !== "nanos") out[k] = 9999;
        else out[k] = breakIt(v, depth + 1);
      }
      return out;
    };
    const { resources } = loadCorpus();
    let checked = 0;
    let violating = 0;
    for (const { where, typeName, bytes } of resources) {
      const type = messageTypes.get(typeName);
      if (type === undefined) continue;
      for (const message of [type.decode(bytes), breakIt(type.decode(bytes), 0)]) {
        const wire = type.encode(message as never).finish();
        for (const recurseIntoAny of [false, true]) {
          const expected = validate(typeName, wire, { recurseIntoAny });
          const actual = validateMessage(type, message as never, { recurseIntoAny });
          if (JSON.stringify(actual) !== JSON.stringify(expected))
            expect({ where, recurseIntoAny, actual }).toEqual({ where, recurseIntoAny, actual: expected });
          if (expected.length > 0) violating++;
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(violating).toBeGreaterThan(1000);
  });

  it("inside Any too, no resource breaks a rule beyond the known, explained ones", () => {
    const { resources } = loadCorpus();
    const known: Violation[] = [];
    const failures: string[] = [];
    for (const { where, typeName, bytes } of resources) {
      const violations = validate(typeName, bytes);
      known.push(...violations.filter(isKnown));
      const unexplained = violations.filter((v) => !isKnown(v));
      if (unexplained.length > 0) failures.push(`${where}:\n${formatViolations(unexplained)}`);
    }
    console.info(`inside Any: ${known.length} known violations (stale proto rules, unvalidated packing upstream)`);
    expect(failures).toEqual([]);
    // The proto copies are being brought up to date; entries no longer matched can be dropped from the list.
    const unused = knownInsideAny.filter((entry) => !known.some((v) => v.rule === entry.rule && entry.path.test(v.path)));
    if (unused.length > 0) console.info(`known entries no longer needed: ${unused.map((e) => e.why).join("; ")}`);
  });
});
