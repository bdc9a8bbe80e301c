// `egctl config envoy-proxy {all,bootstrap,cluster,endpoint,listener,route}` and `egctl x stats envoy-proxy`:
// what running Envoy proxies hold, from their admin interface (/config_dump, /stats, /clusters), as upstream's
// egctl prints it: `{ <namespace>: { <pod or proxy>: <dump> } }`, JSON (default) or YAML.
import { stringify } from "yaml";
import { EXIT_USAGE, type Command, type CommandOptions, type ParsedArgs } from "../cli.js";
import { proxySourceOf, proxyTargets, type ProxySelection, type ProxyTarget } from "../internal/EnvoyProxies.js";

/** Flags shared by the proxy commands: where the proxies are and which ones. */
const proxyOptions: CommandOptions = {
  namespace: { type: "string", short: "n" },
  labels: { type: "string", short: "l", multiple: true },
  kubeconfig: { type: "string" },
  context: { type: "string" },
  admin: { type: "string" },
};

const str = (args: ParsedArgs, name: string): string | undefined => args.values[name] as string | undefined;

function selectionOf(args: ParsedArgs): ProxySelection {
  const name = args.positionals[0];
  const namespace = str(args, "namespace");
  return {
    ...(name !== undefined && name !== "" ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    labels: (args.values["labels"] as string[] | undefined) ?? [],
    allNamespaces: args.values["all-namespaces"] === true,
  };
}

function sourceOf(args: ParsedArgs) {
  const flags: { admin?: string; kubeconfig?: string; context?: string } = {};
  for (const name of ["admin", "kubeconfig", "context"] as const) {
    const value = str(args, name);
    if (value !== undefined) flags[name] = value;
  }
  return proxySourceOf(flags);
}

/** JSON with every object's keys sorted, as upstream's map-based marshalling prints it. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/** Runs `each` on every target (in parallel); the results by namespace and name, or every failure. */
async function perTarget<T>(targets: ReadonlyArray<ProxyTarget>, each: (t: ProxyTarget) => Promise<T>): Promise<Record<string, Record<string, T>>> {
  const results = await Promise.allSettled(targets.map(each));
  const errors = results.flatMap((r, i) =>
    r.status === "rejected" ? [`${targets[i]!.namespace}/${targets[i]!.name}: ${(r.reason as Error).message ?? r.reason}`] : [],
  );
  if (errors.length > 0) throw new Error(errors.join("\n"));
  const out: Record<string, Record<string, T>> = {};
  results.forEach((r, i) => {
    const t = targets[i]!;
    (out[t.namespace] ??= {})[t.name] = (r as PromiseFulfilledResult<T>).value;
  });
  return out;
}

/** The part of an Envoy config dump one `config envoy-proxy` subcommand prints. */
const CONFIG_TYPES = {
  all: { dumpType: undefined, includeEds: true },
  bootstrap: { dumpType: "BootstrapConfigDump", includeEds: false },
  cluster: { dumpType: "ClustersConfigDump", includeEds: false },
  endpoint: { dumpType: "EndpointsConfigDump", includeEds: true },
  listener: { dumpType: "ListenersConfigDump", includeEds: false },
  route: { dumpType: "RoutesConfigDump", includeEds: false },
} as const;

type ConfigType = keyof typeof CONFIG_TYPES;

/** Picks the part of a proxy's /config_dump answer `type` asks for (upstream: the config whose @type matches). */
export function selectConfigDump(text: string, type: ConfigType): unknown {
  let dump: { configs?: Array<{ "@type"?: string }> };
  try {
    dump = JSON.parse(text) as typeof dump;
  } catch {
    throw new Error("the admin interface's /config_dump answer is not JSON");
  }
  const wanted = CONFIG_TYPES[type].dumpType;
  if (wanted === undefined) return dump;
  const found = (dump.configs ?? []).find((c) => c["@type"] === `type.googleapis.com/envoy.admin.v3.${wanted}`);
  if (found === undefined) throw new Error(`the config dump has no ${wanted}`);
  return found;
}

function configCommand(type: ConfigType): Command {
  const what = type === "all" ? "all Envoy xDS resources" : `${type} Envoy xDS resources`;
  return {
    path: ["config", "envoy-proxy", type],
    summary: `Retrieve ${what} from Envoy proxies (a pod or host proxy by name, -l labels, or -A).`,
    usage: "[<pod-name>] [-n NAMESPACE] [-l KEY=VALUE...] [-A] [-o json|yaml] [--kubeconfig FILE] [--context NAME] [--admin URL]",
    options: { ...proxyOptions, "all-namespaces": { type: "boolean", short: "A", default: false }, output: { type: "string", short: "o", default: "json" } },
    allowPositionals: true,
    async run(args, io) {
      const cmd = `egctl config envoy-proxy ${type}`;
      const output = str(args, "output");
      if (output !== "json" && output !== "yaml") {
        io.stderr(`${cmd}: --output: "${output}" is not one of json, yaml\n`);
        return EXIT_USAGE;
      }
      if (args.positionals.length > 1) {
        io.stderr(`${cmd}: one pod name at most, got ${args.positionals.length}: ${args.positionals.join(" ")}\n`);
        return EXIT_USAGE;
      }
      try {
        const targets = await proxyTargets(sourceOf(args), selectionOf(args));
        const { includeEds } = CONFIG_TYPES[type];
        const dumps = await perTarget(targets, async (t) => selectConfigDump(await t.get(includeEds ? "config_dump?include_eds" : "config_dump"), type));
        const sorted = sortKeys(dumps);
        io.stdout(output === "yaml" ? `${stringify(sorted, { aliasDuplicateObjects: false, lineWidth: 0 })}\n` : `${JSON.stringify(sorted, null, 2)}\n`);
        return 0;
      } catch (e) {
        io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
        return 1;
      }
    },
  };
}

/** `config envoy-proxy all|bootstrap|cluster|endpoint|listener|route`. */
export const configEnvoyProxyCommands: ReadonlyArray<Command> = (Object.keys(CONFIG_TYPES) as ConfigType[]).map(configCommand);

/** The admin path `x stats envoy-proxy` reads for a stats type and output (upstream: JSON for json/yaml, else text). */
export function statsPath(type: "server" | "clusters", output: string): string {
  const structured = output === "json" || output === "yaml";
  if (type === "clusters") return structured ? "clusters?format=json" : "clusters";
  return structured ? "stats?format=json" : "stats/prometheus";
}

/** `x stats envoy-proxy`. */
export const statsEnvoyProxyCommand: Command = {
  path: ["x", "stats", "envoy-proxy"],
  summary: "Retrieve the stats Envoy proxies emit (server stats in Prometheus text by default, or --type clusters).",
  usage: "[<pod-name>] [-n NAMESPACE] [-l KEY=VALUE...] [-t server|clusters] [-o prom|json|yaml] [--kubeconfig FILE] [--context NAME] [--admin URL]",
  options: { ...proxyOptions, type: { type: "string", short: "t", default: "server" }, output: { type: "string", short: "o", default: "statsd" } },
  allowPositionals: true,
  async run(args, io) {
    const cmd = "egctl x stats envoy-proxy";
    const selection = selectionOf(args);
    if (args.positionals.length !== 1 && selection.labels.length === 0) {
      io.stderr(`${cmd}: stats requires pod name or label selector (--labels)\n`);
      return EXIT_USAGE;
    }
    const rawType = str(args, "type") ?? "server";
    const type = rawType === "" || rawType === "server" ? "server" : rawType === "cluster" || rawType === "clusters" ? "clusters" : undefined;
    if (type === undefined) {
      io.stderr(`${cmd}: --type: unknown stats type ${rawType} (server, clusters)\n`);
      return EXIT_USAGE;
    }
    const output = str(args, "output") ?? "statsd";
    try {
      const targets = await proxyTargets(sourceOf(args), selection);
      const byProxy = await perTarget(targets, (t) => t.get(statsPath(type, output)));
      const flat: Record<string, string> = {};
      for (const [namespace, proxies] of Object.entries(byProxy)) for (const [name, text] of Object.entries(proxies)) flat[`${namespace}/${name}`] = text;
      if (output === "yaml") io.stdout(stringify(sortKeys(flat), { lineWidth: 0 }));
      else for (const [key, text] of Object.entries(flat).sort(([a], [b]) => (a < b ? -1 : 1))) io.stdout(`${key}:\n${text}`);
      return 0;
    } catch (e) {
      io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  },
};
