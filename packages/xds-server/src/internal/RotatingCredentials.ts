import { X509Certificate, createPrivateKey } from "node:crypto";
import type { experimental } from "@grpc/grpc-js";

/** PEM text or bytes of a CA, a certificate and its key. */
export interface TlsMaterial {
  readonly caCertificate: string | Uint8Array;
  readonly certificate: string | Uint8Array;
  readonly privateKey: string | Uint8Array;
}

type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/**
 * A grpc-js certificate provider whose material is replaced in place: the server's TLS context is swapped
 * for new handshakes while established connections (and their streams) keep going. Serves both the CA and
 * the identity, so it is passed as both providers.
 */
export class RotatingCertificateProvider implements experimental.CertificateProvider {
  private ca: { caCertificate: Buffer };
  private identity: { certificate: Buffer; privateKey: Buffer };
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(material: TlsMaterial) {
    const checked = checkTlsMaterial(material);
    this.ca = { caCertificate: checked.caCertificate };
    this.identity = { certificate: checked.certificate, privateKey: checked.privateKey };
  }

  /** Replaces the material after checking it parses and the key matches the certificate (else throws). */
  update(material: TlsMaterial): void {
    const checked = checkTlsMaterial(material);
    this.ca = { caCertificate: checked.caCertificate };
    this.identity = { certificate: checked.certificate, privateKey: checked.privateKey };
    for (const listener of this.caListeners) listener(this.ca);
    for (const listener of this.identityListeners) listener(this.identity);
  }

  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    listener(this.ca);
  }
  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }
  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    listener(this.identity);
  }
  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}

/**
 * Parses the CA and the certificate and checks the private key belongs to the certificate, so a half-written
 * rotation (new certificate, old key) is refused instead of breaking every new handshake.
 */
export function checkTlsMaterial(material: TlsMaterial): { caCertificate: Buffer; certificate: Buffer; privateKey: Buffer } {
  const caCertificate = Buffer.from(material.caCertificate);
  const certificate = Buffer.from(material.certificate);
  const privateKey = Buffer.from(material.privateKey);
  const parse = (what: string, pem: Buffer) => {
    try {
      return new X509Certificate(pem);
    } catch (error) {
      throw new Error(`tls: ${what} is not a PEM certificate: ${(error as Error).message}`);
    }
  };
  parse("caCertificate", caCertificate);
  const cert = parse("certificate", certificate);
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(privateKey);
  } catch (error) {
    throw new Error(`tls: privateKey is not a PEM private key: ${(error as Error).message}`);
  }
  if (!cert.checkPrivateKey(key)) throw new Error("tls: privateKey does not match certificate");
  return { caCertificate, certificate, privateKey };
}
