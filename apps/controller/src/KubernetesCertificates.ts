import { randomBytes } from "node:crypto";
import { KubeApiError, watchedKindNamed, type KubeClient, type KubeObject } from "@egts/provider-kubernetes";
import { generateCertificates } from "@egts/xds-server";
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
 * The xDS server's mTLS credentials in Kubernetes mode, from the Secrets upstream keeps in the controller
 * namespace: `envoy-gateway` (the server's) and `envoy` (the proxies'). When `envoy-gateway` is missing they are
 * generated and created as upstream's certgen job does, with `envoy-oidc-hmac`; Secrets that exist are never
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
  const secrets = [
    secret(namespace, "envoy-gateway", "kubernetes.io/tls", {
      "ca.crt": b64(certs.caCertificate),
      "tls.crt": b64(certs.envoyGatewayCertificate),
      "tls.key": b64(certs.envoyGatewayPrivateKey),
    }),
    secret(namespace, "envoy", "kubernetes.io/tls", {
      "ca.crt": b64(certs.caCertificate),
      "tls.crt": b64(certs.envoyCertificate),
      "tls.key": b64(certs.envoyPrivateKey),
    }),
    secret(namespace, "envoy-oidc-hmac", "Opaque", { "hmac-secret": b64(randomBytes(32)) }),
  ];
  let generated = false;
  for (const s of secrets) {
    try {
      await client.create(kind, s);
      generated = true;
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 409)) throw error;
    }
  }
  const stored = await read();
  if (!stored) throw new Error(`Secret ${namespace}/envoy-gateway has no usable ca.crt, tls.crt and tls.key`);
  return { credentials: stored, generated };
}
