import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { credentials, type ChannelCredentials } from "@grpc/grpc-js";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DiscoveryRequest, type DiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { createSnapshotCache, createXdsServer, resourceTypeUrls, type XdsServer } from "@egts/xds-server";
import { afterEach, describe, expect, it } from "vitest";
import { generateControlPlaneCertificates, writeLocalCertificates } from "./Certgen.js";
import { watchCredentials, watchServerCertificates, type CertificateFileWatch } from "./CertificateReload.js";
import { createKubeClient, loadKubeConfig, watchedKindNamed, type KubeClient } from "@egts/provider-kubernetes";
import { TestApiServer } from "@egts/test-apiserver";
import { certificateSecrets, ensureKubernetesCertificates, serverSecretReader, writeCertificateSecrets } from "./KubernetesCertificates.js";

const CDS = resourceTypeUrls.clusters;
// The client dials 127.0.0.1 and checks the server certificate against the service name it carries.
const channelOptions = { "grpc.ssl_target_name_override": "envoy-gateway", "grpc.default_authority": "envoy-gateway" };

/** A minimal state-of-the-world ADS client over the generated grpc-js client. */
class SotwTestClient {
  private readonly client: AggregatedDiscoveryServiceClient;
  private readonly stream;
  private readonly queued: DiscoveryResponse[] = [];
  private readonly waiting: ((r: DiscoveryResponse) => void)[] = [];
  readonly failure: Promise<Error & { code?: number }>;

  constructor(address: string, channel: ChannelCredentials) {
    this.client = new AggregatedDiscoveryServiceClient(address, channel, channelOptions);
    this.stream = this.client.streamAggregatedResources();
    this.stream.on("data", (r: DiscoveryResponse) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(r);
      else this.queued.push(r);
    });
    this.failure = new Promise((resolve) => this.stream.on("error", (error: Error & { code?: number }) => resolve(error)));
  }

  request(response?: DiscoveryResponse): void {
    this.stream.write(
      DiscoveryRequest.fromPartial({
        node: { id: "envoy-1", cluster: "gateway-1" },
        typeUrl: CDS,
        ...(response ? { versionInfo: response.versionInfo, responseNonce: response.nonce } : {}),
      }),
    );
  }

  next(): Promise<DiscoveryResponse> {
    const queued = this.queued.shift();
    if (queued) return Promise.resolve(queued);
    return Promise.race([new Promise<DiscoveryResponse>((r) => this.waiting.push(r)), this.failure.then((e) => Promise.reject(e))]);
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

const clusterNames = (r: DiscoveryResponse): string[] => r.resources.map((any) => Cluster.decode(any.value).name);

/** The certificate the server presents to a fresh TLS handshake (no client certificate: only the hello). */
function presentedCertificate(port: number, ca: Buffer, cert: Buffer, key: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, cert, key, servername: "envoy-gateway", ALPNProtocols: ["h2"] }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? "";
      socket.destroy();
      resolve(fingerprint);
    });
    socket.on("error", reject);
  });
}

describe("xDS server certificate rotation on disk", () => {
  let dir: string;
  let server: XdsServer | undefined;
  let watch: CertificateFileWatch | undefined;
  const clients: SotwTestClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    watch?.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = (set: string, file: string) => readFileSync(join(dir, "certs", set, file));
  const envoyCredentials = () => credentials.createSsl(read("envoy", "ca.crt"), read("envoy", "tls.key"), read("envoy", "tls.crt"));

  it("keeps connected streams, presents the new certificate to new connections, and refuses a mismatched pair", async () => {
    dir = mkdtempSync(join(tmpdir(), "egts-cert-reload-"));
    const certDir = join(dir, "certs");
    await writeLocalCertificates(certDir, generateControlPlaneCertificates(), false);
    const initial = {
      caCertificate: read("envoy-gateway", "ca.crt").toString(),
      certificate: read("envoy-gateway", "tls.crt").toString(),
      privateKey: read("envoy-gateway", "tls.key").toString(),
    };
    const cache = createSnapshotCache();
    cache.setSnapshot("gateway-1", { [CDS]: [Cluster.fromPartial({ name: "a" })] });
    server = createXdsServer({ cache, tls: initial });
    const port = await server.listen("127.0.0.1:0");
    const errors: string[] = [];
    watch = watchServerCertificates(certDir, initial, (c) => server!.updateTls(c), { intervalMs: 60_000, onError: (e) => errors.push(e.message) });

    const oldCa = read("envoy", "ca.crt");
    const before = new SotwTestClient(`127.0.0.1:${port}`, envoyCredentials());
    clients.push(before);
    before.request();
    const first = await before.next();
    expect(clusterNames(first)).toEqual(["a"]);
    before.request(first);
    const oldServerCert = new X509Certificate(read("envoy-gateway", "tls.crt")).fingerprint256;

    // Rotate: a whole new CA and sets, as `egts certgen --local --overwrite` writes them.
    await writeLocalCertificates(certDir, generateControlPlaneCertificates(), true);
    await watch.check();
    expect(errors).toEqual([]);
    const newServerCert = new X509Certificate(read("envoy-gateway", "tls.crt")).fingerprint256;
    expect(newServerCert).not.toBe(oldServerCert);

    // The stream opened before the rotation still receives updates.
    cache.setSnapshot("gateway-1", { [CDS]: [Cluster.fromPartial({ name: "a" }), Cluster.fromPartial({ name: "b" })] });
    const second = await before.next();
    expect(clusterNames(second)).toEqual(["a", "b"]);

    // A new connection is served the new certificate, and works with the new client set.
    expect(await presentedCertificate(port, read("envoy", "ca.crt"), read("envoy", "tls.crt"), read("envoy", "tls.key"))).toBe(newServerCert);
    const after = new SotwTestClient(`127.0.0.1:${port}`, envoyCredentials());
    clients.push(after);
    after.request();
    expect(clusterNames(await after.next())).toEqual(["a", "b"]);

    // A client that only trusts the old CA cannot connect any more.
    const stale = new SotwTestClient(`127.0.0.1:${port}`, credentials.createSsl(oldCa, read("envoy", "tls.key"), read("envoy", "tls.crt")));
    clients.push(stale);
    stale.request();
    expect((await stale.failure).code).toBe(14);

    // A half-written rotation (a certificate whose key is not on disk yet) is refused; the current set stays.
    const other = generateControlPlaneCertificates();
    writeFileSync(join(certDir, "envoy-gateway", "tls.crt"), other.envoyGatewayCertificate);
    await watch.check();
    expect(errors).toEqual(["tls: privateKey does not match certificate"]);
    expect(await presentedCertificate(port, read("envoy", "ca.crt"), read("envoy", "tls.crt"), read("envoy", "tls.key"))).toBe(newServerCert);
  });
});

