import { join } from "node:path";
import { rmSync } from "node:fs";
import type { Infra } from "@egts/ir";
import { proxyRenderer, rateLimitRenderer, type EnvoyGatewayView, type RenderResult } from "@egts/infra-k8s";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/** One infra case's input (reference/infra.md). */
interface InfraCase {
  readonly component: "proxy" | "ratelimit";
  readonly object: string;
  readonly controllerNamespace: string;
  readonly dnsDomain?: string;
  readonly envoyGateway: EnvoyGatewayView;
  readonly infra?: Infra;
  readonly ownerReferenceUIDs?: Record<string, string>;
  readonly extra?: { readonly configMapCert?: string };
}

function render(input: InfraCase): RenderResult {
  if (input.component === "ratelimit") {
    const r = rateLimitRenderer({
      envoyGateway: input.envoyGateway,
      namespace: input.controllerNamespace,
      ...(input.ownerReferenceUIDs ? { ownerReferenceUIDs: input.ownerReferenceUIDs } : {}),
    });
    switch (input.object) {
      case "Deployment":
        return r.deployment();
      case "Service":
        return r.service();
      case "ConfigMap":
        return r.configMap();
      case "ServiceAccount":
        return r.serviceAccount();
      case "HorizontalPodAutoscaler":
        return r.horizontalPodAutoscaler();
      case "PodDisruptionBudget":
        return r.podDisruptionBudget();
    }
    return { ok: false, error: `no ${input.object} for the rate-limit service` };
  }
  const proxy = input.infra?.proxy;
  if (proxy === undefined) return { ok: false, error: "input.json: infra.proxy is missing" };
  const r = proxyRenderer(proxy, {
    envoyGateway: input.envoyGateway,
    controllerNamespace: input.controllerNamespace,
    dnsDomain: input.dnsDomain ?? "cluster.local",
    ...(input.ownerReferenceUIDs ? { ownerReferenceUIDs: input.ownerReferenceUIDs } : {}),
  });
  switch (input.object) {
    case "Deployment":
      return r.deployment();
    case "DaemonSet":
      return r.daemonSet();
    case "Service":
      return r.service();
    case "ConfigMap":
      return r.configMap(input.extra?.configMapCert ?? "");
    case "ServiceAccount":
      return r.serviceAccount();
    case "HorizontalPodAutoscaler":
      return r.horizontalPodAutoscaler();
    case "PodDisruptionBudget":
      return r.podDisruptionBudget();
  }
  return { ok: false, error: `unknown object kind ${input.object}` };
}

/** Renders every infra case's object with @egts/infra-k8s: input.json -> actual.json (or error.txt). */
export function renderInfraSuite(corpus: string, out: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "infra")) {
    const actualDir = join(out, "infra", name);
    rmSync(actualDir, { recursive: true, force: true });
    try {
      const result = render(readJson(join(corpus, "infra", name, "input.json")) as InfraCase);
      if (result.ok) writeJson(join(actualDir, "actual.json"), result.object ?? null);
      else writeText(join(actualDir, "error.txt"), result.error);
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "infra", written, skipped: 0 };
}
