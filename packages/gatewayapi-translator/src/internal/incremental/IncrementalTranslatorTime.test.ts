import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { emptyResources, type Resources } from "@egts/api";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createIncrementalTranslator, translateToIR } from "../../index.js";

interface SecretFixture {
  readonly metadata: { readonly name: string };
  readonly data: Record<string, string>;
}

// A real certificate and key pair, read at run time from the reference corpus's fixtures.
const fixture = resolve(
  import.meta.dirname,
  "../../../../../../shared/reference/gatewayapi/gateway-with-listener-with-tls-terminate-and-passthrough/resources.yaml",
);
const secret = existsSync(fixture)
  ? (parse(readFileSync(fixture, "utf8")) as { secrets: SecretFixture[] }).secrets.find((s) => s.metadata.name === "tls-secret-1")
  : undefined;

const options = { gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller", gatewayClassName: "eg", controllerNamespace: "envoy-gateway-system" };

function resources(): Resources {
  return {
    ...emptyResources(),
    gatewayClass: {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "eg" },
      spec: { controllerName: options.gatewayControllerName },
    },
    gateways: [
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { namespace: "infra", name: "gw" },
        spec: {
          gatewayClassName: "eg",
          listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "cert" }] } }],
        },
      },
    ],
    secrets: [{ ...secret, metadata: { namespace: "infra", name: "cert" } }],
  } as unknown as Resources;
}

describe.skipIf(secret === undefined)("createIncrementalTranslator and the time", () => {
  it("reuses the result while `now` stays inside the certificate's validity, and runs the full path once it leaves it", () => {
    const cert = new X509Certificate(Buffer.from(secret?.data["tls.crt"] ?? "", "base64"));
    const notAfter = new Date(cert.validTo).getTime();
    const day = 86_400_000;
    const t = createIncrementalTranslator();
    const input = resources();
    t.translate(input, options, new Date(notAfter - 2 * day));
    const inside = new Date(notAfter - day);
    const reused = t.translate(input, options, inside);
    expect(t.lastRun?.path).toBe("unchanged");
    expect(reused).toEqual(translateToIR(input, options, inside));
    const after = new Date(notAfter + day);
    const expired = t.translate(input, options, after);
    expect(t.lastRun?.path).toBe("full");
    expect(expired).toEqual(translateToIR(input, options, after));
    expect(expired).not.toEqual(reused);
  });
});
