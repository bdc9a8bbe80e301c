// The load of tools/soak/soak.mjs, in its own process so its memory and CPU are not counted as the
// controller's. Every loop ends at SOAK_DEADLINE; all connections go to 127.0.0.1.
import { credentials } from "@grpc/grpc-js";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DeltaDiscoveryRequest, DiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const xds = process.env.SOAK_XDS;
const dir = process.env.SOAK_DIR;
const deadline = Number(process.env.SOAK_DEADLINE);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const live = () => Date.now() < deadline;
const counts = {};
const count = (what, n = 1) => (counts[what] = (counts[what] ?? 0) + n);
const types = ["Cluster", "ClusterLoadAssignment", "Listener", "RouteConfiguration"].map((t) =>
  t === "ClusterLoadAssignment"
    ? "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"
    : `type.googleapis.com/envoy.config.${t === "Cluster" ? "cluster" : t === "Listener" ? "listener" : "route"}.v3.${t}`,
);
const node = (id) => ({ id, cluster: "default/eg" });
const client = () => new AggregatedDiscoveryServiceClient(xds, credentials.createInsecure(), { "grpc.use_local_subchannel_pool": 1 });

const route = (host) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: soak, namespace: default}
spec:
  parentRefs: [{name: eg}]
  hostnames: ["${host}"]
  rules: [{backendRefs: [{name: backend, port: 3000}]}]
`;

/** File churn: a real edit every 2 s, a write storm on a noise file every 50 ms, and hostile files now and then. */
async function files() {
  let i = 0;
  while (live()) {
    i += 1;
    writeFileSync(join(dir, "noise.yaml"), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: noise, namespace: default}\ndata: {i: "${i}"}\n`);
    count("noiseWrites");
    if (i % 40 === 0) {
      writeFileSync(join(dir, "soak-route.yaml"), route(`soak-${i}.example.com`));
      count("routeEdits");
    }
    if (i % 400 === 100) {
      writeFileSync(join(dir, "broken.yaml"), `${route("broken.example.com")}  hostnames: [unclosed\n`);
      count("brokenFiles");
    }
    if (i % 400 === 200) {
      // Garbage: 2 MB of printable noise with long lines.
      let text = "";
      let x = i;
      for (let k = 0; k < 2_000_000; k++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        text += String.fromCharCode(32 + (x % 95));
        if (x % 997 === 0) text += "\n";
      }
      writeFileSync(join(dir, "garbage.yaml"), text);
      count("garbageFiles");
    }
    if (i % 1200 === 300) {
      // 60 000 keys in one mapping (about 0.9 MB).
      let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide, namespace: default}\ndata:\n";
      for (let k = 0; k < 60_000; k++) text += `  k${k}: v${k}\n`;
      writeFileSync(join(dir, "wide.yaml"), text);
      count("wideFiles");
    }
    if (i % 400 === 350) {
      // The same HTTPRoute defined again, and a Secret with stringData and a raw PEM in data.
      writeFileSync(
        join(dir, "zz-duplicate.yaml"),
        `${route("dup.example.com")}---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\nstringData: {password: hunter2}\ndata: {key: "-----BEGIN PRIVATE KEY-----"}\n`,
      );
      count("duplicateFiles");
    }
    if (i % 400 === 399) for (const f of ["broken.yaml", "garbage.yaml", "wide.yaml", "zz-duplicate.yaml"]) rmSync(join(dir, f), { force: true });
    await sleep(50);
  }
}

/** Well-behaved delta streams that subscribe, ACK everything and go away after 1-3 s; ~20 at a time. */
async function churn(worker) {
  let n = 0;
  while (live()) {
    n += 1;
    const c = client();
    const stream = c.deltaAggregatedResources();
    stream.on("error", () => {});
    stream.on("data", (response) => {
      count("deltaResponses");
      stream.write(DeltaDiscoveryRequest.fromPartial({ typeUrl: response.typeUrl, responseNonce: response.nonce }));
    });
    for (const typeUrl of types) stream.write(DeltaDiscoveryRequest.fromPartial({ node: node(`churn-${worker}-${n}`), typeUrl }));
    count("churnStreams");
    await sleep(1000 + ((n * 7919) % 2000));
    stream.cancel();
    c.close();
  }
}

/** A client that asks for response after response (answering the predictable nonces) but never reads. */
async function slowConsumers() {
  let n = 0;
  while (live()) {
    n += 1;
    const c = client();
    const stream = c.streamAggregatedResources();
    let ended = false;
    stream.on("error", () => (ended = true));
    for (let nonce = 0; nonce < 2000 && !ended && live(); nonce++) {
      stream.write(
        DiscoveryRequest.fromPartial({
          node: node(`slow-${n}`),
          typeUrl: types[0],
          resourceNames: [nonce % 2 === 0 ? "*" : "none"],
          responseNonce: nonce === 0 ? "" : String(nonce),
        }),
      );
      if (nonce % 100 === 99) await sleep(10);
    }
    count("slowConsumers");
    count(ended ? "slowConsumersCut" : "slowConsumersNotCut");
    stream.cancel();
    c.close();
    await sleep(3000);
  }
}

/** A proxy that rejects every response with a 1 MB message. */
async function nackStorm() {
  let n = 0;
  const message = "x".repeat(1024 * 1024);
  while (live()) {
    n += 1;
    const c = client();
    const stream = c.streamAggregatedResources();
    stream.on("error", () => {});
    stream.on("data", (response) => {
      count("nacks");
      stream.write(
        DiscoveryRequest.fromPartial({
          typeUrl: response.typeUrl,
          responseNonce: response.nonce,
          versionInfo: "",
          errorDetail: { code: 3, message, details: [] },
        }),
      );
    });
    for (const typeUrl of types) stream.write(DiscoveryRequest.fromPartial({ node: node(`nack-${n}`), typeUrl }));
    await sleep(5000);
    stream.cancel();
    c.close();
  }
}

/** Streams that name 10 000 type URLs or 200 000 resources in a request (both over the limits). */
async function floods() {
  let n = 0;
  while (live()) {
    n += 1;
    const c = client();
    const stream = c.deltaAggregatedResources();
    stream.on("error", () => count("floodStreamsCut"));
    if (n % 2 === 0)
      for (let t = 0; t < 10_000; t++) stream.write(DeltaDiscoveryRequest.fromPartial({ node: node(`flood-${n}`), typeUrl: `type.googleapis.com/soak.T${t}` }));
    else
      stream.write(
        DeltaDiscoveryRequest.fromPartial({
          node: node(`flood-${n}`),
          typeUrl: types[0],
          resourceNamesSubscribe: Array.from({ length: 200_000 }, (_, k) => `r${k}`),
        }),
      );
    count("floodStreams");
    await sleep(4000);
    stream.cancel();
    c.close();
  }
}

await Promise.all([files(), ...Array.from({ length: 20 }, (_, w) => churn(w)), slowConsumers(), nackStorm(), floods()]);
process.send?.(counts);
console.log(`load done: ${JSON.stringify(counts)}`);
process.exit(0);