describe("xDS server certificate rotation from Secrets (Kubernetes mode, against the test API server)", () => {
  let api: TestApiServer;
  let server: XdsServer | undefined;
  let watch: CertificateFileWatch | undefined;
  const clients: SotwTestClient[] = [];
  const namespace = "envoy-gateway-system";

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    watch?.stop();
    await server?.close();
    await api.stop();
  });

  const secretData = async (client: KubeClient, name: string, key: string): Promise<Buffer> => {
    const stored = await client.get(watchedKindNamed("Secret")!, namespace, name);
    return Buffer.from(String(((stored?.["data"] ?? {}) as Record<string, string>)[key]), "base64");
  };

  it("applies a replaced envoy-gateway Secret once, keeping open streams", async () => {
    api = new TestApiServer({});
    await api.start(0);
    api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    const client = createKubeClient(loadKubeConfig({ kubeconfigText: api.kubeconfig() }));
    const { credentials: initial } = await ensureKubernetesCertificates(client, namespace);
    const cache = createSnapshotCache();
    cache.setSnapshot("gateway-1", { [CDS]: [Cluster.fromPartial({ name: "a" })] });
    server = createXdsServer({ cache, tls: initial });
    const port = await server.listen("127.0.0.1:0");
    let applied = 0;
    const errors: string[] = [];
    watch = watchCredentials(
      serverSecretReader(client, namespace),
      initial,
      (c) => {
        applied++;
        server!.updateTls(c);
      },
      { intervalMs: 60_000, onError: (e) => errors.push(e.message) },
    );
    const envoy = async () =>
      credentials.createSsl(
        await secretData(client, "envoy", "ca.crt"),
        await secretData(client, "envoy", "tls.key"),
        await secretData(client, "envoy", "tls.crt"),
      );
    const before = new SotwTestClient(`127.0.0.1:${port}`, await envoy());
    clients.push(before);
    before.request();
    const first = await before.next();
    before.request(first);

    // Unchanged Secret: nothing applied.
    await watch.check();
    expect(applied).toBe(0);

    // Rotate as `egts certgen --overwrite` does: every Secret replaced with a new CA and sets.
    const rotated = generateControlPlaneCertificates(namespace);
    await writeCertificateSecrets(client, certificateSecrets(namespace, rotated, rotated.oidcHmacSecret), true);
    await watch.check();
    await watch.check();
    expect(errors).toEqual([]);
    expect(applied).toBe(1);

    cache.setSnapshot("gateway-1", { [CDS]: [Cluster.fromPartial({ name: "a" }), Cluster.fromPartial({ name: "b" })] });
    expect(clusterNames(await before.next())).toEqual(["a", "b"]);
    const presented = await presentedCertificate(
      port,
      await secretData(client, "envoy", "ca.crt"),
      await secretData(client, "envoy", "tls.crt"),
      await secretData(client, "envoy", "tls.key"),
    );
    expect(presented).toBe(new X509Certificate(rotated.envoyGatewayCertificate).fingerprint256);
    const after = new SotwTestClient(`127.0.0.1:${port}`, await envoy());
    clients.push(after);
    after.request();
    expect(clusterNames(await after.next())).toEqual(["a", "b"]);
  });
});
