import { describe, expect, it } from "vitest";
import { generateCertificates } from "@egts/xds-server";
import { certificatesUnusable, describeCertificateProblems, inspectCertificates } from "./CertificateExpiry.js";

const day = 86_400_000;

describe("inspectCertificates", () => {
  const issued = new Date("2026-01-01T00:00:00Z");
  const certs = generateCertificates({ now: issued, lifetimeDays: 30, keyAlgorithm: "ecdsa-p256" });
  const sources = [
    { name: "ca", file: "/certs/ca.crt", pem: certs.caCertificate },
    { name: "server", file: "/certs/tls.crt", pem: certs.envoyGatewayCertificate },
  ];

  it("reports valid, expiring and expired certificates by their validity period", () => {
    const valid = inspectCertificates(sources, new Date(issued.getTime() + 1 * day), 7 * day);
    expect(valid.map((s) => s.state)).toEqual(["valid", "valid"]);
    expect(describeCertificateProblems(valid)).toEqual([]);

    const expiring = inspectCertificates(sources, new Date(issued.getTime() + 25 * day), 7 * day);
    expect(expiring.map((s) => s.state)).toEqual(["expiring", "expiring"]);
    expect(certificatesUnusable(expiring)).toBe(false);
    expect(describeCertificateProblems(expiring)[1]).toMatch(/^server certificate \/certs\/tls\.crt expires at 2026-01-31T00:00:00\.000Z \(in \d+ days\)$/);

    const expired = inspectCertificates(sources, new Date(issued.getTime() + 31 * day), 7 * day);
    expect(expired.map((s) => s.state)).toEqual(["expired", "expired"]);
    expect(certificatesUnusable(expired)).toBe(true);
    expect(expired[1]!.secondsLeft).toBeLessThan(0);
    expect(describeCertificateProblems(expired)).toEqual([
      "ca certificate /certs/ca.crt expired at 2026-01-31T00:00:00.000Z",
      "server certificate /certs/tls.crt expired at 2026-01-31T00:00:00.000Z",
    ]);
  });

  it("reports an unreadable certificate", () => {
    const [status] = inspectCertificates([{ name: "client", file: "/certs/envoy/tls.crt", pem: "not a certificate" }], new Date(), day);
    expect(status).toMatchObject({ name: "client", state: "unreadable" });
    expect(certificatesUnusable([status!])).toBe(true);
  });
});
