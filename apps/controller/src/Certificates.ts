import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { writeSdsConfig } from "@egts/infra-host";
import { generateCertificates } from "@egts/xds-server";

/** The controller's xDS server credentials, PEM. */
export interface ServerCredentials {
  readonly caCertificate: string;
  readonly certificate: string;
  readonly privateKey: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Makes sure the mTLS material exists under `certDir`, generating it on first start as upstream's
 * `envoy-gateway certgen --local` does: `envoy-gateway/{ca.crt,tls.crt,tls.key}` for the xDS server and
 * `envoy/{ca.crt,tls.crt,tls.key}` for the proxies, `envoy-rate-limit/{ca.crt,tls.crt,tls.key}` for the rate limit
 * service (the client of the rate limit xDS server), plus the proxies' SDS files in `envoy/`. Existing files are
 * kept as they are (delete the directory to rotate). Returns the server's credentials and whether it generated.
 */
export async function ensureCertificates(certDir: string): Promise<{ readonly credentials: ServerCredentials; readonly generated: boolean }> {
  const server = join(certDir, "envoy-gateway");
  const proxy = join(certDir, "envoy");
  const rateLimit = join(certDir, "envoy-rate-limit");
  const files = ["ca.crt", "tls.crt", "tls.key"].flatMap((f) => [join(server, f), join(proxy, f), join(rateLimit, f)]);
  const present = await Promise.all(files.map(exists));
  let generated = false;
  if (present.includes(false)) {
    const certs = generateCertificates();
    await mkdir(server, { recursive: true, mode: 0o750 });
    await mkdir(proxy, { recursive: true, mode: 0o750 });
    await writeFile(join(server, "ca.crt"), certs.caCertificate, { mode: 0o644 });
    await writeFile(join(server, "tls.crt"), certs.envoyGatewayCertificate, { mode: 0o644 });
    await writeFile(join(server, "tls.key"), certs.envoyGatewayPrivateKey, { mode: 0o600 });
    await writeFile(join(proxy, "ca.crt"), certs.caCertificate, { mode: 0o644 });
    await writeFile(join(proxy, "tls.crt"), certs.envoyCertificate, { mode: 0o644 });
    await writeFile(join(proxy, "tls.key"), certs.envoyPrivateKey, { mode: 0o600 });
    await mkdir(rateLimit, { recursive: true, mode: 0o750 });
    await writeFile(join(rateLimit, "ca.crt"), certs.caCertificate, { mode: 0o644 });
    await writeFile(join(rateLimit, "tls.crt"), certs.envoyRateLimitCertificate, { mode: 0o644 });
    await writeFile(join(rateLimit, "tls.key"), certs.envoyRateLimitPrivateKey, { mode: 0o600 });
    generated = true;
  }
  await writeSdsConfig(proxy);
  const [caCertificate, certificate, privateKey] = await Promise.all(["ca.crt", "tls.crt", "tls.key"].map((f) => readFile(join(server, f), "utf8")));
  return { credentials: { caCertificate: caCertificate!, certificate: certificate!, privateKey: privateKey! }, generated };
}
