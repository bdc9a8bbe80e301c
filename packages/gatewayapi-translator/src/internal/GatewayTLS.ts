// Gateway-level TLS (spec.tls): the backend client certificate a Gateway presents to its backends
// (upstream listener.go ProcessGatewayTLS). Frontend validation is resolved per listener elsewhere.
import { condition, setCondition } from "./Conditions.js";
import { isReferencePermitted, type ResourceIndex } from "./Index.js";
import type { GatewayContext } from "./Model.js";

interface SecretRef {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Resolves each Gateway's spec.tls.backend client certificate and sets the Gateway's ResolvedRefs condition. */
export function processGatewayTLS(gateways: ReadonlyArray<GatewayContext>, index: ResourceIndex): void {
  for (const g of gateways) {
    const tls = (g.gateway.spec as { tls?: { backend?: { clientCertificateRef?: SecretRef }; frontend?: unknown } }).tls;
    if (tls === undefined) continue;
    const gen = g.gateway.metadata.generation;
    const resolvedRefs = (status: "True" | "False", reason: string, message: string): void =>
      setCondition(g.status.conditions, condition("ResolvedRefs", status, reason, message, gen));
    let ok = true;
    const ref = tls.backend?.clientCertificateRef;
    if (tls.backend !== undefined && ref !== undefined) {
      const kind = ref.kind ?? "Secret";
      if (kind !== "Secret") {
        resolvedRefs("False", "InvalidClientCertificateRef", `Invalid backend client certificate reference for gateway: invalid client certificate reference kind: ${kind}`);
        ok = false;
      } else if ((ref.group ?? "") !== "") {
        resolvedRefs("False", "InvalidClientCertificateRef", `Invalid backend client certificate reference for gateway: invalid client certificate reference group: ${ref.group ?? ""}`);
        ok = false;
      } else {
        const ns = ref.namespace !== undefined && ref.namespace !== "" ? ref.namespace : g.namespace;
        if (ns !== g.namespace && !isReferencePermitted({ group: "gateway.networking.k8s.io", kind: "Gateway", namespace: g.namespace }, { group: ref.group ?? "", kind, namespace: ns, name: ref.name }, index.referenceGrants)) {
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
