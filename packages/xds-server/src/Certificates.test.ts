import { createPrivateKey, X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateCertificates } from "./Certificates.js";

const DAY = 24 * 60 * 60 * 1000;

describe("generateCertificates", () => {
  it("issues upstream's CA, server and client certificates (RSA 2048, one year)", () => {
    const now = new Date("2026-03-01T12:00:00Z");
    const certs = generateCertificates({ now });
    const ca = new X509Certificate(certs.caCertificate);
    const server = new X509Certificate(certs.envoyGatewayCertificate);
    const client = new X509Certificate(certs.envoyCertificate);

    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain("CN=envoy-gateway");
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(ca.validFrom).getTime()).toBe(now.getTime() - DAY);
    expect(new Date(ca.validTo).getTime()).toBe(now.getTime() + 365 * DAY);

    for (const leaf of [server, client]) {
      expect(leaf.ca).toBe(false);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leaf.verify(ca.publicKey)).toBe(true);
      expect(leaf.keyUsage ?? []).toEqual([]); // no extended key usage, as upstream
    }
    expect(server.subject).toBe("CN=envoy-gateway");
    expect(server.subjectAltName).toBe(
      "DNS:envoy-gateway, DNS:envoy-gateway.envoy-gateway-system, DNS:envoy-gateway.envoy-gateway-system.svc, DNS:envoy-gateway.envoy-gateway-system.svc.cluster.local",
    );
    expect(client.subject).toBe("CN=*");
    expect(client.subjectAltName).toBe("DNS:*.envoy-gateway-system");

    expect(certs.envoyGatewayPrivateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(server.checkPrivateKey(createPrivateKey(certs.envoyGatewayPrivateKey))).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(certs.envoyPrivateKey))).toBe(true);
    expect(server.serialNumber).not.toBe(client.serialNumber);
  });

  it("issues the rate limit service its own client certificate, shaped as Envoy's, from the same CA", () => {
    const certs = generateCertificates();
    const ca = new X509Certificate(certs.caCertificate);
    const rateLimit = new X509Certificate(certs.envoyRateLimitCertificate);
    const envoy = new X509Certificate(certs.envoyCertificate);
    expect(rateLimit.checkIssued(ca)).toBe(true);
    expect(rateLimit.verify(ca.publicKey)).toBe(true);
    expect(rateLimit.subject).toBe("CN=*");
    expect(rateLimit.subjectAltName).toBe("DNS:*.envoy-gateway-system");
    expect(rateLimit.checkPrivateKey(createPrivateKey(certs.envoyRateLimitPrivateKey))).toBe(true);
    expect(rateLimit.checkPrivateKey(createPrivateKey(certs.envoyPrivateKey))).toBe(false);
    expect(rateLimit.serialNumber).not.toBe(envoy.serialNumber);
  });

  it("takes namespace, names, IP addresses, lifetime and ECDSA P-256 keys", () => {
    const certs = generateCertificates({
      namespace: "edge",
      keyAlgorithm: "ecdsa-p256",
      lifetimeDays: 30,
      serverDnsNames: ["localhost"],
      serverIpAddresses: ["127.0.0.1", "::1"],
    });
    const ca = new X509Certificate(certs.caCertificate);
    const server = new X509Certificate(certs.envoyGatewayCertificate);
    const client = new X509Certificate(certs.envoyCertificate);
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(client.subjectAltName).toBe("DNS:*.edge");
    expect(certs.envoyPrivateKey).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const days = (new Date(server.validTo).getTime() - new Date(server.validFrom).getTime()) / DAY;
    expect(days).toBe(31);
  });

  it("rejects a bad lifetime and a bad IP address with a message naming them", () => {
    expect(() => generateCertificates({ lifetimeDays: 0 })).toThrow(/lifetimeDays must be positive/);
    expect(() => generateCertificates({ serverIpAddresses: ["not-an-ip"], keyAlgorithm: "ecdsa-p256" })).toThrow(/"not-an-ip" is not an IP address/);
  });
});
