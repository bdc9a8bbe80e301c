import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeApiError, type KubeClient, type KubeObject } from "@egts/provider-kubernetes";
import { afterEach, describe, expect, it } from "vitest";
import { CertificatesExistError, runCertgen } from "./Certgen.js";

const SETS = ["envoy-gateway", "envoy", "envoy-rate-limit"] as const;

/** A test double of the Kubernetes client keeping Secrets in a map, with the API server's 409 on create. */
function fakeKubeClient(): { client: KubeClient; objects: Map<string, KubeObject> } {
  const objects = new Map<string, KubeObject>();
  const key = (o: KubeObject) => {
    const m = o["metadata"] as { namespace: string; name: string };
    return `${m.namespace}/${m.name}`;
  };
  let version = 0;
  const client = {
    get: async (_kind: unknown, namespace: string, name: string) => objects.get(`${namespace}/${name}`),
    create: async (_kind: unknown, object: KubeObject) => {
      if (objects.has(key(object))) throw new KubeApiError(409, `${key(object)} already exists`);
      const stored = { ...object, metadata: { ...(object["metadata"] as object), resourceVersion: String(++version) } } as KubeObject;
      objects.set(key(object), stored);
      return stored;
    },
    replace: async (_kind: unknown, object: KubeObject) => {
      const current = objects.get(key(object));
      const m = object["metadata"] as { resourceVersion?: string };
      if (!current || (current["metadata"] as { resourceVersion?: string }).resourceVersion !== m.resourceVersion) throw new KubeApiError(409, "conflict");
      const stored = { ...object, metadata: { ...(object["metadata"] as object), resourceVersion: String(++version) } } as KubeObject;
      objects.set(key(object), stored);
      return stored;
    },
  } as unknown as KubeClient;
  return { client, objects };
}

describe("egts certgen --local", () => {
  let home: string;
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("writes the CA and the three certificate sets and the HMAC secret as upstream lays them out", async () => {
    home = mkdtempSync(join(tmpdir(), "egts-certgen-"));
    const out: string[] = [];
    expect(await runCertgen(["--local", "--config-home", home], { out: (t) => out.push(t) })).toBe(0);
    const certs = join(home, "certs");
    const ca = new X509Certificate(readFileSync(join(certs, "envoy-gateway", "ca.crt")));
    expect(ca.ca).toBe(true);
    for (const set of SETS) {
      expect(readFileSync(join(certs, set, "ca.crt"), "utf8")).toBe(ca.toString());
      const cert = new X509Certificate(readFileSync(join(certs, set, "tls.crt")));
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(createPrivateKey(readFileSync(join(certs, set, "tls.key"))))).toBe(true);
      expect(statSync(join(certs, set, "tls.key")).mode & 0o777).toBe(0o600);
    }
    expect(new X509Certificate(readFileSync(join(certs, "envoy-gateway", "tls.crt"))).subject).toBe("CN=envoy-gateway");
    const hmac = readFileSync(join(certs, "envoy-oidc-hmac", "hmac-secret"));
    expect(hmac.length).toBe(32);
    expect(statSync(join(certs, "envoy-oidc-hmac", "hmac-secret")).mode & 0o777).toBe(0o600);
    expect(out.join("")).toContain(certs);
  });

  it("refuses to replace existing files without --overwrite, and replaces them with it", async () => {
    home = mkdtempSync(join(tmpdir(), "egts-certgen-"));
    const io = { out: () => {} };
    await runCertgen(["--local", "--config-home", home], io);
    const caPath = join(home, "certs", "envoy", "ca.crt");
    const first = readFileSync(caPath, "utf8");
    const refused = await runCertgen(["--local", "--config-home", home], io).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CertificatesExistError);
    expect((refused as CertificatesExistError).paths).toContain(caPath);
    expect(readFileSync(caPath, "utf8")).toBe(first);
    expect(await runCertgen(["--local", "-o", "--config-home", home], io)).toBe(0);
    expect(readFileSync(caPath, "utf8")).not.toBe(first);
  });
});

describe("egts certgen (Kubernetes)", () => {
  it("creates the four Secrets in the controller namespace, keeps existing ones unless --overwrite", async () => {
    const { client, objects } = fakeKubeClient();
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), kubeClient: async () => client, env: { ENVOY_GATEWAY_NAMESPACE: "eg" } };
    expect(await runCertgen([], io)).toBe(0);
    expect([...objects.keys()].sort()).toEqual(["eg/envoy", "eg/envoy-gateway", "eg/envoy-oidc-hmac", "eg/envoy-rate-limit"]);
    const data = (name: string) => objects.get(`eg/${name}`)!["data"] as Record<string, string>;
    expect(objects.get("eg/envoy-rate-limit")!["type"]).toBe("kubernetes.io/tls");
    expect(Object.keys(data("envoy-rate-limit")).sort()).toEqual(["ca.crt", "tls.crt", "tls.key"]);
    expect(Buffer.from(data("envoy-oidc-hmac")["hmac-secret"]!, "base64").length).toBe(32);
    // The server certificate names the service in the namespace.
    const server = new X509Certificate(Buffer.from(data("envoy-gateway")["tls.crt"]!, "base64"));
    expect(server.subjectAltName).toContain("DNS:envoy-gateway.eg.svc");
    const ca = data("envoy")["ca.crt"];

    out.length = 0;
    await runCertgen([], io);
    expect(data("envoy")["ca.crt"]).toBe(ca);
    expect(out.join("")).toContain("secret eg/envoy already exists; pass --overwrite");

    out.length = 0;
    await runCertgen(["--overwrite"], io);
    expect(data("envoy")["ca.crt"]).not.toBe(ca);
    expect(out.join("")).toContain("updated secret eg/envoy-rate-limit");
  });
});
