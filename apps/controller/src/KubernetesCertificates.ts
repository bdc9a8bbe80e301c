import { randomBytes } from "node:crypto";
import { KubeApiError, watchedKindNamed, type KubeClient, type KubeObject } from "@egts/provider-kubernetes";
import { generateCertificates, type Certificates } from "@egts/xds-server";
import type { ServerCredentials } from "./Certificates.js";

const b64 = (text: string | Buffer): string => Buffer.from(text).toString("base64");
const fromB64 = (value: unknown): string | undefined => (typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : undefined);

const secret = (namespace: string, name: string, type: string, data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  type,
  metadata: { name, namespace, labels: { "control-plane": "envoy-gateway" } },
  data,
});

/**
 * The Secrets upstream's certgen keeps in the controller namespace: `envoy-gateway`, `envoy` and
 * `envoy-rate-limit` (kubernetes.io/tls with `ca.crt`) and `envoy-oidc-hmac` (Opaque, `hmac-secret`).
 */
export function certificateSecrets(namespace: string, certs: Certificates, hmacSecret: Uint8Array): KubeObject[] {
  const tlsSecret = (name: string, certificate: string, privateKey: string) =>
    secret(namespace, name, "kubernetes.io/tls", { "ca.crt": b64(certs.caCertificate), "tls.crt": b64(certificate), "tls.key": b64(privateKey) });
  return [
    tlsSecret("envoy-gateway", certs.envoyGatewayCertificate, certs.envoyGatewayPrivateKey),
    tlsSecret("envoy", certs.envoyCertificate, certs.envoyPrivateKey),
    tlsSecret("envoy-rate-limit", certs.envoyRateLimitCertificate, certs.envoyRateLimitPrivateKey),
    secret(namespace, "envoy-oidc-hmac", "Opaque", { "hmac-secret": b64(Buffer.from(hmacSecret)) }),
  ];
}

/** What {@link writeCertificateSecrets} did with one Secret. */
export interface SecretWrite {
  readonly name: string;
  readonly action: "created" | "updated" | "exists";
}

/**
 * Creates each Secret; one that already exists is replaced when `overwrite` is set and otherwise left alone
 * (reported as `exists`), as upstream's CreateOrUpdateSecrets.
 */
export async function writeCertificateSecrets(client: KubeClient, secrets: readonly KubeObject[], overwrite: boolean): Promise<SecretWrite[]> {
  const kind = watchedKindNamed("Secret")!;
  const results: SecretWrite[] = [];
  for (const s of secrets) {
    const metadata = s["metadata"] as { name: string; namespace: string; [key: string]: unknown };
    try {
      await client.create(kind, s);
      results.push({ name: metadata.name, action: "created" });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 409)) throw error;
      if (!overwrite) {
        results.push({ name: metadata.name, action: "exists" });
        continue;
      }
      const current = await client.get(kind, metadata.namespace, metadata.name);
      const resourceVersion = (current?.["metadata"] as { resourceVersion?: string } | undefined)?.resourceVersion;
      await client.replace(kind, { ...s, metadata: { ...metadata, ...(resourceVersion ? { resourceVersion } : {}) } });
      results.push({ name: metadata.name, action: "updated" });
    }
  }
  return results;
}

/**
 * The xDS server's mTLS credentials in Kubernetes mode, from the Secrets upstream keeps in the controller
 * namespace: `envoy-gateway` (the server's) and `envoy` (the proxies'). When `envoy-gateway` is missing they are
 * generated and created as upstream's certgen job does, with `envoy-rate-limit` and `envoy-oidc-hmac`; Secrets that exist are never
 * replaced (another replica may have created them first: its copy wins). Returns whether this call created them.
 */
export async function ensureKubernetesCertificates(
  client: KubeClient,
  namespace: string,
): Promise<{ readonly credentials: ServerCredentials; readonly generated: boolean }> {
  const kind = watchedKindNamed("Secret")!;
  const read = async (): Promise<ServerCredentials | undefined> => {
    const server = await client.get(kind, namespace, "envoy-gateway");
    const data = (server?.["data"] ?? {}) as Record<string, unknown>;
    const caCertificate = fromB64(data["ca.crt"]);
    const certificate = fromB64(data["tls.crt"]);
    const privateKey = fromB64(data["tls.key"]);
    return caCertificate && certificate && privateKey ? { caCertificate, certificate, privateKey } : undefined;
  };
  const existing = await read();
  if (existing) return { credentials: existing, generated: false };
  const certs = generateCertificates({ namespace });
  const created = await writeCertificateSecrets(client, certificateSecrets(namespace, certs, randomBytes(32)), false);
  const generated = created.some((r) => r.action === "created");
  const stored = await read();
  if (!stored) throw new Error(`Secret ${namespace}/envoy-gateway has no usable ca.crt, tls.crt and tls.key`);
  return { credentials: stored, generated };
}

/** The `hmac-secret` of the `envoy-oidc-hmac` Secret (certgen's), or undefined when the Secret or key is missing. */
export async function readOidcHmacSecret(client: KubeClient, namespace: string): Promise<Uint8Array | undefined> {
  const stored = await client.get(watchedKindNamed("Secret")!, namespace, "envoy-oidc-hmac");
  const value = ((stored?.["data"] ?? {}) as Record<string, unknown>)["hmac-secret"];
  if (typeof value !== "string" || value === "") return undefined;
  return new Uint8Array(Buffer.from(value, "base64"));
}

/**
 * A reader of the `envoy-gateway` Secret's credentials for {@link watchCredentials}: answers undefined while the
 * Secret's resourceVersion has not moved, and rejects when the Secret is gone or incomplete.
 */
export function serverSecretReader(client: KubeClient, namespace: string): () => Promise<ServerCredentials | undefined> {
  const kind = watchedKindNamed("Secret")!;
  let lastVersion: string | undefined;
  return async () => {
    const stored = await client.get(kind, namespace, "envoy-gateway");
    if (stored === undefined) throw new Error(`Secret ${namespace}/envoy-gateway not found`);
    const version = (stored["metadata"] as { resourceVersion?: string } | undefined)?.resourceVersion;
    if (version !== undefined && version === lastVersion) return undefined;
    const data = (stored["data"] ?? {}) as Record<string, unknown>;
    const caCertificate = fromB64(data["ca.crt"]);
    const certificate = fromB64(data["tls.crt"]);
    const privateKey = fromB64(data["tls.key"]);
    if (!caCertificate || !certificate || !privateKey) throw new Error(`Secret ${namespace}/envoy-gateway has no usable ca.crt, tls.crt and tls.key`);
    lastVersion = version;
    return { caCertificate, certificate, privateKey };
  };
}
