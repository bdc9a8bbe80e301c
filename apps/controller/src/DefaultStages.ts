import { translateToIR } from "@egts/gatewayapi-translator";
import { translateXds, type XdsResource } from "@egts/xds-translator";
import type { GatewayApiTranslation, PipelineStages, ResourceStatus, XdsResourceEntry } from "./Stages.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Collects `{kind, namespace, name, status}` of every object in the translate result that carries a status. */
export function statusesOf(result: Record<string, unknown>): ResourceStatus[] {
  const statuses: ResourceStatus[] = [];
  const visit = (value: unknown): void => {
    if (!isRecord(value) || !("status" in value)) return;
    const metadata = isRecord(value["metadata"]) ? value["metadata"] : {};
    const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : undefined;
    statuses.push({
      kind: String(value["kind"] ?? ""),
      ...(namespace !== undefined ? { namespace } : {}),
      name: String(metadata["name"] ?? ""),
      status: value["status"],
    });
  };
  for (const [key, value] of Object.entries(result)) {
    if (key === "xdsIR" || key === "infraIR") continue;
    if (Array.isArray(value)) value.forEach(visit);
    else visit(value);
  }
  return statuses;
}

const entries = <T extends object>(list: ReadonlyArray<XdsResource<T>>): XdsResourceEntry[] =>
  list.map((r) => ({ name: r.name, message: r.message, bytes: r.bytes }));

/** The stages backed by @egts/gatewayapi-translator and @egts/xds-translator. */
export function defaultStages(): PipelineStages {
  return {
    translateGatewayApi(resources, settings): GatewayApiTranslation {
      // The IR is handed on as @egts/ir values, with no JSON round trip between the two translators.
      const result = translateToIR(resources, settings);
      return { xdsIR: result.xdsIR, infraIR: result.infraIR, statuses: statusesOf(result.resources) };
    },
    translateXds(ir, settings) {
      const result = translateXds(ir, {
        controllerNamespace: settings.controllerNamespace,
        dnsDomain: settings.dnsDomain,
        ...(settings.runtimeFlags !== undefined ? { runtimeFlags: settings.runtimeFlags } : {}),
      });
      return {
        resources: {
          listeners: entries(result.listeners),
          routes: entries(result.routes),
          clusters: entries(result.clusters),
          endpoints: entries(result.endpoints),
          secrets: entries(result.secrets),
        },
        errors: result.errors.map((e) => e.message),
      };
    },
  };
}
