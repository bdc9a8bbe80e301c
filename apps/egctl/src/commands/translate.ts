// `egctl x translate`: Gateway API manifests -> the same resources with status, the IR, and/or the xDS each
// proxy would receive (as Envoy admin config dumps), in upstream egctl's output shape.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { JsonValue } from "@bufbuild/protobuf";
import { readStdin, type Resources } from "@egts/api";
import { translateResultJson, translateToIR, type TranslateOptions, type TranslateResultIR } from "@egts/gatewayapi-translator";
import { configDumpOf, configDumpTypeNames, translateXds, xdsResultError } from "@egts/xds-translator";
import { stringify } from "yaml";
import { EXIT_USAGE, type Command } from "../cli.js";
import { applyBootstrapConfig, bootstrapConfigProblem, checkedBootstrapJson, renderBootstrapYaml, type ProxyBootstrapConfig } from "@egts/bootstrap";
import { createLuaValidator } from "@egts/lua-validator";
import { loadTranslateInput, TranslateInputError } from "../internal/TranslateInput.js";

const INPUT_TYPES = ["gateway-api"] as const;
const OUTPUT_TYPES = ["xds", "gateway-api", "ir"] as const;
const RESOURCE_TYPES = ["bootstrap", "endpoint", "cluster", "listener", "route", "all"] as const;
type ResourceType = (typeof RESOURCE_TYPES)[number];

/** Ports of upstream's global rate limit service, by the namespace egctl is told Envoy Gateway runs in. */
const rateLimitServiceUrl = (namespace: string, dnsDomain: string) => `grpc://envoy-ratelimit.${namespace}.svc.${dnsDomain}:8081`;

function translateOptions(resources: Resources): TranslateOptions {
  const gatewayClass = resources.gatewayClass!;
  return {
    gatewayControllerName: gatewayClass.spec.controllerName,
    gatewayClassName: gatewayClass.metadata.name,
    controllerNamespace: "",
    globalRateLimitEnabled: true,
    endpointRoutingDisabled: true,
    envoyPatchPolicyEnabled: true,
    backendEnabled: true,
  };
}

const acceptedCondition = (accepted: boolean, reason: string, message: string) => ({
  type: "Accepted",
  status: accepted ? "True" : "False",
  reason,
  message,
  lastTransitionTime: null,
});

/** The bootstrap a proxy of this EnvoyProxy starts with, in proto3 JSON; throws when it cannot be built. */
function proxyBootstrapJson(config: ProxyBootstrapConfig | undefined): JsonValue {
  const defaultYaml = renderBootstrapYaml();
  const applied = config === undefined ? { ok: true as const, yaml: defaultYaml } : applyBootstrapConfig(config, defaultYaml);
  if (!applied.ok) throw new Error(applied.error);
  const checked = checkedBootstrapJson(applied.yaml, config === undefined ? "default" : "user");
  if (!checked.ok) throw new Error(checked.error);
  return checked.json;
}

/** The translated resources with status, the GatewayClass marked accepted unless its EnvoyProxy is invalid. */
function toGatewayApi(resources: Resources, result: TranslateResultIR): Record<string, unknown> {
  const lists = result.resources;
  const proxy = resources.envoyProxyForGatewayClass;
  const problem = proxy ? bootstrapConfigProblem(proxy.spec?.bootstrap as ProxyBootstrapConfig | undefined) : undefined;
  const condition =
    problem === undefined
      ? acceptedCondition(true, "Accepted", "Valid GatewayClass")
      : acceptedCondition(false, "InvalidParameters", `Invalid parametersRef: ${problem}`);
  return { ...lists, gatewayClass: { ...resources.gatewayClass, status: { conditions: [condition] } } };
}

