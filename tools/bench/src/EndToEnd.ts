// End-to-end figures of the real controller: apps/controller/dist/main.js as a child process (File provider on a
// temporary directory, plaintext xDS on a free port), measured from outside by a delta ADS client over grpc-js.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DeltaDiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { type ClientDuplexStream, credentials, makeGenericClientConstructor } from "@grpc/grpc-js";

const RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
const EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
const CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
const LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

/** The HTTPRoute the route-edit rows rewrite (its hostname changes) and whose backend's EndpointSlice is edited. */
const EDIT_ROUTE = "bench-edit";
const EDIT_CLUSTER = `httproute/default/${EDIT_ROUTE}/rule/0`;
const ROUTE_TABLE = "default/eg/http";

const editRoute = (n: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${EDIT_ROUTE}, namespace: default }
spec:
  parentRefs: [{ name: eg, sectionName: http }]
  hostnames: ["edit-${n}.example.com"]
  rules: [{ backendRefs: [{ name: bench-edit, port: 8000 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: bench-edit, namespace: default }
spec: { clusterIP: 10.11.12.14, ports: [{ port: 8000, name: http, protocol: TCP, targetPort: 8000 }] }
`;

const editSlice = (n: number) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: bench-edit-slice, namespace: default, labels: { kubernetes.io/service-name: bench-edit } }
addressType: IPv4
ports: [{ name: http, protocol: TCP, port: 8000 }]
endpoints: [{ addresses: ["10.0.${Math.floor(n / 250) % 250}.${(n % 250) + 1}"], conditions: { ready: true } }]
`;

/** What the end-to-end run measured (milliseconds unless named otherwise). */
export interface EndToEndFigures {
  readonly startToReadyMs: number;
  readonly routeEditMs: number[];
  readonly endpointEditMs: number[];
  /** The warm-up edits' times (see {@link EndToEndOptions.warmUpEdits}). */
  readonly routeWarmUpMs: number[];
  readonly endpointWarmUpMs: number[];
  readonly rssMiB: number;
  /** Time until every one of `fanOutStreams` streams received the changed endpoints, per change. */
  readonly fanOutMs: number[];
  readonly fanOutStreams: number;
  /** Which stages ran for the endpoint edits (from the controller's /metrics), e.g. `gateway-api full: 10`. */
  readonly endpointEditStages: string;
}

/** Options of {@link runEndToEnd}. */
export interface EndToEndOptions {
  /** The workload's YAML (gobench). */
  readonly yaml: string;
  readonly edits: number;
  /**
   * Edits made before the measured ones of each edit row, reported apart: the first edits of a kind run code
   * V8 has not optimized yet, while a controller that has been running a while serves edits warm.
   */
  readonly warmUpEdits: number;
  readonly fanOutStreams: number;
  /** Which measurements to make. */
  readonly rows: ReadonlySet<"ready" | "route" | "endpoint" | "rss" | "fanout">;
  readonly log?: (line: string) => void;
}

const freePort = () =>
  new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes a file atomically (as editors and `kubectl`-style tools do): a reader never sees it half-written. */
function replaceFile(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Reads the top-level fields of a DeltaDiscoveryResponse without decoding its resources. */
function scanDeltaResponse(buffer: Buffer): { typeUrl: string; nonce: string; resources: number } {
  let pos = 0;
  const out = { typeUrl: "", nonce: "", resources: 0 };
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[pos++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < buffer.length) {
    const tag = varint();
    const wire = tag & 7;
    if (wire === 0) {
      varint();
      continue;
    }
    if (wire !== 2) throw new Error(`unexpected wire type ${wire}`);
    const length = varint();
    const start = pos;
    pos += length;
    const field = Math.floor(tag / 8);
    if (field === 2) out.resources++;
    else if (field === 4) out.typeUrl = buffer.toString("utf8", start, pos);
    else if (field === 5) out.nonce = buffer.toString("utf8", start, pos);
  }
  return out;
}

const Ads = makeGenericClientConstructor(
  {
    delta: {
      path: "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources",
      requestStream: true,
      responseStream: true,
      requestSerialize: (value: DeltaDiscoveryRequest) => Buffer.from(DeltaDiscoveryRequest.encode(value).finish()),
      requestDeserialize: (value: Buffer) => value,
      responseSerialize: (value: Buffer) => value,
      responseDeserialize: (value: Buffer) => value,
    },
  },
  "Ads",
);

/** One delta ADS stream that ACKs everything and reports each response's type. */
interface DeltaStream {
  /** Resolves with the arrival time of the next response of `typeUrl` carrying resources. */
  next(typeUrl: string): Promise<number>;
  close(): void;
}

function openDeltaStream(address: string, id: string, subscribe: ReadonlyArray<readonly [string, ReadonlyArray<string>]>): DeltaStream {
  const client = new Ads(address, credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });
  const stream = (client as unknown as { delta(): ClientDuplexStream<DeltaDiscoveryRequest, Buffer> }).delta();
  const waiting = new Map<string, Array<(at: number) => void>>();
  stream.on("data", (buffer: Buffer) => {
    const at = performance.now();
    const response = scanDeltaResponse(buffer);
    stream.write(DeltaDiscoveryRequest.fromPartial({ typeUrl: response.typeUrl, responseNonce: response.nonce }));
    if (response.resources === 0) return;
    const listeners = waiting.get(response.typeUrl) ?? [];
    waiting.delete(response.typeUrl);
    for (const listener of listeners) listener(at);
  });
  stream.on("error", () => undefined);
  const node = { id, cluster: "default/eg" };
  for (const [typeUrl, names] of subscribe) stream.write(DeltaDiscoveryRequest.fromPartial({ node, typeUrl, resourceNamesSubscribe: [...names] }));
  return {
    next: (typeUrl) =>
      new Promise((resolveAt) => {
        const list = waiting.get(typeUrl) ?? [];
        list.push(resolveAt);
        waiting.set(typeUrl, list);
      }),
    close: () => {
      stream.cancel();
      client.close();
    },
  };
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`timed out after ${ms} ms waiting for ${what}`)))]);

function rssMiBOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match === null ? Number.NaN : Number(match[1]) / 1024;
}

async function stageCounts(adminUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/^egts_pipeline_stage_duration_seconds_count\{path="([^"]+)",stage="([^"]+)"\} (\d+)$/gm))
    counts.set(`${m[2]} ${m[1]}`, Number(m[3]));
  return counts;
}

/**
 * Runs the controller on the workload and measures, from outside: start to /readyz, HTTPRoute edit -> new RDS
 * and EndpointSlice edit -> new EDS at a delta client, the controller's RSS, and one endpoint change fanned
 * out to many delta streams. Edits are isolated (spaced beyond the provider's quiet time).
 */
export async function runEndToEnd(options: EndToEndOptions): Promise<EndToEndFigures> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), "egts-bench-e2e-"));
  const resources = join(dir, "resources");
  const main = resolve(import.meta.dirname, "../../../apps/controller/dist/main.js");
  let child: ChildProcess | undefined;
  const streams: DeltaStream[] = [];
  try {
    mkdirSync(resources);
    writeFileSync(join(resources, "workload.yaml"), options.yaml);
    writeFileSync(join(resources, "edit-route.yaml"), editRoute(0));
    writeFileSync(join(resources, "edit-slice.yaml"), editSlice(0));
    const configPath = join(dir, "envoy-gateway.yaml");
    writeFileSync(
      configPath,
      JSON.stringify({
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyGateway",
        gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
        provider: {
          type: "Custom",
          custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } },
        },
      }),
    );
    const [xdsPort, adminPort, metricsPort, wasmPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const started = performance.now();
    child = spawn(
      process.execPath,
      [
        // For profiling the controller under the benchmark's load, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
        ...(process.env["EGTS_BENCH_CONTROLLER_NODE_ARGS"]?.split(" ").filter((arg) => arg !== "") ?? []),
        main,
        "server",
        "--config-path",
        configPath,
        "--xds-plaintext",
        "--xds-port",
        String(xdsPort),
        "--admin-port",
        String(adminPort),
        "--metrics-port",
        String(metricsPort),
        "--wasm-port",
        String(wasmPort),
        "--state-dir",
        join(dir, "state"),
        "--envoy-path",
        join(dir, "no-envoy"),
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    let startToReadyMs = Number.NaN;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the controller exited (${child.exitCode}): ${stderr}`);
      const ready = await fetch(`${adminUrl}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) {
        startToReadyMs = performance.now() - started;
        break;
      }
      if (performance.now() - started > 120_000) throw new Error(`the controller was not ready within 120 s: ${stderr}`);
      await sleep(5);
    }
    log(`ready after ${startToReadyMs.toFixed(0)} ms`);
    const address = `127.0.0.1:${xdsPort}`;
    const client = openDeltaStream(address, "bench-client", [
      [CDS, []],
      [EDS, [EDIT_CLUSTER]],
      [LDS, []],
      [RDS, [ROUTE_TABLE]],
    ]);
    streams.push(client);
    await withTimeout(Promise.all([client.next(RDS), client.next(EDS)]), 30_000, "the first RDS and EDS");
    // Edits are spaced beyond the File provider's quiet time (150 ms), so each is an isolated edit.
    const spacing = 400;
    /** One isolated edit: the file replaced, then the time until the client has a response of `typeUrl`. */
    const timedEdit = async (typeUrl: string, file: string, text: string, what: string): Promise<number> => {
      await sleep(spacing);
      const next = client.next(typeUrl);
      const t0 = performance.now();
      replaceFile(join(resources, file), text);
      return (await withTimeout(next, 30_000, what)) - t0;
    };
    const routeEditMs: number[] = [];
    const routeWarmUpMs: number[] = [];
    if (options.rows.has("route")) {
      for (let n = 1; n <= options.warmUpEdits + options.edits; n++) {
        (n <= options.warmUpEdits ? routeWarmUpMs : routeEditMs).push(await timedEdit(RDS, "edit-route.yaml", editRoute(n), "RDS after a route edit"));
      }
    }
    const endpointEditMs: number[] = [];
    const endpointWarmUpMs: number[] = [];
    let endpointEditStages = "";
    let slice = 0;
    if (options.rows.has("endpoint")) {
      const edit = (): Promise<number> => timedEdit(EDS, "edit-slice.yaml", editSlice(++slice), "EDS after an endpoint edit");
      for (let n = 1; n <= options.warmUpEdits; n++) endpointWarmUpMs.push(await edit());
      const before = await stageCounts(adminUrl);
      for (let n = 1; n <= options.edits; n++) endpointEditMs.push(await edit());
      await sleep(spacing);
      const after = await stageCounts(adminUrl);
      endpointEditStages = [...after]
        .map(([stage, count]) => [stage, count - (before.get(stage) ?? 0)] as const)
        .filter(([, count]) => count > 0)
        .map(([stage, count]) => `${stage}: ${count}`)
        .join(", ");
    }
    const rssMiB = options.rows.has("rss") ? rssMiBOf(child.pid!) : Number.NaN;
    const fanOutMs: number[] = [];
    if (options.rows.has("fanout")) {
      const many = Array.from({ length: options.fanOutStreams }, (_, i) => openDeltaStream(address, `bench-fanout-${i}`, [[EDS, [EDIT_CLUSTER]]]));
      streams.push(...many);
      await withTimeout(Promise.all(many.map((s) => s.next(EDS))), 60_000, "the first EDS on every fan-out stream");
      for (let n = 1; n <= Math.min(options.edits, 10); n++) {
        await sleep(spacing);
        const arrivals = many.map((s) => s.next(EDS));
        const t0 = performance.now();
        replaceFile(join(resources, "edit-slice.yaml"), editSlice(++slice));
        const times = await withTimeout(Promise.all(arrivals), 30_000, "EDS on every fan-out stream");
        fanOutMs.push(Math.max(...times) - t0);
      }
    }
    return {
      startToReadyMs,
      routeEditMs,
      endpointEditMs,
      routeWarmUpMs,
      endpointWarmUpMs,
      rssMiB,
      fanOutMs,
      fanOutStreams: options.fanOutStreams,
      endpointEditStages,
    };
  } finally {
    for (const s of streams) s.close();
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
