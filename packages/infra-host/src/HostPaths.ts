import { mkdir, writeFile } from "node:fs/promises";
import { homedir, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { SDS_CERTIFICATE_FILENAME, SDS_TRUSTED_CA_FILENAME } from "@egts/bootstrap";

/** XDG-style directories of the host infrastructure (upstream host.Paths). */
export interface HostPaths {
  /** Configuration, including certificates under `certs/`. Default ~/.config/envoy-gateway. */
  readonly configHome: string;
  /** Shared data. Default ~/.local/share/envoy-gateway. */
  readonly dataHome: string;
  /** Logs and persistent state. Default ~/.local/state/envoy-gateway. */
  readonly stateHome: string;
  /** Ephemeral files. Default $TMPDIR/envoy-gateway-<uid>. */
  readonly runtimeDir: string;
}

/** The `custom.infrastructure.host` settings of an EnvoyGateway configuration. */
export interface HostPathSettings {
  readonly configHome?: string;
  readonly dataHome?: string;
  readonly stateHome?: string;
  readonly runtimeDir?: string;
}

/** Resolves the host directories from configuration, falling back to upstream's XDG defaults. */
export function hostPaths(settings: HostPathSettings = {}): HostPaths {
  const home = homedir();
  return {
    configHome: settings.configHome ?? join(home, ".config", "envoy-gateway"),
    dataHome: settings.dataHome ?? join(home, ".local", "share", "envoy-gateway"),
    stateHome: settings.stateHome ?? join(home, ".local", "state", "envoy-gateway"),
    runtimeDir: settings.runtimeDir ?? join(tmpdir(), `envoy-gateway-${userInfo().uid}`),
  };
}

/**
 * The certificate directory of a component under configHome: `certs/envoy-gateway` holds the controller's xDS
 * server certificate, `certs/envoy` the proxies' client certificate (each with ca.crt, tls.crt, tls.key).
 */
export function certDirectory(paths: HostPaths, component: "envoy-gateway" | "envoy" | ""): string {
  return join(paths.configHome, "certs", component);
}

/**
 * Writes the two SDS files the bootstrap points at (upstream createSdsConfig): the trusted CA, matching the
 * controller's SAN "envoy-gateway", and the proxy's client certificate, both referring to PEM files in `dir`.
 */
export async function writeSdsConfig(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const secret = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  const trustedCa = {
    resources: [
      {
        "@type": secret,
        name: "xds_trusted_ca",
        validation_context: {
          trusted_ca: { filename: join(dir, "ca.crt") },
          match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: "envoy-gateway" } }],
        },
      },
    ],
  };
  const certificate = {
    resources: [
      {
        "@type": secret,
        name: "xds_certificate",
        tls_certificate: { certificate_chain: { filename: join(dir, "tls.crt") }, private_key: { filename: join(dir, "tls.key") } },
      },
    ],
  };
  await writeFile(join(dir, SDS_TRUSTED_CA_FILENAME), JSON.stringify(trustedCa), { mode: 0o640 });
  await writeFile(join(dir, SDS_CERTIFICATE_FILENAME), JSON.stringify(certificate), { mode: 0o640 });
}
