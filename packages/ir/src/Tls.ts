import type { PrivateBytes } from "./Common.js";
import type { StringMatch } from "./Match.js";

/** A TLS protocol version ("Auto", "1.0" ... "1.3"). */
export type TLSVersion = "Auto" | "1.0" | "1.1" | "1.2" | "1.3";

/** A TLS client fingerprint algorithm (JA3, JA4). */
export type TLSFingerprintType = "JA3" | "JA4";

/** Downstream TLS context: certificates, client validation and protocol parameters. */
export interface TLSConfig {
  /** Server certificates, one per key type or hostname set. */
  readonly certificates?: readonly TLSCertificate[];
  /** Certificates Envoy presents when it is the client (upstream TLS). */
  readonly clientCertificates?: readonly TLSCertificate[];
  /** Trust bundle for validating peer certificates. */
  readonly caCertificate?: TLSCACertificate;
  /** Reject clients that present no certificate. */
  readonly requireClientCertificate?: boolean;
  /** Client certificate validation is configured (mTLS). */
  readonly clientValidationEnabled?: boolean;
  /** Accept client certificates that fail validation (and let policy decide). */
  readonly acceptUntrusted?: boolean;
  readonly allowExpiredCertificate?: boolean;
  /** Base64 SHA-256 hashes of acceptable client certificate public keys (SPKI pinning). */
  readonly verifyCertificateSpki?: readonly string[];
  /** Hex SHA-256 hashes of acceptable client certificates. */
  readonly verifyCertificateHash?: readonly string[];
  /** Certificate revocation lists. */
  readonly crl?: TLSCrl;
  /** Subject alternative names a peer certificate must match. */
  readonly matchTypedSubjectAltNames?: readonly StringMatch[];
  /** Lowest TLS version accepted. */
  readonly minVersion?: TLSVersion;
  /** Highest TLS version accepted. */
  readonly maxVersion?: TLSVersion;
  readonly ciphers?: readonly string[];
  readonly ecdhCurves?: readonly string[];
  readonly signatureAlgorithms?: readonly string[];
  /** ALPN protocols to negotiate; absent means Envoy Gateway's default, an empty list means none. */
  readonly alpnProtocols?: readonly string[];
  readonly statelessSessionResumption?: boolean;
  readonly statefulSessionResumption?: boolean;
  /** TLS client fingerprints (JA3/JA4) to compute. */
  readonly fingerprints?: readonly TLSFingerprintType[];
}

/** A certificate and private key, inline (PEM bytes) or via SDS. */
export interface TLSCertificate {
  /** Name of the certificate (becomes the SDS secret name). */
  readonly name: string;
  /** Fetch the certificate from an SDS server instead of inline bytes. */
  readonly sds?: SDSConfig;
  /** PEM certificate chain. */
  readonly certificate?: Uint8Array;
  /** PEM private key; encoded as "[redacted]". */
  readonly privateKey?: PrivateBytes;
  /** OCSP response to staple. */
  readonly ocspStaple?: Uint8Array;
}

/** A secret Envoy fetches from an external SDS server. */
export interface SDSConfig {
  /** Secret name on the SDS server. */
  readonly secretName: string;
  /** URL scheme of the SDS server address (for example unix). */
  readonly scheme: string;
  /** SDS server address. */
  readonly address: string;
}

/** Certificate revocation lists in PEM form. */
export interface TLSCrl {
  readonly name: string;
  /** PEM-encoded CRLs. */
  readonly data?: Uint8Array;
  /** Check revocation of the leaf certificate only. */
  readonly onlyVerifyLeafCertificate?: boolean;
}

/** A CA bundle, inline or via SDS. */
export interface TLSCACertificate {
  readonly name?: string;
  /** PEM CA bundle. */
  readonly certificate?: Uint8Array;
  readonly sds?: SDSConfig;
}

/** A subject alternative name an upstream certificate must carry (hostname or URI). */
export interface SubjectAltName {
  readonly hostname?: string;
  readonly uri?: string;
}

/** Upstream TLS context of a destination: SNI, trust, SANs and client certificates. */
export interface TLSUpstreamConfig extends TLSConfig {
  readonly sni?: string;
  /** Derive SNI from each endpoint's hostname. */
  readonly autoSNIFromEndpointHostname?: boolean;
  /** Trust the system CA bundle instead of `caCertificate`. */
  readonly useSystemTrustStore?: boolean;
  readonly caCertificate?: TLSCACertificate;
  readonly subjectAltNames?: readonly SubjectAltName[];
  /** Do not verify the upstream certificate. */
  readonly insecureSkipVerify?: boolean;
}
