import { loadText } from "@egts/api";
import { describe, expect, it } from "vitest";
import { generateCertificates } from "@egts/xds-server";
import { gobenchYaml } from "./GobenchWorkload.js";

const tls = (() => {
  const c = generateCertificates({ keyAlgorithm: "ecdsa-p256", serverDnsNames: ["www.example.com"] });
  return { certificate: c.envoyGatewayCertificate, privateKey: c.envoyGatewayPrivateKey };
})();

const kindCounts = (yaml: string) => {
  const loaded = loadText(yaml, "gobench.yaml", { applyDefaults: true, validate: true });
  const counts: Record<string, number> = {};
  for (const o of loaded.objects) counts[o.object.kind] = (counts[o.object.kind] ?? 0) + 1;
  return { counts, errors: loaded.problems.filter((p) => p.code !== "warning") };
};

describe("gobenchYaml", () => {
  it("builds upstream's large case: the object families and counts and counts the Go benchmark generates", () => {
    const { counts, errors } = kindCounts(gobenchYaml("large", tls));
    expect(errors).toEqual([]);
    expect(counts).toEqual({
      GatewayClass: 1,
      Gateway: 1,
      Backend: 1,
      Secret: 1,
      ClientTrafficPolicy: 1,
      HTTPRoute: 500,
      GRPCRoute: 250,
      UDPRoute: 100,
      ConfigMap: 500,
      SecurityPolicy: 500,
      BackendTrafficPolicy: 500,
      EnvoyExtensionPolicy: 500,
      Service: 500,
      EndpointSlice: 500,
    });
  });

  it("builds the small case with one object of each policy kind and the ext-proc Service", () => {
    const { counts, errors } = kindCounts(gobenchYaml("small", tls));
    expect(errors).toEqual([]);
    expect(counts).toMatchObject({ HTTPRoute: 1, SecurityPolicy: 1, BackendTrafficPolicy: 1, EnvoyExtensionPolicy: 1, Service: 1 });
  });
});
