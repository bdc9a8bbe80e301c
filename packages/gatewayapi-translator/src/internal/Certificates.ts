// PEM and X.509 handling for listener certificates (upstream tls.go), on node:crypto.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { noteTimeBoundaries } from "./TranslationObserver.js";

/** One PEM block: its type and DER bytes. */
export interface PemBlock {
  readonly type: string;
  readonly bytes: Buffer;
}

/** Every PEM block in the data, in order; text between blocks is ignored. Runs in linear time. */
export function decodePemBlocks(data: Buffer | string): PemBlock[] {
  const text = typeof data === "string" ? data : data.toString("latin1");
  const out: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf("-----BEGIN ", pos);
    if (begin < 0) break;
    const typeEnd = text.indexOf("-----", begin + 11);
    if (typeEnd < 0) break;
    const type = text.slice(begin + 11, typeEnd);
    const endMarker = `-----END ${type}-----`;
    const end = text.indexOf(endMarker, typeEnd + 5);
    if (end < 0) break;
    const body = text
      .slice(typeEnd + 5, end)
      .split(/\r?\n/)
      .filter((line) => !line.includes(":"))
      .join("")
      .replace(/[ \t\r]/g, "");
    // Like Go's pem.Decode, a block whose body is not valid base64 is skipped and scanning resumes after
    // its BEGIN line.
    if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
      pos = typeEnd + 5;
      continue;
    }
    out.push({ type, bytes: Buffer.from(body, "base64") });
    pos = end + endMarker.length;
  }
  return out;
}

/** PEM-encodes a block the way Go's pem.EncodeToMemory does (64-character lines, trailing newline). */
export function encodePemBlock(block: PemBlock): Buffer {
  const b64 = block.bytes.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return Buffer.from(`-----BEGIN ${block.type}-----\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}-----END ${block.type}-----\n`);
}

function goTime(d: Date): string {
  return d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " +0000 UTC");
}

/** Parses a certificate block and checks its validity window at `now`; returns the error text or the cert. */
export function checkCertBlock(block: PemBlock, now: Date): { cert?: X509Certificate; error?: string } {
  const parsed = parseCertBlock(block);
  if (parsed.cert === undefined) return parsed;
  const error = validityError(parsed.cert, now);
  return error === undefined ? parsed : { error };
}

/** Parses one certificate block (what {@link checkCertBlock} checks before the validity period). */
export function parseCertBlock(block: PemBlock): { cert?: X509Certificate; error?: string } {
  try {
    return { cert: new X509Certificate(block.bytes) };
  } catch {
    return { error: "x509: malformed certificate" };
  }
}

/** Why a certificate is not valid at `now` (expired, or not yet valid); undefined when it is. */
export function validityError(cert: X509Certificate, now: Date): string | undefined {
  const cn = commonName(cert);
  const notAfter = new Date(cert.validTo);
  const notBefore = new Date(cert.validFrom);
  noteTimeBoundaries(now, notBefore, notAfter);
  if (now > notAfter) return `certificate ${cn} has expired since ${goTime(notAfter)}`;
  if (now < notBefore) return `certificate ${cn} will be valid after ${goTime(notBefore)}`;
  return undefined;
}

/** The subject common name of a certificate ("" when absent). */
export function commonName(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return m?.[1] ?? "";
}

/** The DNS subject alternative names of a certificate. */
export function dnsNames(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san === undefined) return [];
  return san
    .split(/,\s*/)
    .filter((s) => s.startsWith("DNS:"))
    .map((s) => s.slice(4));
}

/** Go's name for the certificate's public key algorithm. */
export function publicKeyAlgorithm(cert: X509Certificate): string {
  switch (cert.publicKey.asymmetricKeyType) {
    case "rsa":
    case "rsa-pss":
      return "RSA";
    case "ec":
      return "ECDSA";
    case "ed25519":
      return "Ed25519";
    case "dsa":
      return "DSA";
    default:
      return "unknown";
  }
}

const supportedKeyTypes = new Set(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"]);

/** The first private-key block of a key file (any "... PRIVATE KEY" block), preferring supported types. */
export function firstPrivateKeyBlock(data: Buffer): PemBlock | undefined {
  const blocks = decodePemBlocks(data).filter((b) => b.type.endsWith("PRIVATE KEY"));
  return blocks.find((b) => supportedKeyTypes.has(b.type)) ?? blocks[0];
}

/** Whether a private key block parses in its declared format. */
export function privateKeyParses(block: PemBlock): boolean {
  try {
    createPrivateKey({ key: encodePemBlock(block), format: "pem" });
    return true;
  } catch {
    return false;
  }
}

/** Whether the key block belongs to the certificate. */
export function keyMatchesCertificate(cert: X509Certificate, keyBlock: PemBlock): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey({ key: encodePemBlock(keyBlock), format: "pem" }));
  } catch {
    return false;
  }
}
