import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import * as der from "./internal/Der.js";

/** Key type of every generated key: RSA 2048 as upstream Envoy Gateway, or ECDSA P-256. */
export type CertificateKeyAlgorithm = "rsa-2048" | "ecdsa-p256";

/** Options of {@link generateCertificates}; every field has upstream's default. */
export interface CertificateOptions {
  /** Namespace Envoy Gateway runs in (SANs of both certificates). Default `envoy-gateway-system`. */
  readonly namespace?: string;
  /** Cluster DNS suffix. Default `cluster.local`. */
  readonly dnsSuffix?: string;
  /** Validity in days from now. Default 365. */
  readonly lifetimeDays?: number;
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
  /** DNS names of the server certificate, replacing the Kubernetes service names (host mode, tests). */
  readonly serverDnsNames?: readonly string[];
  /** IP address SANs added to the server certificate (e.g. 127.0.0.1 for a local control plane). */
  readonly serverIpAddresses?: readonly string[];
  /** DNS names of the client (Envoy) certificate, replacing `*.<namespace>`. */
  readonly clientDnsNames?: readonly string[];
  /** The moment certificates are issued at; defaults to now. */
  readonly now?: Date;
}

/**
 * PEM certificates and keys for mutual TLS between the xDS server and Envoy, as upstream's certgen makes
 * them: a self-signed CA (CN envoy-gateway), the server's certificate (CN envoy-gateway) and Envoy's
 * client certificate (CN `*`), both issued by the CA. Private keys are PKCS#1 (RSA) or SEC1 (ECDSA) PEM.
 */
export interface Certificates {
  readonly caCertificate: string;
  readonly envoyGatewayCertificate: string;
  readonly envoyGatewayPrivateKey: string;
  readonly envoyCertificate: string;
  readonly envoyPrivateKey: string;
  /** The rate limit service's client certificate (it dials the controller's rate limit xDS server), as Envoy's. */
  readonly envoyRateLimitCertificate: string;
  readonly envoyRateLimitPrivateKey: string;
}

const OID = {
  commonName: "2.5.4.3",
  serialNumber: "2.5.4.5",
  rsaWithSha256: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
} as const;

