import { X509Certificate } from "node:crypto";

/** Where a certificate stands against the clock. */
export type CertificateState = "valid" | "expiring" | "expired" | "not-yet-valid" | "unreadable";

/** One of the xDS certificates, as /api/status reports it. */
export interface CertificateStatus {
  /** What the certificate is for: `ca`, `server` (the xDS server's), `client` (the proxies'). */
  readonly name: string;
  readonly file: string;
  readonly subject?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  /** Seconds until notAfter (negative once expired). */
  readonly secondsLeft?: number;
  readonly state: CertificateState;
  /** Why it is unreadable. */
  readonly error?: string;
}

/** A certificate to inspect: its role, where it lives, and its PEM text. */
export interface CertificateSource {
  readonly name: string;
  readonly file: string;
  readonly pem: string;
}

/**
 * Inspects certificates at `now`: expired, not yet valid, expiring within `warnBeforeMs`, or valid. Pure; the
 * controller calls it at start and on a timer.
 */
export function inspectCertificates(sources: ReadonlyArray<CertificateSource>, now: Date, warnBeforeMs: number): CertificateStatus[] {
  return sources.map(({ name, file, pem }) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch (error) {
      return { name, file, state: "unreadable", error: (error as Error).message };
    }
    const notBefore = new Date(certificate.validFrom);
    const notAfter = new Date(certificate.validTo);
    const left = notAfter.getTime() - now.getTime();
    const state: CertificateState = left <= 0 ? "expired" : now.getTime() < notBefore.getTime() ? "not-yet-valid" : left <= warnBeforeMs ? "expiring" : "valid";
    return {
      name,
      file,
      subject: certificate.subject.replace(/\n/g, ", "),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      secondsLeft: Math.floor(left / 1000),
      state,
    };
  });
}

/** True when a proxy cannot complete the mTLS handshake with these certificates. */
export function certificatesUnusable(statuses: ReadonlyArray<CertificateStatus>): boolean {
  return statuses.some((s) => s.state === "expired" || s.state === "not-yet-valid" || s.state === "unreadable");
}

/** One line per certificate that needs attention, for logs and errors; empty when all are valid. */
export function describeCertificateProblems(statuses: ReadonlyArray<CertificateStatus>): string[] {
  return statuses.flatMap((s) => {
    switch (s.state) {
      case "valid":
        return [];
      case "expiring":
        return [`${s.name} certificate ${s.file} expires at ${s.notAfter} (in ${Math.ceil((s.secondsLeft ?? 0) / 86_400)} days)`];
      case "expired":
        return [`${s.name} certificate ${s.file} expired at ${s.notAfter}`];
      case "not-yet-valid":
        return [`${s.name} certificate ${s.file} is not valid before ${s.notBefore}`];
      case "unreadable":
        return [`${s.name} certificate ${s.file} cannot be read: ${s.error ?? "unknown error"}`];
    }
  });
}
