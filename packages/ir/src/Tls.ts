import type { PrivateBytes } from "./Common.js";
import type { StringMatch } from "./Match.js";

/** TLSVersion (xds IR type). */
export type TLSVersion = "Auto" | "1.0" | "1.1" | "1.2" | "1.3";

/** TLSFingerprintType (xds IR type). */
export type TLSFingerprintType = "JA3" | "JA4";

/** TLSConfig (xds IR type). */
export interface TLSConfig {
  readonly certificates?: readonly TLSCertificate[];
  readonly clientCertificates?: readonly TLSCertificate[];
  readonly caCertificate?: TLSCACertificate;
  readonly requireClientCertificate?: boolean;
  readonly clientValidationEnabled?: boolean;
  readonly acceptUntrusted?: boolean;
  readonly allowExpiredCertificate?: boolean;
  readonly verifyCertificateSpki?: readonly string[];
  readonly verifyCertificateHash?: readonly string[];
  readonly crl?: TLSCrl;
  readonly matchTypedSubjectAltNames?: readonly StringMatch[];
  readonly minVersion?: TLSVersion;
  readonly maxVersion?: TLSVersion;
  readonly ciphers?: readonly string[];
  readonly ecdhCurves?: readonly string[];
  readonly signatureAlgorithms?: readonly string[];
  readonly alpnProtocols?: readonly string[];
  readonly statelessSessionResumption?: boolean;
  readonly statefulSessionResumption?: boolean;
  readonly fingerprints?: readonly TLSFingerprintType[];
}

/** TLSCertificate (xds IR type). */
export interface TLSCertificate {
  readonly name: string;
  readonly sds?: SDSConfig;
  readonly certificate?: Uint8Array;
  readonly privateKey?: PrivateBytes;
  readonly ocspStaple?: Uint8Array;
}

/** SDSConfig (xds IR type). */
export interface SDSConfig {
  readonly secretName: string;
  readonly scheme: string;
  readonly address: string;
}

/** TLSCrl (xds IR type). */
export interface TLSCrl {
  readonly name: string;
  readonly data?: Uint8Array;
  readonly onlyVerifyLeafCertificate?: boolean;
}

/** TLSCACertificate (xds IR type). */
export interface TLSCACertificate {
  readonly name?: string;
  readonly certificate?: Uint8Array;
  readonly sds?: SDSConfig;
}

/** SubjectAltName (xds IR type). */
export interface SubjectAltName {
  readonly hostname?: string;
  readonly uri?: string;
}

/** TLSUpstreamConfig (xds IR type). */
export interface TLSUpstreamConfig extends TLSConfig {
  readonly sni?: string;
  readonly autoSNIFromEndpointHostname?: boolean;
  readonly useSystemTrustStore?: boolean;
  readonly caCertificate?: TLSCACertificate;
  readonly subjectAltNames?: readonly SubjectAltName[];
  readonly insecureSkipVerify?: boolean;
}