// KeyUsage bit numbers (RFC 5280 4.2.1.3).
const DIGITAL_SIGNATURE = 0;
const CONTENT_COMMITMENT = 1;
const KEY_ENCIPHERMENT = 2;
const DATA_ENCIPHERMENT = 3;
const KEY_CERT_SIGN = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Generates a CA and the xDS server, Envoy and rate limit service client certificates signed by it. */
export function generateCertificates(options: CertificateOptions = {}): Certificates {
  const namespace = options.namespace ?? "envoy-gateway-system";
  const dnsSuffix = options.dnsSuffix ?? "cluster.local";
  const lifetimeDays = options.lifetimeDays ?? 365;
  if (!(lifetimeDays > 0)) throw new Error(`generateCertificates: lifetimeDays must be positive, got ${lifetimeDays}`);
  const algorithm = options.keyAlgorithm ?? "rsa-2048";
  const now = options.now ?? new Date();
  // Valid from a day back, as upstream, to tolerate clock skew.
  const notBefore = new Date(now.getTime() - DAY_MS);
  const notAfter = new Date(now.getTime() + lifetimeDays * DAY_MS);
  const service = "envoy-gateway";

  const caKey = newKeyPair(algorithm);
  const caSerial = newSerial();
  const caSpki = caKey.publicKey.export({ type: "spki", format: "der" });
  const caKeyId = keyIdentifier(caSpki);
  const caName = name([
    [OID.commonName, der.utf8String(service)],
    [OID.serialNumber, der.printableString(BigInt(`0x${Buffer.from(caSerial).toString("hex")}`).toString())],
  ]);
  const caDer = certificate({
    serial: caSerial,
    issuer: caName,
    subject: caName,
    notBefore,
    notAfter,
    spki: caSpki,
    extensions: [
      extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
      extension(OID.keyUsage, true, der.namedBits([DIGITAL_SIGNATURE, KEY_ENCIPHERMENT, KEY_CERT_SIGN])),
      extension(OID.subjectKeyIdentifier, false, der.octetString(caKeyId)),
    ],
    signer: caKey.privateKey,
    algorithm,
  });

  const leaf = (commonName: string, dnsNames: readonly string[], ipAddresses: readonly string[]) => {
    const key = newKeyPair(algorithm);
    const spki = key.publicKey.export({ type: "spki", format: "der" });
    const extensions = [
      extension(OID.keyUsage, true, der.namedBits([DIGITAL_SIGNATURE, CONTENT_COMMITMENT, KEY_ENCIPHERMENT, DATA_ENCIPHERMENT])),
      extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(spki))),
      extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, caKeyId))),
    ];
    if (dnsNames.length + ipAddresses.length > 0) {
      extensions.push(
        extension(
          OID.subjectAltName,
          false,
          der.sequence(
            ...dnsNames.map((dns) => der.implicitPrimitive(2, Buffer.from(dns, "ascii"))),
            ...ipAddresses.map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
          ),
        ),
      );
    }
    const certDer = certificate({
      serial: newSerial(),
      issuer: caName,
      subject: name([[OID.commonName, der.utf8String(commonName)]]),
      notBefore,
      notAfter,
      spki,
      extensions,
      signer: caKey.privateKey,
      algorithm,
    });
    return { certificate: pem("CERTIFICATE", certDer), privateKey: privateKeyPem(key.privateKey, algorithm) };
  };

  const server = leaf(
    service,
    options.serverDnsNames ?? [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.${dnsSuffix}`],
    options.serverIpAddresses ?? [],
  );
  const client = leaf("*", options.clientDnsNames ?? [`*.${namespace}`], []);
  const rateLimitClient = leaf("*", options.clientDnsNames ?? [`*.${namespace}`], []);
  return {
    caCertificate: pem("CERTIFICATE", caDer),
    envoyGatewayCertificate: server.certificate,
    envoyGatewayPrivateKey: server.privateKey,
    envoyCertificate: client.certificate,
    envoyPrivateKey: client.privateKey,
    envoyRateLimitCertificate: rateLimitClient.certificate,
    envoyRateLimitPrivateKey: rateLimitClient.privateKey,
  };
}

interface CertificateFields {
  readonly serial: Uint8Array;
  readonly issuer: der.Der;
  readonly subject: der.Der;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Uint8Array;
  readonly extensions: readonly der.Der[];
  readonly signer: KeyObject;
  readonly algorithm: CertificateKeyAlgorithm;
}

function certificate(fields: CertificateFields): der.Der {
  // RSA signatures carry an explicit NULL parameter; ECDSA ones none (RFC 4055, RFC 5758).
  const signatureAlgorithm =
    fields.algorithm === "rsa-2048"
      ? der.sequence(der.objectIdentifier(OID.rsaWithSha256), der.nullValue())
      : der.sequence(der.objectIdentifier(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(fields.serial),
    signatureAlgorithm,
    fields.issuer,
    der.sequence(der.time(fields.notBefore), der.time(fields.notAfter)),
    fields.subject,
    fields.spki,
    der.explicit(3, der.sequence(...fields.extensions)),
  );
  const signature = sign("sha256", tbs, fields.signer);
  return der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
}

function name(attributes: readonly (readonly [string, der.Der])[]): der.Der {
  return der.sequence(...attributes.map(([oid, value]) => der.set(der.sequence(der.objectIdentifier(oid), value))));
}

function extension(oid: string, critical: boolean, value: der.Der): der.Der {
  return critical
    ? der.sequence(der.objectIdentifier(oid), der.boolean(true), der.octetString(value))
    : der.sequence(der.objectIdentifier(oid), der.octetString(value));
}

function newKeyPair(algorithm: CertificateKeyAlgorithm): { publicKey: KeyObject; privateKey: KeyObject } {
  return algorithm === "rsa-2048" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
}

function privateKeyPem(key: KeyObject, algorithm: CertificateKeyAlgorithm): string {
  return key.export({ type: algorithm === "rsa-2048" ? "pkcs1" : "sec1", format: "pem" }).toString();
}

/** A positive 128-bit serial number. */
function newSerial(): Uint8Array {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes;
}

/** SHA-1 of the public key info, the subject/authority key identifier (RFC 5280 allows any unique method). */
const keyIdentifier = (spki: Uint8Array): Uint8Array => createHash("sha1").update(spki).digest();

function pem(label: string, body: Uint8Array): string {
  const base64 = Buffer.from(body).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function ipBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) return Uint8Array.from(ip.split(".").map(Number));
  if (isIPv6(ip)) {
    const [head = "", tail] = ip.split("::");
    const groups = (part: string): number[] => (part.length === 0 ? [] : part.split(":").map((g) => parseInt(g, 16)));
    const left = groups(head);
    const right = tail === undefined ? [] : groups(tail);
    const all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
    const bytes = new Uint8Array(16);
    all.forEach((group, i) => {
      bytes[i * 2] = group >> 8;
      bytes[i * 2 + 1] = group & 0xff;
    });
    return bytes;
  }
  throw new Error(`generateCertificates: "${ip}" is not an IP address`);
}
