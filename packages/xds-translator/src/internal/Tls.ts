import { createHash } from "node:crypto";
import type { TransportSocket } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { ApiConfigSource_ApiType, ConfigSource } from "@egts/envoy-api/generated/envoy/config/core/v3/config_source";
import { QuicDownstreamTransport } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/quic/v3/quic_transport";
import {
  CertificateValidationContext_TrustChainVerification,
  SubjectAltNameMatcher_SanType,
  TlsParameters_TlsProtocol,
  type CertificateValidationContext,
  type SubjectAltNameMatcher,
  type TlsParameters,
} from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/common";
import type { SdsSecretConfig, Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import { CommonTlsContext, DownstreamTlsContext, UpstreamTlsContext } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/tls";
import type { SDSConfig, TLSCACertificate, TLSCertificate, TLSConfig, TLSCrl, TLSUpstreamConfig, TLSVersion } from "@egts/ir";
import { buildStringMatcher } from "./Matchers.js";
import { adsConfigSource, anyOf, msg } from "./Proto.js";

/** Name of the shared secret holding the system trust store. */
export const SYSTEM_TRUST_STORE_SECRET_NAME = "system_ca_certificates";
/** Where Envoy's image keeps the system CA bundle. */
export const SYSTEM_CERT_PATH = "/etc/ssl/certs/ca-certificates.crt";

const TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
const QUIC_TRANSPORT_SOCKET = "envoy.transport_sockets.quic";

const inlineBytes = (bytes: Uint8Array | undefined) => ({
  specifier: { $case: "inlineBytes" as const, value: Buffer.from(bytes ?? new Uint8Array()) },
});

/** The URL an SDS config names (`scheme://address`). */
export const sdsUrl = (sds: SDSConfig): string => `${sds.scheme}://${sds.address}`;

/** The name of the static cluster that reaches an SDS server over a unix socket. */
export function sdsClusterNameFromUrl(url: string): string {
  const address = url.startsWith("unix://") ? url.slice("unix://".length) : url;
  const hash = createHash("sha256").update(address).digest("hex").slice(0, 32);
  let prefix = address.replaceAll("/", "_").replace(/^_+|_+$/g, "");
  while (Buffer.byteLength(prefix) > 48) prefix = [...prefix].slice(0, -1).join("");
  return prefix !== "" ? `sds_${prefix}_${hash}` : `sds_${hash}`;
}

/** An SDS secret reference served by an external SDS server through gRPC. */
export function sdsSecretConfig(secretName: string, clusterName: string): SdsSecretConfig {
  return {
    name: secretName,
    sdsConfig: msg(ConfigSource, {
      configSourceSpecifier: {
        $case: "apiConfigSource",
        value: {
          apiType: ApiConfigSource_ApiType.GRPC,
          grpcServices: [{ targetSpecifier: { $case: "envoyGrpc", value: { clusterName } } }],
        },
      },
    }),
  };
}

/** An SDS secret reference served over ADS (the secrets this translator emits). */
export const adsSecretConfig = (name: string): SdsSecretConfig => ({ name, sdsConfig: adsConfigSource() });

const certSdsConfig = (cert: { readonly name?: string; readonly sds?: SDSConfig }): SdsSecretConfig =>
  cert.sds !== undefined ? sdsSecretConfig(cert.sds.secretName, sdsClusterNameFromUrl(sdsUrl(cert.sds))) : adsSecretConfig(cert.name ?? "");

const TLS_VERSIONS: Readonly<Record<string, TlsParameters_TlsProtocol>> = {
  "1.0": TlsParameters_TlsProtocol.TLSv1_0,
  "1.1": TlsParameters_TlsProtocol.TLSv1_1,
  "1.2": TlsParameters_TlsProtocol.TLSv1_2,
  "1.3": TlsParameters_TlsProtocol.TLSv1_3,
};

const tlsVersion = (v: TLSVersion): TlsParameters_TlsProtocol => TLS_VERSIONS[v] ?? TlsParameters_TlsProtocol.TLS_AUTO;

/** TLS parameters (versions, ciphers, curves, signature algorithms); undefined when none is set. */
export function buildTlsParams(tls: TLSConfig): TlsParameters | undefined {
  const p: Partial<TlsParameters> = {};
  let empty = true;
  if (tls.minVersion !== undefined) {
    p.tlsMinimumProtocolVersion = tlsVersion(tls.minVersion);
    empty = false;
  }
  if (tls.maxVersion !== undefined) {
    p.tlsMaximumProtocolVersion = tlsVersion(tls.maxVersion);
    empty = false;
  }
  if (tls.ciphers !== undefined && tls.ciphers.length > 0) {
    p.cipherSuites = [...tls.ciphers];
    empty = false;
  }
  if (tls.ecdhCurves !== undefined && tls.ecdhCurves.length > 0) {
    p.ecdhCurves = [...tls.ecdhCurves];
    empty = false;
  }
  if (tls.signatureAlgorithms !== undefined && tls.signatureAlgorithms.length > 0) {
    p.signatureAlgorithms = [...tls.signatureAlgorithms];
    empty = false;
  }
  if (empty) return undefined;
  return {
    tlsMinimumProtocolVersion: TlsParameters_TlsProtocol.TLS_AUTO,
    tlsMaximumProtocolVersion: TlsParameters_TlsProtocol.TLS_AUTO,
    cipherSuites: [],
    ecdhCurves: [],
    signatureAlgorithms: [],
    compliancePolicies: [],
    ...p,
  } as TlsParameters;
}

const SAN_TYPES: Readonly<Record<string, SubjectAltNameMatcher_SanType>> = {
  "": SubjectAltNameMatcher_SanType.SAN_TYPE_UNSPECIFIED,
  EMAIL: SubjectAltNameMatcher_SanType.EMAIL,
  DNS: SubjectAltNameMatcher_SanType.DNS,
  URI: SubjectAltNameMatcher_SanType.URI,
  IP_ADDRESS: SubjectAltNameMatcher_SanType.IP_ADDRESS,
};

/** Sets the downstream client-certificate validation of a TLS context from the listener's TLS config. */
function setValidationContext(tls: TLSConfig, common: CommonTlsContext): void {
  const needsDefault =
    tls.acceptUntrusted === true ||
    tls.allowExpiredCertificate === true ||
    (tls.verifyCertificateSpki?.length ?? 0) > 0 ||
    (tls.verifyCertificateHash?.length ?? 0) > 0 ||
    (tls.matchTypedSubjectAltNames?.length ?? 0) > 0;
  const sans: SubjectAltNameMatcher[] = (tls.matchTypedSubjectAltNames ?? []).map((m) => {
    const known = SAN_TYPES[m.name];
    return {
      sanType: known ?? SubjectAltNameMatcher_SanType.OTHER_NAME,
      matcher: buildStringMatcher(m),
      oid: known === undefined ? m.name : "",
    };
  });
  const validation = msgValidation({
    ...(tls.acceptUntrusted === true ? { trustChainVerification: CertificateValidationContext_TrustChainVerification.ACCEPT_UNTRUSTED } : {}),
    ...(tls.allowExpiredCertificate === true ? { allowExpiredCertificate: true } : {}),
    verifyCertificateSpki: [...(tls.verifyCertificateSpki ?? [])],
    verifyCertificateHash: [...(tls.verifyCertificateHash ?? [])],
    matchTypedSubjectAltNames: sans,
  });
  if (tls.caCertificate === undefined) {
    common.validationContextType = { $case: "validationContext", value: validation };
    return;
  }
  const sds = certSdsConfig(tls.caCertificate);
  common.validationContextType = needsDefault
    ? {
        $case: "combinedValidationContext",
        value: {
          defaultValidationContext: validation,
          validationContextSdsSecretConfig: sds,
          validationContextCertificateProvider: undefined,
          validationContextCertificateProviderInstance: undefined,
        },
      }
    : { $case: "validationContextSdsSecretConfig", value: sds };
}

function msgValidation(fields: Partial<CertificateValidationContext>): CertificateValidationContext {
  return msg(CommonTlsContext, { validationContextType: { $case: "validationContext", value: fields } }).validationContextType!
    .value as CertificateValidationContext;
}

function setSessionSettings(tls: TLSConfig, ctx: DownstreamTlsContext): void {
  if (tls.statefulSessionResumption !== true) ctx.disableStatefulSessionResumption = true;
  if (tls.statelessSessionResumption !== true) ctx.sessionTicketKeysType = { $case: "disableStatelessSessionResumption", value: true };
}

function downstreamTlsContext(tls: TLSConfig, alpn: readonly string[]): DownstreamTlsContext {
  const params = buildTlsParams(tls);
  const ctx = msg(DownstreamTlsContext, {
    commonTlsContext: {
      ...(params !== undefined ? { tlsParams: params } : {}),
      alpnProtocols: [...alpn],
      tlsCertificateSdsSecretConfigs: (tls.certificates ?? []).map(certSdsConfig),
    },
  });
  if (tls.caCertificate !== undefined || tls.clientValidationEnabled === true) {
    ctx.requireClientCertificate = tls.requireClientCertificate === true;
    setValidationContext(tls, ctx.commonTlsContext!);
  }
  setSessionSettings(tls, ctx);
  return ctx;
}

/** The TLS transport socket of a TLS listener filter chain (ALPN h2 + http/1.1 unless configured). */
export function buildDownstreamTlsSocket(tls: TLSConfig): TransportSocket {
  const ctx = downstreamTlsContext(tls, tls.alpnProtocols ?? ["h2", "http/1.1"]);
  return { name: TLS_TRANSPORT_SOCKET, configType: { $case: "typedConfig", value: anyOf(DownstreamTlsContext, ctx) } };
}

/** The QUIC transport socket of an HTTP/3 listener filter chain. */
export function buildDownstreamQuicSocket(tls: TLSConfig): TransportSocket {
  const ctx = downstreamTlsContext(tls, ["h3"]);
  return {
    name: QUIC_TRANSPORT_SOCKET,
    configType: { $case: "typedConfig", value: anyOf(QuicDownstreamTransport, { downstreamTlsContext: ctx }) },
  };
}

/** A secret holding a certificate and its key; undefined for certificates served by an SDS server. */
export function buildTlsCertSecret(cert: TLSCertificate): Secret | undefined {
  if (cert.sds !== undefined) return undefined;
  return {
    name: cert.name,
    type: {
      $case: "tlsCertificate",
      value: msgTlsCertificate(cert),
    },
  };
}

function msgTlsCertificate(cert: TLSCertificate) {
  const secret = msg(SecretCodec, {
    type: {
      $case: "tlsCertificate",
      value: {
        certificateChain: inlineBytes(cert.certificate),
        privateKey: inlineBytes(cert.privateKey),
        ...(cert.ocspStaple !== undefined && cert.ocspStaple.length > 0 ? { ocspStaple: inlineBytes(cert.ocspStaple) } : {}),
      },
    },
  });
  if (secret.type?.$case !== "tlsCertificate") throw new Error("unreachable");
  return secret.type.value;
}

/** A secret holding a CA bundle (and CRL) for validating client certificates; undefined for SDS-served CAs. */
export function buildTlsCaSecret(ca: TLSCACertificate, crl: TLSCrl | undefined): Secret | undefined {
  if (ca.sds !== undefined) return undefined;
  return msg(SecretCodec, {
    name: ca.name ?? "",
    type: {
      $case: "validationContext",
      value: {
        trustedCa: inlineBytes(ca.certificate),
        ...(crl !== undefined ? { crl: inlineBytes(crl.data), onlyVerifyLeafCertCrl: crl.onlyVerifyLeafCertificate === true } : {}),
      },
    },
  });
}

/** The system trust store secret under `name`. */
export function buildSystemTrustStoreSecret(name: string): Secret {
  return msg(SecretCodec, {
    name,
    type: { $case: "validationContext", value: { trustedCa: { specifier: { $case: "filename", value: SYSTEM_CERT_PATH } } } },
  });
}

/** A secret holding a backend's CA bundle for upstream TLS; undefined for SDS-served CAs. */
export function buildUpstreamCaSecret(tls: TLSUpstreamConfig): Secret | undefined {
  const ca = tls.caCertificate;
  if (ca === undefined || ca.sds !== undefined) return undefined;
  return msg(SecretCodec, { name: ca.name ?? "", type: { $case: "validationContext", value: { trustedCa: inlineBytes(ca.certificate) } } });
}

/** Upstream TLS socket for a backend with BackendTLSPolicy-style settings. */
export function buildUpstreamTlsSocket(tls: TLSUpstreamConfig, requiresAutoSni: boolean, isDynamicResolver: boolean): TransportSocket {
  const ctx = msg(UpstreamTlsContext, { commonTlsContext: {} });
  const common = ctx.commonTlsContext!;
  if (tls.insecureSkipVerify !== true) {
    const ca = tls.caCertificate;
    let sds = adsSecretConfig(ca?.name ?? "");
    if (ca?.sds !== undefined) sds = sdsSecretConfig(ca.sds.secretName, sdsClusterNameFromUrl(sdsUrl(ca.sds)));
    const sans: SubjectAltNameMatcher[] = [];
    if (tls.sni !== undefined && (tls.subjectAltNames?.length ?? 0) === 0) {
      sans.push({ sanType: SubjectAltNameMatcher_SanType.DNS, matcher: { ignoreCase: false, matchPattern: { $case: "exact", value: tls.sni } }, oid: "" });
    }
    for (const san of tls.subjectAltNames ?? []) {
      const [sanType, value] =
        san.hostname !== undefined ? [SubjectAltNameMatcher_SanType.DNS, san.hostname] : [SubjectAltNameMatcher_SanType.URI, san.uri ?? ""];
      sans.push({ sanType, matcher: { ignoreCase: false, matchPattern: { $case: "exact", value } }, oid: "" });
    }
    common.validationContextType = {
      $case: "combinedValidationContext",
      value: {
        defaultValidationContext: msgValidation({ matchTypedSubjectAltNames: sans }),
        validationContextSdsSecretConfig: sds,
        validationContextCertificateProvider: undefined,
        validationContextCertificateProviderInstance: undefined,
      },
    };
    if (sans.length === 0 && (tls.sni !== undefined || requiresAutoSni || tls.autoSNIFromEndpointHostname === true) && !isDynamicResolver) {
      ctx.autoSniSanValidation = true;
    }
  }
  if (tls.sni !== undefined) ctx.sni = tls.sni;
  if (tls.autoSNIFromEndpointHostname === true) ctx.autoHostSni = true;
  const params = buildTlsParams(tls);
  if (params !== undefined) common.tlsParams = params;
  if (tls.alpnProtocols !== undefined) common.alpnProtocols = [...tls.alpnProtocols];
  for (const cert of tls.clientCertificates ?? []) common.tlsCertificateSdsSecretConfigs.push(certSdsConfig(cert));
  return { name: TLS_TRANSPORT_SOCKET, configType: { $case: "typedConfig", value: anyOf(UpstreamTlsContext, ctx) } };
}

/** Upstream TLS to a URL-addressed service (JWKS, OIDC provider): TLS 1.3 max, system trust store. */
export function buildSystemTrustTlsSocket(sni: string): TransportSocket {
  const ctx = msg(UpstreamTlsContext, {
    sni,
    commonTlsContext: {
      tlsParams: { tlsMaximumProtocolVersion: TlsParameters_TlsProtocol.TLSv1_3 },
      validationContextType: {
        $case: "validationContext",
        value: { trustedCa: { specifier: { $case: "filename", value: SYSTEM_CERT_PATH } } },
      },
    },
  });
  return { name: TLS_TRANSPORT_SOCKET, configType: { $case: "typedConfig", value: anyOf(UpstreamTlsContext, ctx) } };
}

/** The placeholder TLS socket upstream sets on clusters whose TLS lives in transport socket matches. */
export function dummyTransportSocket(): TransportSocket {
  return {
    name: "dummy.transport_socket",
    configType: { $case: "typedConfig", value: anyOf(UpstreamTlsContext, { commonTlsContext: {} }) },
  };
}

import { Secret as SecretCodec } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
