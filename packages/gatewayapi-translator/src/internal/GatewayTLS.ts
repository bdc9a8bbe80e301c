// Gateway-level TLS (spec.tls): the backend client certificate a Gateway presents to its backends
// (upstream listener.go ProcessGatewayTLS). Frontend validation is resolved per listener elsewhere.
import type * as ir from "@egts/ir";
import { caCertsFromRefs } from "./BackendTLS.js";
import { condition, setCondition } from "./Conditions.js";
import { isReferencePermitted, type ResourceIndex } from "./Index.js";
import type { FrontendValidation, GatewayContext, TranslateOptions } from "./Model.js";
import type { Mutable } from "./Mutable.js";

interface FrontendTLS {
  readonly validation?: {
    readonly caCertificateRefs: ReadonlyArray<{ readonly group: string; readonly kind: string; readonly name: string; readonly namespace?: string }>;
    readonly mode?: string;
  };
}

function resolveFrontend(g: GatewayContext, tls: FrontendTLS, suffix: string, index: ResourceIndex, options: TranslateOptions): FrontendValidation | undefined {
  const v = tls.validation;
  if (v === undefined) return undefined;
  const res = caCertsFromRefs(
    v.caCertificateRefs.map((r) => ({ group: r.group, kind: r.kind, name: r.name, ...(r.namespace !== undefined ? { namespace: r.namespace } : {}) })),
    { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: g.namespace },
    index,
    options,
    true,
  );
  if ("error" in res) return res.kind === undefined ? { error: res.error } : { error: res.error, errorKind: res.kind };
  const ca: Mutable<ir.TLSCACertificate> = { name: `gateway/${g.namespace}/${g.name}/${suffix}/ca.crt` };
  if (res.ca !== undefined) ca.certificate = new Uint8Array(res.ca);
  if (res.sds !== undefined) ca.sds = res.sds;
  return { caCertificate: ca, mode: v.mode === "AllowInsecureFallback" ? "Request" : "RequireAndVerify" };
}

interface SecretRef {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Resolves each Gateway's spec.tls.backend client certificate and sets the Gateway's ResolvedRefs condition. */
export function processGatewayTLS(gateways: ReadonlyArray<GatewayContext>, index: ResourceIndex, options: TranslateOptions): void {
  for (const g of gateways) {
    const tls = (
      g.gateway.spec as {
        tls?: {
          backend?: { clientCertificateRef?: SecretRef };
          frontend?: { default: FrontendTLS; perPort?: ReadonlyArray<{ port: number; tls: FrontendTLS }> };
        };
      }
    ).tls;
    if (tls === undefined) continue;
    const gen = g.gateway.metadata.generation;
    const resolvedRefs = (status: "True" | "False", reason: string, message: string): void =>
      setCondition(g.status.conditions, condition("ResolvedRefs", status, reason, message, gen));
    let ok = true;
    const frontend = tls.frontend;
    if (frontend !== undefined) {
      let insecureFallback = false;
      const defaultValidation = resolveFrontend(g, frontend.default, "default", index, options);
      if (defaultValidation !== undefined && "error" in defaultValidation) {
        resolvedRefs("False", "InvalidParameters", `Failed to get default frontend CA certs for gateway: ${defaultValidation.error}`);
        ok = false;
      } else if (frontend.default.validation?.mode === "AllowInsecureFallback") insecureFallback = true;
      const perPort = new Map<number, FrontendValidation | undefined>();
      for (const p of frontend.perPort ?? []) {
        const v = resolveFrontend(g, p.tls, String(p.port), index, options);
        if (v !== undefined && "error" in v) {
          resolvedRefs("False", "InvalidParameters", `Failed to get frontend CA certs for gateway: ${v.error}`);
          ok = false;
        } else if (p.tls.validation?.mode === "AllowInsecureFallback") insecureFallback = true;
        perPort.set(p.port, v);
      }
      if (insecureFallback) {
        setCondition(
          g.status.conditions,
          condition("InsecureFrontendValidationMode", "True", "ConfigurationChanged", "Gateway is using AllowInsecureFallback frontend validation mode.", gen),
        );
      }
      for (const l of g.listeners) {
        if (l.listener.protocol !== "HTTPS") continue;
        const v = perPort.has(l.listener.port) ? perPort.get(l.listener.port) : defaultValidation;
        if (v !== undefined) l.frontendValidation = v;
      }
    }
    const ref = tls.backend?.clientCertificateRef;
    if (tls.backend !== undefined && ref !== undefined) {
      const kind = ref.kind ?? "Secret";
      if (kind !== "Secret") {
        resolvedRefs(
          "False",
          "InvalidClientCertificateRef",
          `Invalid backend client certificate reference for gateway: invalid client certificate reference kind: ${kind}`,
        );
        ok = false;
      } else if ((ref.group ?? "") !== "") {
        resolvedRefs(
          "False",
          "InvalidClientCertificateRef",
          `Invalid backend client certificate reference for gateway: invalid client certificate reference group: ${ref.group ?? ""}`,
        );
        ok = false;
      } else {
        const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : g.namespace;
        if (
          ns !== g.namespace &&
          !isReferencePermitted(
            { group: "gateway.networking.k8s.io", kind: "Gateway", namespace: g.namespace },
            { group: ref.group ?? "", kind, namespace: ns, name: ref.name },
            index.referenceGrants,
          )
        ) {
          resolvedRefs("False", "RefNotPermitted", "invalid cross-namespace reference to backend client certificate");
          ok = false;
        }
        if (ok) {
          const secret = index.secret(ns, ref.name);
          if (secret === undefined) {
            resolvedRefs("False", "InvalidClientCertificateRef", "failed to get backend client certs for gateway");
            ok = false;
          } else if (secret.data?.["tls.crt"] === undefined || secret.data["tls.key"] === undefined) {
            resolvedRefs(
              "False",
              "InvalidClientCertificateRef",
              `invalid backend client cert secret for gateway: secret ${ns}/${ref.name} must contain 'tls.crt' and 'tls.key' fields`,
            );
            ok = false;
          } else g.backendTLSResolved = true;
        }
      }
    }
    if (ok) resolvedRefs("True", "ResolvedRefs", "Successfully resolved all TLS references for the gateway");
  }
}
