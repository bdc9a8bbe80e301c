import { randomBytes } from "node:crypto";
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hostPaths } from "@egts/infra-host";
import { createKubeClient, loadKubeConfig, type KubeClient } from "@egts/provider-kubernetes";
import { generateCertificates, type Certificates } from "@egts/xds-server";
import { certificateSecrets, writeCertificateSecrets, type SecretWrite } from "./KubernetesCertificates.js";

/** The control plane's certificate sets and the OIDC HMAC secret, as upstream's certgen makes them. */
export interface ControlPlaneCertificates extends Certificates {
  /** 32 random bytes signing OAuth2 filter cookies. */
  readonly oidcHmacSecret: Uint8Array;
}

/** Generates a CA, the envoy-gateway, envoy and envoy-rate-limit certificates, and the OIDC HMAC secret. */
export function generateControlPlaneCertificates(namespace?: string): ControlPlaneCertificates {
  return { ...generateCertificates(namespace !== undefined ? { namespace } : {}), oidcHmacSecret: randomBytes(32) };
}

/** A file {@link writeLocalCertificates} writes: path relative to the certificate directory, content, mode. */
export interface LocalFile {
  readonly path: string;
  readonly content: string | Uint8Array;
  readonly secret: boolean;
}

/** The `--local` layout under the certificate directory, as upstream's outputCertsForLocal. */
export function localCertificateFiles(certs: ControlPlaneCertificates): LocalFile[] {
  const set = (dir: string, certificate: string, privateKey: string): LocalFile[] => [
    { path: join(dir, "ca.crt"), content: certs.caCertificate, secret: false },
    { path: join(dir, "tls.crt"), content: certificate, secret: false },
    { path: join(dir, "tls.key"), content: privateKey, secret: true },
  ];
  return [
    ...set("envoy-gateway", certs.envoyGatewayCertificate, certs.envoyGatewayPrivateKey),
    ...set("envoy", certs.envoyCertificate, certs.envoyPrivateKey),
    ...set("envoy-rate-limit", certs.envoyRateLimitCertificate, certs.envoyRateLimitPrivateKey),
    { path: join("envoy-oidc-hmac", "hmac-secret"), content: certs.oidcHmacSecret, secret: true },
  ];
}

/** Raised when certificate files exist and overwriting was not asked for. */
export class CertificatesExistError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`certificates already exist (${paths.join(", ")}); pass --overwrite to replace them`);
    this.name = "CertificatesExistError";
  }
}

/**
 * Writes the `--local` layout under `certDir`. Refuses (writing nothing) when any of the files exists unless
 * `overwrite` is set, so a second run cannot silently invalidate the certificates running proxies hold.
 * Keys and the HMAC secret are written 0600. Returns the paths written.
 */
export async function writeLocalCertificates(certDir: string, certs: ControlPlaneCertificates, overwrite: boolean): Promise<string[]> {
  const files = localCertificateFiles(certs).map((f) => ({ ...f, path: join(certDir, f.path) }));
  if (!overwrite) {
    const existing: string[] = [];
    for (const f of files) {
      const present = await access(f.path).then(
        () => true,
        () => false,
      );
      if (present) existing.push(f.path);
    }
    if (existing.length > 0) throw new CertificatesExistError(existing);
  }
  for (const f of files) {
    await mkdir(join(f.path, ".."), { recursive: true, mode: 0o750 });
    // A running server may read between these writes; its watcher uses a set only once key and certificate match.
    await writeFile(f.path, f.content, { mode: f.secret ? 0o600 : 0o644 });
  }
  return files.map((f) => f.path);
}

/** Writes the Secrets in `namespace` (Kubernetes mode); existing ones replaced only with `overwrite`. */
export function writeKubernetesCertificates(
  client: KubeClient,
  namespace: string,
  certs: ControlPlaneCertificates,
  overwrite: boolean,
): Promise<SecretWrite[]> {
  return writeCertificateSecrets(client, certificateSecrets(namespace, certs, certs.oidcHmacSecret), overwrite);
}

const usage = `Usage: egts certgen [--local] [--overwrite] [--config-home <dir>]

Generates the control plane certificates: a CA and the envoy-gateway, envoy and envoy-rate-limit
certificate sets, and the envoy-oidc-hmac secret.

Options:
  -l, --local            write files under <config-home>/certs instead of Secrets in the controller
                         namespace (env ENVOY_GATEWAY_NAMESPACE, default envoy-gateway-system)
  --config-home <dir>    with --local (default ~/.config/envoy-gateway)
  -o, --overwrite        replace existing files or Secrets
  --kubeconfig <file>    Kubernetes mode: kubeconfig (default: in-cluster, else KUBECONFIG)
  -h, --help             show this help
`;

/** Output streams and the Kubernetes client factory of {@link runCertgen}, replaceable in tests. */
export interface CertgenIo {
  readonly out: (text: string) => void;
  readonly kubeClient?: (kubeconfig: string | undefined) => Promise<KubeClient>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `egts certgen`: returns the exit code. */
export async function runCertgen(argv: readonly string[], io: CertgenIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      local: { type: "boolean", short: "l" },
      overwrite: { type: "boolean", short: "o" },
      "config-home": { type: "string" },
      kubeconfig: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    io.out(usage);
    return 0;
  }
  if (positionals.length > 0) throw new Error(`certgen: unexpected argument ${JSON.stringify(positionals[0])}`);
  const overwrite = values.overwrite === true;
  const env = io.env ?? process.env;
  if (values.local === true) {
    const certDir = join(hostPaths(values["config-home"] !== undefined ? { configHome: values["config-home"] } : {}).configHome, "certs");
    await writeLocalCertificates(certDir, generateControlPlaneCertificates(), overwrite);
    io.out(`generated certificates in ${certDir}\n`);
    return 0;
  }
  const namespace = env["ENVOY_GATEWAY_NAMESPACE"] || "envoy-gateway-system";
  const client = await (io.kubeClient ?? defaultKubeClient)(values.kubeconfig);
  const results = await writeKubernetesCertificates(client, namespace, generateControlPlaneCertificates(namespace), overwrite);
  for (const r of results) {
    io.out(
      r.action === "exists" ? `secret ${namespace}/${r.name} already exists; pass --overwrite to replace it\n` : `${r.action} secret ${namespace}/${r.name}\n`,
    );
  }
  return 0;
}

async function defaultKubeClient(kubeconfig: string | undefined): Promise<KubeClient> {
  const { readFile } = await import("node:fs/promises");
  return createKubeClient(loadKubeConfig(kubeconfig !== undefined ? { kubeconfigText: await readFile(kubeconfig, "utf8") } : {}));
}
