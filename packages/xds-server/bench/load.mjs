#!/usr/bin/env node
// Bounded load test of the xDS server (not part of the test suite). Run after building:
//   npx tsc -b packages/xds-server/tsconfig.lib.json && node packages/xds-server/bench/load.mjs
// Options (environment): STREAMS (200), ROUTES (1000), CLUSTERS (1000), LIMIT_SECONDS (180).
//
// The server runs in this process; the delta clients run in a child process, so the server's memory is
// measured alone. Each client stream subscribes like Envoy (CDS and LDS wildcard, EDS by cluster name, RDS by
// route table name), ACKs every response, and reads only the top-level response fields (decoding 200 copies
// of every resource would measure the client, not the server). Times are from the snapshot update (including
// encoding it) to the moment the last stream has received the new version of the changed type.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import { packAny } from "@egts/envoy-api";
import { Cluster, Cluster_DiscoveryType } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { Router } from "@egts/envoy-api/generated/envoy/extensions/filters/http/router/v3/router";
import { DeltaDiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { createSnapshotCache, createXdsServer, resourceTypeUrls } from "../dist/index.js";

const STREAMS = Number(process.env.STREAMS ?? 200);
const ROUTES = Number(process.env.ROUTES ?? 1000);
const CLUSTERS = Number(process.env.CLUSTERS ?? 1000);
const LIMIT_SECONDS = Number(process.env.LIMIT_SECONDS ?? 300);
const REPEAT = Number(process.env.REPEAT ?? 5);
const { clusters: CDS, endpoints: EDS, listeners: LDS, routes: RDS } = resourceTypeUrls;
const ROUTE_TABLE = "http-80";

// ---------------------------------------------------------------------------------------------- server side

function cluster(i, timeoutSeconds) {
  return Cluster.fromPartial({
    name: `httproute/default/route-${i}/rule/0`,
    clusterDiscoveryType: { $case: "type", value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { edsConfig: { configSourceSpecifier: { $case: "ads", value: {} } }, serviceName: `httproute/default/route-${i}/rule/0` },
    connectTimeout: { seconds: timeoutSeconds, nanos: 0 },
    perConnectionBufferLimitBytes: 32768,
  });
}

function endpoints(i, generation) {
  return ClusterLoadAssignment.fromPartial({
    clusterName: `httproute/default/route-${i}/rule/0`,
    endpoints: [
      {
        locality: { region: `httproute/default/route-${i}/rule/0/backend/0` },
        loadBalancingWeight: 1,
        lbEndpoints: [1, 2].map((host) => ({
          hostIdentifier: {
            $case: "endpoint",
            value: {
              address: {
                address: {
                  $case: "socketAddress",
                  value: { address: `10.${generation % 250}.${(i >> 8) & 255}.${(i & 255) + host}`, portSpecifier: { $case: "portValue", value: 8080 } },
                },
              },
            },
          },
          loadBalancingWeight: 1,
        })),
      },
    ],
  });
}

function routeTable(generation) {
  const perHost = 10;
  const virtualHosts = [];
  for (let h = 0; h < Math.ceil(ROUTES / perHost); h++) {
    const routes = [];
    for (let r = h * perHost; r < Math.min(ROUTES, (h + 1) * perHost); r++) {
      routes.push({
        name: `httproute/default/route-${r}/rule/0/match/0/www_example_com`,
        match: { pathSpecifier: { $case: "prefix", value: `/app-${r}/v${generation}` } },
        action: {
          $case: "route",
          value: {
            clusterSpecifier: { $case: "cluster", value: `httproute/default/route-${r % CLUSTERS}/rule/0` },
            upgradeConfigs: [{ upgradeType: "websocket" }],
          },
        },
      });
    }
    virtualHosts.push({ name: `default/eg/http/host-${h}_example_com`, domains: [`host-${h}.example.com`], routes });
  }
  return RouteConfiguration.fromPartial({ name: ROUTE_TABLE, virtualHosts, ignorePortInHostMatching: true });
}

function listener() {
  const hcm = HttpConnectionManager.fromPartial({
    statPrefix: "http-10080",
    routeSpecifier: { $case: "rds", value: { routeConfigName: ROUTE_TABLE, configSource: { configSourceSpecifier: { $case: "ads", value: {} } } } },
    httpFilters: [{ name: "envoy.filters.http.router", configType: { $case: "typedConfig", value: packAny(Router, Router.fromPartial({})) } }],
  });
  return Listener.fromPartial({
    name: "default/eg/http",
    address: { address: { $case: "socketAddress", value: { address: "0.0.0.0", portSpecifier: { $case: "portValue", value: 10080 } } } },
    filterChains: [
      {
        filters: [{ name: "envoy.filters.network.http_connection_manager", configType: { $case: "typedConfig", value: packAny(HttpConnectionManager, hcm) } }],
      },
    ],
  });
}

/** The whole snapshot; `changes` says which parts get a new generation. */
function buildSnapshot(state) {
  return {
    [CDS]: state.clusters,
    [EDS]: state.endpoints,
    [LDS]: state.listeners,
    [RDS]: state.routes,
  };
}

const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const memory = () => {
  const m = process.memoryUsage();
  return { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external + m.arrayBuffers) };
};

async function runServer() {
  const limit = setTimeout(() => {
    console.error(`load test exceeded ${LIMIT_SECONDS} s; aborting`);
    process.exit(2);
  }, LIMIT_SECONDS * 1000);
  limit.unref();
  globalThis.gc?.();
  const baseline = memory();
  const cache = createSnapshotCache();
  // Counts responses as the server writes them, to tell server time from transport and client time.
  const sends = { count: 0, lastAt: 0 };
  const logger = {
    debug: (message) => {
      if (message === "sending delta response") {
        sends.count++;
        sends.lastAt = performance.now();
      }
    },
    info: () => {},
    warn: (message, fields) => console.error(message, fields),
    error: (message, fields) => console.error(message, fields),
  };
  const server = createXdsServer({ cache, logger });
  const port = await server.listen("127.0.0.1:0");

  const state = {
    clusters: Array.from({ length: CLUSTERS }, (_, i) => cluster(i, 1)),
    endpoints: Array.from({ length: CLUSTERS }, (_, i) => endpoints(i, 0)),
    listeners: [listener()],
    routes: [routeTable(0)],
  };
  let t = performance.now();
  let snapshot = cache.setSnapshot("default/eg", buildSnapshot(state));
  const initialEncodeMs = performance.now() - t;
  const wireBytes = [CDS, EDS, LDS, RDS].reduce(
    (sum, type) => sum + [...snapshot.resourcesOf(type).resources.values()].reduce((s, r) => s + r.deltaResource.length, 0),
    0,
  );
  globalThis.gc?.();
  const afterSnapshot = memory();

  const child = fork(fileURLToPath(import.meta.url), ["--clients", `127.0.0.1:${port}`], {
    env: { ...process.env },
    stdio: "inherit",
  });
  const waiters = new Map();
  // The child loads the generated Envoy types before it is ready; that start-up is not part of any figure.
  await new Promise((resolve) => child.once("message", resolve));
  child.on("message", (message) => {
    const waiter = waiters.get(message.id);
    if (waiter) {
      waiters.delete(message.id);
      waiter({ at: performance.now(), ...message });
    }
  });
  let nextId = 0;
  /** Asks the clients to report when every stream holds `version` of `typeUrl`. */
  const awaitAll = (typeUrl, version) => {
    const id = ++nextId;
    return new Promise((resolve) => {
      waiters.set(id, resolve);
      child.send({ id, typeUrl, version });
    });
  };

  // Initial sync: from opening all streams to every stream holding all four types.
  const syncCpuBefore = process.cpuUsage();
  t = performance.now();
  child.send({ id: 0, start: STREAMS, clusters: CLUSTERS, routeTable: ROUTE_TABLE });
  const initialWaits = [CDS, EDS, LDS, RDS].map((type) => awaitAll(type, snapshot.resourcesOf(type).version));
  const initial = await Promise.all(initialWaits);
  const initialSyncMs = Math.max(...initial.map((r) => r.at)) - t;
  const syncCpu = process.cpuUsage(syncCpuBefore);
  const initialSyncServerCpuMs = (syncCpu.user + syncCpu.system) / 1000;
  globalThis.gc?.();
  const afterSync = memory();

  const scenarios = [];
  /** Runs a scenario REPEAT times (each a fresh change) and keeps the median and the minimum of each figure. */
  const measure = async (name, mutate, typeUrl, sentPerStream) => {
    const runs = [];
    for (let i = 0; i < REPEAT; i++) {
      globalThis.gc?.();
      mutate();
      const countBefore = sends.count;
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      snapshot = cache.setSnapshot("default/eg", buildSnapshot(state));
      const encodeMs = performance.now() - start;
      const done = await awaitAll(typeUrl, snapshot.resourcesOf(typeUrl).version);
      if (sends.count - countBefore !== STREAMS) throw new Error(`${name}: ${sends.count - countBefore} responses for ${STREAMS} streams`);
      const cpu = process.cpuUsage(cpuBefore);
      runs.push({ encodeMs, writtenMs: sends.lastAt - start, allMs: done.at - start, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    const stat = (key) => {
      const values = runs.map((run) => run[key]).sort((a, b) => a - b);
      return { median: round(values[Math.floor(values.length / 2)]), min: round(values[0]) };
    };
    scenarios.push({
      scenario: name,
      resourcesSentPerStream: sentPerStream,
      setSnapshotMs: stat("encodeMs"),
      lastResponseWrittenMs: stat("writtenMs"),
      allStreamsReceivedMs: stat("allMs"),
      serverCpuMs: stat("cpuMs"),
    });
  };

  let generation = 1;
  await measure(
    "one endpoint set changes (EDS, 1 resource)",
    () => {
      state.endpoints = state.endpoints.slice();
      state.endpoints[7] = endpoints(7, generation++);
    },
    EDS,
    1,
  );
  await measure(
    "one cluster changes (CDS, 1 resource)",
    () => {
      state.clusters = state.clusters.slice();
      state.clusters[11] = cluster(11, 2 + generation++);
    },
    CDS,
    1,
  );
  await measure(
    `route table changes (RDS, 1 resource with ${ROUTES} routes)`,
    () => {
      state.routes = [routeTable(generation++)];
    },
    RDS,
    1,
  );
  await measure(
    `every cluster changes (CDS, ${CLUSTERS} resources)`,
    () => {
      const g = generation++;
      state.clusters = state.clusters.map((_, i) => cluster(i, 100 + g));
    },
    CDS,
    CLUSTERS,
  );
  await measure(
    `every endpoint set changes (EDS, ${CLUSTERS} resources)`,
    () => {
      const g = generation++;
      state.endpoints = state.endpoints.map((_, i) => endpoints(i, g));
    },
    EDS,
    CLUSTERS,
  );
  globalThis.gc?.();
  const end = memory();
  // Buffers of the last writes are released as the transport finishes with them; measure again once settled.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  globalThis.gc?.();
  const settled = memory();

  const openStreams = server.streams().length;
  child.kill();
  await server.close();
  const report = {
    node: process.version,
    streams: STREAMS,
    openStreamsSeenByServer: openStreams,
    snapshot: { clusters: CLUSTERS, endpointSets: CLUSTERS, listeners: 1, routeTables: 1, routes: ROUTES, wireMiB: mib(wireBytes) },
    initialEncodeMs: round(initialEncodeMs),
    initialSyncMs: round(initialSyncMs),
    initialSyncServerCpuMs: round(initialSyncServerCpuMs),
    repeatsPerScenario: REPEAT,
    loadAverageAtEnd: (await import("node:os")).loadavg().map((x) => Math.round(x * 10) / 10),
    updates: scenarios,
    serverMemory: { baseline, afterSnapshot, after200StreamsSynced: afterSync, end, settled },
    gcExposed: typeof globalThis.gc === "function",
  };
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

const round = (ms) => Math.round(ms * 10) / 10;

// ---------------------------------------------------------------------------------------------- client side

/** Reads the top-level fields of a DeltaDiscoveryResponse without decoding resources. */
function scanDeltaResponse(buffer) {
  let pos = 0;
  const out = { systemVersionInfo: "", typeUrl: "", nonce: "", resources: 0, removed: 0 };
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < buffer.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      varint();
      continue;
    }
    if (wire !== 2) throw new Error(`unexpected wire type ${wire}`);
    const length = varint();
    const start = pos;
    pos += length;
    if (field === 1) out.systemVersionInfo = buffer.toString("utf8", start, pos);
    else if (field === 2) out.resources++;
    else if (field === 4) out.typeUrl = buffer.toString("utf8", start, pos);
    else if (field === 5) out.nonce = buffer.toString("utf8", start, pos);
    else if (field === 6) out.removed++;
  }
  return out;
}

function runClients(address) {
  process.send({ ready: true });
  const definition = {
    delta: {
      path: "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources",
      requestStream: true,
      responseStream: true,
      requestSerialize: (value) => Buffer.from(DeltaDiscoveryRequest.encode(value).finish()),
      requestDeserialize: (value) => value,
      responseSerialize: (value) => value,
      responseDeserialize: (value) => value,
    },
  };
  const Client = makeGenericClientConstructor(definition, "Ads");
  /** Per stream: typeUrl -> version last received. */
  const holdings = [];
  const pending = [];
  const check = () => {
    for (let i = pending.length - 1; i >= 0; i--) {
      const { id, typeUrl, version } = pending[i];
      if (holdings.length > 0 && holdings.every((held) => held.get(typeUrl) === version)) {
        pending.splice(i, 1);
        process.send({ id, typeUrl });
      }
    }
  };
  process.on("message", (message) => {
    if (message.start !== undefined) {
      const clusterNames = Array.from({ length: message.clusters }, (_, i) => `httproute/default/route-${i}/rule/0`);
      for (let s = 0; s < message.start; s++) {
        const held = new Map();
        holdings.push(held);
        const client = new Client(address, credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
        const stream = client.delta();
        const request = (fields) => stream.write(DeltaDiscoveryRequest.fromPartial(fields));
        stream.on("data", (buffer) => {
          const response = scanDeltaResponse(buffer);
          held.set(response.typeUrl, response.systemVersionInfo);
          request({ typeUrl: response.typeUrl, responseNonce: response.nonce });
          if (pending.length > 0) check();
        });
        stream.on("error", (error) => {
          console.error(`client stream ${s} failed: ${error.message}`);
          process.exit(3);
        });
        const node = { id: `envoy-${s}`, cluster: "default/eg" };
        request({ node, typeUrl: CDS });
        request({ node, typeUrl: EDS, resourceNamesSubscribe: clusterNames });
        request({ node, typeUrl: LDS });
        request({ node, typeUrl: RDS, resourceNamesSubscribe: [message.routeTable] });
      }
      return;
    }
    pending.push(message);
    check();
  });
}

if (process.argv[2] === "--clients") runClients(process.argv[3]);
else await runServer();