function toXds(resources: Resources, result: TranslateResultIR, resourceType: ResourceType, namespace: string, dnsDomain: string): Record<string, JsonValue> {
  const irs = result.xdsIR;
  const proxySpec = resources.envoyProxyForGatewayClass?.spec as { bootstrap?: ProxyBootstrapConfig; filterOrder?: unknown } | undefined;
  const bootstrap = proxyBootstrapJson(proxySpec?.bootstrap);
  const out: Record<string, JsonValue> = {};
  for (const key of [...irs.keys()].sort()) {
    const xds = translateXds(irs.get(key)!, {
      globalRateLimitServiceURL: rateLimitServiceUrl(namespace, dnsDomain),
      ...(proxySpec?.filterOrder !== undefined ? { filterOrder: proxySpec.filterOrder as never } : {}),
    });
    const error = xdsResultError(xds);
    if (error !== undefined) throw new Error(`failed to translate xds ir for key ${key}, error:${error}`);
    const dump = configDumpOf(xds, bootstrap);
    if (resourceType === "all") {
      out[key] = { configs: dump.configs as unknown as JsonValue[] };
    } else {
      const typeUrl = `type.googleapis.com/${configDumpTypeNames[resourceType]}`;
      const found = dump.configs.find((c) => c["@type"] === typeUrl);
      if (found === undefined) throw new Error(`unknown resourceType ${resourceType}`);
      out[key] = found as JsonValue;
    }
  }
  return out;
}

/** The `x translate` command. */
export const translateCommand: Command = {
  path: ["x", "translate"],
  summary: "Translate configuration from an input type to an output type.",
  usage: "--file FILE [--from gateway-api] [--to gateway-api,xds,ir] [--type all|bootstrap|cluster|endpoint|listener|route] [--output yaml|json]",
  options: {
    file: { type: "string", short: "f" },
    from: { type: "string", default: "gateway-api" },
    to: { type: "string", multiple: true },
    output: { type: "string", short: "o", default: "yaml" },
    type: { type: "string", short: "t", default: "all" },
    "add-missing-resources": { type: "boolean", default: false },
    "dns-domain": { type: "string", default: "cluster.local" },
    namespace: { type: "string", short: "n", default: "envoy-gateway-system" },
  },
  async run(args, io) {
    const v = args.values;
    const from = v["from"] as string;
    const to = ((v["to"] as string[] | undefined) ?? ["gateway-api,xds"]).flatMap((s) => s.split(",")).filter(Boolean);
    const resourceType = v["type"] as string;
    const file = v["file"] as string | undefined;
    if (!(INPUT_TYPES as readonly string[]).includes(from)) {
      io.stderr(`Error: ${from} is not a valid input type. Valid types are [${INPUT_TYPES.join(" ")}].\n`);
      return EXIT_USAGE;
    }
    const badOut = to.find((t) => !(OUTPUT_TYPES as readonly string[]).includes(t));
    if (badOut !== undefined) {
      io.stderr(`Error: ${badOut} is not a valid output type. Valid types are [${OUTPUT_TYPES.join(" ")}].\n`);
      return EXIT_USAGE;
    }
    if (!(RESOURCE_TYPES as readonly string[]).includes(resourceType)) {
      io.stderr(`Error: ${resourceType} is not a valid output type. Valid types are [${RESOURCE_TYPES.join(" ")}].\n`);
      return EXIT_USAGE;
    }
    if (file === undefined || file === "") {
      io.stderr("Error: --file must be specified\n");
      return EXIT_USAGE;
    }
    try {
      const text = file === "-" ? await readStdin(io.stdin ?? process.stdin) : readFileSync(resolve(io.cwd, file), "utf8");
      const resources = loadTranslateInput(text, file, {
        addMissingResources: v["add-missing-resources"] === true,
        defaultBootstrap: renderBootstrapYaml,
      });
      if (resources.gatewayClass === undefined) throw new TranslateInputError("the GatewayClass resource is required");
      // The IR goes from one translator to the other as @egts/ir values; only the `ir` output needs its JSON form.
      const options: TranslateOptions = { ...translateOptions(resources), luaValidator: await createLuaValidator() };
      const result = translateToIR(resources, options);
      let output: Record<string, unknown> = {};
      for (const outType of to) {
        if (outType === "gateway-api") output = { ...output, ...toGatewayApi(resources, result) };
        if (outType === "xds") output.xds = toXds(resources, result, resourceType as ResourceType, v["namespace"] as string, v["dns-domain"] as string);
        if (outType === "ir") output = { ...output, ...translateResultJson(result) };
      }
      io.stdout(v["output"] === "json" ? `${JSON.stringify(output)}\n` : `${stringify(output, { aliasDuplicateObjects: false })}\n`);
      return 0;
    } catch (e) {
      io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  },
};
