import { X509Certificate, createPrivateKey } from "node:crypto";
import { ServerCredentials } from "@grpc/grpc-js";

/** PEM text or bytes of a CA, a certificate and its key. */
export interface TlsMaterial {
  readonly caCertificate: string | Uint8Array;
  readonly certificate: string | Uint8Array;
  readonly privateKey: string | Uint8Array;
}

/**
 * Mutual TLS server credentials whose material is replaced in place: grpc-js swaps the listener's secure
 * context for new handshakes while established connections (and their streams) keep going. (grpc-js's own
 * certificate-provider credentials start without material when the provider answers synchronously, so the
 * first connections would be dropped; these start with it.)
 */
export class RotatingServerCredentials extends ServerCredentials {
  constructor(material: TlsMaterial) {
    super({ requestCert: true, rejectUnauthorized: true }, contextOptions(checkTlsMaterial(material)));
  }

  /** Replaces the material after checking it parses and the key matches the certificate (else throws). */
  update(material: TlsMaterial): void {
    this.updateSecureContextOptions(contextOptions(checkTlsMaterial(material)));
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}

const contextOptions = (m: { caCertificate: Buffer; certificate: Buffer; privateKey: Buffer }) => ({
  ca: m.caCertificate,
  cert: m.certificate,
  key: m.privateKey,
});

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
