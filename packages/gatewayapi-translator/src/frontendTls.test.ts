import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { emptyResources, type Resources } from "@egts/api";
import { translate, type TranslateOptions } from "./index.js";

type Json = Record<string, any>;

// A valid certificate and key pair, borrowed at run time from the reference corpus's fixtures.
const fixture = resolve(import.meta.dirname, "../../../../shared/reference/gatewayapi/gateway-with-listener-with-tls-terminate-and-passthrough/resources.yaml");
const listenerSecret = existsSync(fixture)
  ? ((parse(readFileSync(fixture, "utf8")) as Json).secrets as Json[]).find((s) => s.metadata.name === "tls-secret-1")
  : undefined;

const options: TranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "envoy-gateway-system",
};

function run(frontend: Json, configMaps: Json[]): Json {
  const secret = { ...listenerSecret, metadata: { namespace: "infra", name: "cert" } };
  const gateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { namespace: "infra", name: "gw" },
    spec: {
      gatewayClassName: "eg",
      listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "cert" }] } }],
      tls: { frontend },
    },
  };
  const resources = { ...emptyResources(), gateways: [gateway], secrets: [secret], configMaps } as unknown as Resources;
  return translate(resources, options) as Json;
}

describe.skipIf(listenerSecret === undefined)("Gateway frontend TLS validation", () => {
  const ca = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { namespace: "infra", name: "ca" },
    data: { "ca.crt": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
  };
  const refs = [{ group: "", kind: "ConfigMap", name: "ca" }];

  it("requires and verifies client certificates on HTTPS listeners", () => {
    const out = run({ default: { validation: { caCertificateRefs: refs } } }, [ca]);
    const tls = out.xdsIR["infra/gw"].http[0].tls;
    expect(tls).toMatchObject({ clientValidationEnabled: true, requireClientCertificate: true, caCertificate: { name: "gateway/infra/gw/default/ca.crt" } });
    expect(Buffer.from(tls.caCertificate.certificate, "base64").toString()).toBe(ca.data["ca.crt"]);
    const gwConditions = out.gateways[0].status.conditions.map((c: Json) => `${c.type}/${c.status}/${c.reason}`);
    expect(gwConditions).toEqual(["ResolvedRefs/True/ResolvedRefs"]);
  });

  it("accepts untrusted clients in AllowInsecureFallback mode and says so on the Gateway", () => {
    const out = run({ default: { validation: { caCertificateRefs: refs, mode: "AllowInsecureFallback" } } }, [ca]);
    expect(out.xdsIR["infra/gw"].http[0].tls).toMatchObject({ acceptUntrusted: true, clientValidationEnabled: true });
    expect(out.gateways[0].status.conditions.map((c: Json) => c.type)).toContain("InsecureFrontendValidationMode");
  });

  it("takes a listener out of service when its CA cannot be resolved", () => {
    const out = run({ default: { validation: { caCertificateRefs: refs } } }, []);
    const listener = out.gateways[0].status.listeners[0];
    expect(Object.fromEntries(listener.conditions.map((c: Json) => [c.type, `${c.status}/${c.reason}`]))).toMatchObject({
      Accepted: "False/NoValidCACertificate",
      Programmed: "False/InvalidCACertificateRef",
    });
    expect(out.xdsIR["infra/gw"].http).toBeUndefined();
    expect(out.gateways[0].status.conditions[0]).toMatchObject({ type: "ResolvedRefs", status: "False", reason: "InvalidParameters" });
  });
});
