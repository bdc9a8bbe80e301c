import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as Effect from "effect/Effect";
import { certificatesUnusable, describeCertificateProblems, inspectCertificates, type CertificateSource, type CertificateStatus } from "./CertificateExpiry.js";
import type { ControllerSettings } from "./Config.js";
import type { Logger } from "./Logger.js";
import type { ControllerMetrics } from "./Metrics.js";

/** How often the certificates are checked again while running. */
const CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** Thrown at start when proxies could not complete the mTLS handshake with the xDS certificates. */
export class CertificateError extends Error {
  override readonly name = "CertificateError";
}

/**
 * Checks the xDS certificates (CA, the server's, the proxies' client certificate) at start and hourly:
 * - at start, refuses to run when one is expired, not yet valid or unreadable (every proxy would fail the
 *   handshake), naming the file and what to do;
 * - logs a warning while one expires within `certificateWarnBeforeMs`, an error once one has expired, each
 *   time the situation changes; /readyz turns false while they are unusable;
 * - exposes `egts_xds_certificate_expiry_seconds` (seconds left, per certificate) and the statuses (for
 *   /api/status). Returns the function giving the current statuses.
 */
export const certificateWatch = (
  settings: ControllerSettings,
  server: { readonly caCertificate: string; readonly certificate: string },
  log: Logger,
  metrics: ControllerMetrics,
  readiness: { certificates: boolean },
) =>
  Effect.gen(function* () {
    const clientFile = join(settings.certDirectory, "envoy", "tls.crt");
    const sources: CertificateSource[] = [
      { name: "ca", file: join(settings.certDirectory, "envoy-gateway", "ca.crt"), pem: server.caCertificate },
      { name: "server", file: join(settings.certDirectory, "envoy-gateway", "tls.crt"), pem: server.certificate },
    ];
    try {
      sources.push({ name: "client", file: clientFile, pem: readFileSync(clientFile, "utf8") });
    } catch (error) {
      sources.push({ name: "client", file: clientFile, pem: "" });
      log.warn("cannot read the proxies' client certificate", { component: "xds-server", file: clientFile, error: (error as Error).message });
    }
    const check = (): CertificateStatus[] => inspectCertificates(sources, new Date(), settings.certificateWarnBeforeMs);
    const first = check();
    if (certificatesUnusable(first)) {
      return yield* Effect.fail(
        new CertificateError(
          `xDS certificates cannot be used, proxies would fail the mTLS handshake: ${describeCertificateProblems(first).join("; ")}. ` +
            `Replace them, or remove ${settings.certDirectory} to have new ones generated (proxies then need the new CA).`,
        ),
      );
    }
    let reported = "";
    const report = (statuses: CertificateStatus[]): void => {
      const problems = describeCertificateProblems(statuses);
      const text = problems.join("; ");
      readiness.certificates = !certificatesUnusable(statuses);
      if (text === reported) return;
      reported = text;
      if (problems.length === 0) log.info("xDS certificates are valid", { component: "xds-server" });
      else if (readiness.certificates) log.warn("xDS certificates expire soon; rotate them", { component: "xds-server", certificates: problems });
      else log.error("xDS certificates cannot be used any more; proxies will fail the mTLS handshake", { component: "xds-server", certificates: problems });
    };
    report(first);
    metrics.addGauge({
      name: "egts_xds_certificate_expiry_seconds",
      help: "Seconds until each xDS certificate expires (negative once expired).",
      read: () => check().flatMap((s) => (s.secondsLeft === undefined ? [] : [{ labels: { certificate: s.name }, value: s.secondsLeft }])),
    });
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const timer = setInterval(() => report(check()), CHECK_INTERVAL_MS);
        timer.unref();
        return timer;
      }),
      (timer) => Effect.sync(() => clearInterval(timer)),
    );
    return check;
  });
