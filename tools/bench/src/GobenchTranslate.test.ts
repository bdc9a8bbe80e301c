// The translators' fast paths on the benchmark's own workload: the in-process path (IR as values) gives what
// the JSON path gives, and the memoising xDS translator gives exactly what a full translation gives (resources,
// order, bytes, versions, errors), on a first call and on a call with the same IR objects.
import { loadText, resourcesFromObjects } from "@egts/api";
import { translate, translateResultJson, translateToIR } from "@egts/gatewayapi-translator";
import { generateCertificates } from "@egts/xds-server";
import { createXdsTranslator, translateXds, type XdsTranslateResult } from "@egts/xds-translator";
import { describe, expect, it } from "vitest";
import { gobenchTranslateOptions, gobenchXdsOptions, gobenchYaml } from "./GobenchWorkload.js";

const options = gobenchTranslateOptions;
const xdsOptions = gobenchXdsOptions;

const shape = (r: XdsTranslateResult) => ({
  resources: (["listeners", "routes", "clusters", "endpoints", "secrets"] as const).map((kind) =>
    r[kind].map((x) => [x.name, x.version, Buffer.from(x.bytes).toString("base64")]),
  ),
  errors: r.errors.map((e) => e.message),
  patchPolicies: r.envoyPatchPolicyStatuses,
});

describe("gobench large through both translators", () => {
  it("gives the same result on the fast paths as on the plain ones", () => {
    const tls = generateCertificates({ serverDnsNames: ["www.example.com"] });
    const yaml = gobenchYaml("large", { certificate: tls.envoyGatewayCertificate, privateKey: tls.envoyGatewayPrivateKey });
    const loaded = loadText(yaml, "gobench-large.yaml", { applyDefaults: true, validate: true, defaultNamespace: "envoy-gateway-system" });
    const resources = resourcesFromObjects({ objects: loaded.objects.map((o) => ({ object: o.object })) });
    const now = new Date();
    const result = translateToIR(resources, options, now);
    expect(JSON.stringify(translateResultJson(result))).toBe(JSON.stringify(translate(resources, options, now)));
    expect(result.xdsIR.size).toBe(1);
    for (const ir of result.xdsIR.values()) {
      const full = shape(translateXds(ir, xdsOptions));
      // The workload's three HTTP listeners carry the same JWT requirements, its routes 500 clusters.
      expect(full.resources.map((list) => list.length)).toEqual([5, 3, 501, 501, 1]);
      expect(full.errors).toEqual([]);
      const memoising = createXdsTranslator(xdsOptions);
      expect(shape(memoising.translate(ir))).toEqual(full);
      // Same listeners (replayed), then equal copies of everything (rebuilt, equal resources taken over).
      expect(shape(memoising.translate({ ...ir }))).toEqual(full);
      expect(shape(memoising.translate(structuredClone(ir)))).toEqual(full);
    }
  }, 60_000);
});
