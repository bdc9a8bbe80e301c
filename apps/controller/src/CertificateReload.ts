import * as Effect from "effect/Effect";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServerCredentials } from "./Certificates.js";

/** A running {@link watchServerCertificates}. */
export interface CertificateFileWatch {
  /** Reads the files now and applies them if they changed (the poll does this every interval). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Polls `<certDir>/envoy-gateway/{ca.crt,tls.crt,tls.key}` and hands changed credentials to `apply` (an xDS
 * server's updateTls), so `egts certgen --local --overwrite` or an external rotation takes effect without a
 * restart. `apply` rejecting (a half-written set whose key does not match yet) is reported to `onError` and
 * retried at the next poll, since the content is then still "changed".
 */
export function watchServerCertificates(
  certDir: string,
  initial: ServerCredentials,
  apply: (credentials: ServerCredentials) => void,
  options: CredentialWatchOptions = {},
): CertificateFileWatch {
  const dir = join(certDir, "envoy-gateway");
  return watchCredentials(
    async () => {
      const [caCertificate, certificate, privateKey] = await Promise.all(["ca.crt", "tls.crt", "tls.key"].map((f) => readFile(join(dir, f), "utf8")));
      return { caCertificate: caCertificate!, certificate: certificate!, privateKey: privateKey! };
    },
    initial,
    apply,
    options,
  );
}

/** Tuning and reporting of a credential watch. */
export interface CredentialWatchOptions {
  readonly intervalMs?: number;
  readonly onError?: (error: Error) => void;
  readonly onApplied?: () => void;
}

/**
 * Polls `read` and hands changed credentials to `apply`; shared by the file and the Secret sources. A read
 * answering undefined means "unchanged since the last read" (a Secret whose resourceVersion did not move).
 */
export function watchCredentials(
  read: () => Promise<ServerCredentials | undefined>,
  initial: ServerCredentials,
  apply: (credentials: ServerCredentials) => void,
  options: CredentialWatchOptions = {},
): CertificateFileWatch {
  let current = fingerprint(initial);
  let running: Promise<void> | undefined;
  const check = async (): Promise<void> => {
    let credentials: ServerCredentials | undefined;
    try {
      credentials = await read();
    } catch (error) {
      options.onError?.(error as Error);
      return;
    }
    if (credentials === undefined) return;
    const next = fingerprint(credentials);
    if (next === current) return;
    try {
      apply(credentials);
      current = next;
      options.onApplied?.();
    } catch (error) {
      options.onError?.(error as Error);
    }
  };
  const guarded = () => {
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void guarded(), options.intervalMs ?? 10_000);
  timer.unref();
  return { check: guarded, stop: () => clearInterval(timer) };
}

const fingerprint = (c: ServerCredentials): string => `${c.caCertificate}\u0000${c.certificate}\u0000${c.privateKey}`;

/**
 * Scoped {@link watchServerCertificates} for an xDS server: logs each reload (never the material) and each
 * refused set, and stops with the scope.
 */
export const reloadCertificatesOnChange = (
  certDir: string,
  initial: ServerCredentials,
  server: { updateTls(tls: ServerCredentials): void },
  log: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void },
) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      watchServerCertificates(certDir, initial, (c) => server.updateTls(c), {
        onApplied: () => log.info("reloaded xDS server certificates", { directory: certDir }),
        onError: (error) => log.warn("cannot reload xDS server certificates; keeping the current ones", { directory: certDir, error: error.message }),
      }),
    ),
    (watch) => Effect.sync(() => watch.stop()),
  );

/**
 * Kubernetes mode's counterpart of {@link reloadCertificatesOnChange}: polls the `envoy-gateway` Secret (reading
 * its data only when the resourceVersion moved) and hands changed credentials to the xDS server, whose open
 * streams keep going; new connections get the new certificate.
 */
export const reloadSecretCertificatesOnChange = (
  read: () => Promise<ServerCredentials | undefined>,
  initial: ServerCredentials,
  server: { updateTls(tls: ServerCredentials): void },
  log: { info(message: string, fields?: Record<string, unknown>): void; warn(message: string, fields?: Record<string, unknown>): void },
  source: string,
) =>
  Effect.acquireRelease(
    Effect.sync(() =>
      watchCredentials(read, initial, (c) => server.updateTls(c), {
        onApplied: () => log.info("reloaded xDS server certificates", { secret: source }),
        onError: (error) => log.warn("cannot reload xDS server certificates; keeping the current ones", { secret: source, error: error.message }),
      }),
    ),
    (watch) => Effect.sync(() => watch.stop()),
  );
