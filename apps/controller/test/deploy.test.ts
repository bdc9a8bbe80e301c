import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { customResourceDefinitions, decodeEnvoyGateway, isBuiltinKubernetesApiVersion, isError, loadText } from "@egts/api";
import { envoyWorkloadKinds, leaseKind, watchedKinds } from "@egts/provider-kubernetes";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolveSettings } from "../src/Config.js";

// Checks the manifests in deploy/ against the schemas and against what the Kubernetes provider needs.

const deploy = resolve(import.meta.dirname, "../../../deploy");
const manifests = readdirSync(deploy).filter((f) => f.endsWith(".yaml") && f !== "crds.yaml");
type Doc = {
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
};
const docs: Doc[] = manifests.flatMap((f) => parseAllDocuments(readFileSync(join(deploy, f), "utf8")).map((d) => d.toJS() as Doc));

const allows = (rules: Doc["rules"], group: string, resource: string, verb: string) =>
  (rules ?? []).some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));

describe("deploy/ manifests", () => {
  it("load without errors through @egts/api's loader", () => {
    expect(manifests.sort()).toEqual(["controller.yaml", "rbac.yaml"]);
    for (const f of manifests) {
      const result = loadText(readFileSync(join(deploy, f), "utf8"), f);
      // Kinds egts does not model (Deployment, RBAC...) are reported as unknown; everything else must be valid.
      const errors = result.problems.filter((p) => isError(p) && !(p.code === "unknown-kind" && isBuiltinKubernetesApiVersion(p.identity.apiVersion ?? "")));
      expect(errors.map((p) => p.message)).toEqual([]);
      expect(result.objects.length + result.unknown.length).toBeGreaterThan(0);
    }
  });

  it("configure the controller in Kubernetes mode with a valid EnvoyGateway", () => {
    const config = docs.find((d) => d.kind === "ConfigMap")!.data!["envoy-gateway.yaml"]!;
    const decoded = decodeEnvoyGateway(parseAllDocuments(config)[0]!.toJS());
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(resolveSettings(decoded.config, {}, "/").providerType).toBe("Kubernetes");
  });

  it("grant the provider read access to every kind it watches and write access to every status it writes", () => {
    const cluster = docs.find((d) => d.kind === "ClusterRole")!.rules;
    for (const k of [...watchedKinds, ...envoyWorkloadKinds]) {
      expect(allows(cluster, k.group, k.plural, "list") && allows(cluster, k.group, k.plural, "watch"), `${k.kind}`).toBe(true);
      if (k.hasStatus) expect(allows(cluster, k.group, `${k.plural}/status`, "update"), `${k.kind} status`).toBe(true);
    }
    expect(allows(cluster, "gateway.networking.k8s.io", "gatewayclasses", "patch")).toBe(true);
    const role = docs.find((d) => d.kind === "Role")!;
    expect(role.metadata.namespace).toBe("envoy-gateway-system");
    for (const verb of ["get", "create", "update"]) expect(allows(role.rules, leaseKind.group, leaseKind.plural, verb)).toBe(true);
    expect(allows(role.rules, "", "secrets", "create")).toBe(true);
  });

  it("have generated CRDs (tools/scripts/generate-crds.mjs) for every Gateway API and Envoy Gateway kind the provider watches", () => {
    const crds = customResourceDefinitions() as Array<{
      metadata: { name: string };
      spec: { versions: Array<{ name: string; storage: boolean; schema: { openAPIV3Schema: { type?: string } } }> };
    }>;
    const names = new Set(crds.map((c) => c.metadata.name));
    for (const k of watchedKinds.filter((w) => w.group.startsWith("gateway."))) expect(names.has(`${k.plural}.${k.group}`), k.kind).toBe(true);
    for (const c of crds) {
      expect(c.spec.versions.filter((v) => v.storage)).toHaveLength(1);
      for (const v of c.spec.versions) expect(v.schema.openAPIV3Schema.type).toBe("object");
    }
  });
});
