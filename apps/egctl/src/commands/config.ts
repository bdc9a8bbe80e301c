// `egctl config envoy-gateway`: the resources a running egts controller holds, as upstream's command dumps
// Envoy Gateway's (from its admin console's config dump; Secret values redacted there).
import { stringify } from "yaml";
import { EXIT_USAGE, type Command } from "../cli.js";
import { DEFAULT_ADMIN_URL, fetchAdminJson } from "../internal/AdminClient.js";

/** The `config envoy-gateway` command. */
export const configEnvoyGatewayCommand: Command = {
  path: ["config", "envoy-gateway"],
  summary: "Dump the resources a running egts controller holds (all, or one kind with --resource).",
  usage: "[--resource all|gateway|httproute|...] [--output yaml|json] [--admin URL]",
  options: {
    resource: { type: "string", short: "r", default: "all" },
    output: { type: "string", short: "o", default: "yaml" },
    admin: { type: "string", default: DEFAULT_ADMIN_URL },
  },
  async run(args, io) {
    const output = args.values["output"] as string;
    if (output !== "yaml" && output !== "json") {
      io.stderr("egctl config envoy-gateway: --output must be yaml or json\n");
      return EXIT_USAGE;
    }
    try {
      const resource = encodeURIComponent(args.values["resource"] as string);
      const dump = await fetchAdminJson(args.values["admin"] as string, `api/config_dump?resource=${resource}`);
      io.stdout(output === "json" ? `${JSON.stringify(dump, null, 2)}\n` : stringify(dump, { aliasDuplicateObjects: false }));
      return 0;
    } catch (e) {
      io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  },
};
