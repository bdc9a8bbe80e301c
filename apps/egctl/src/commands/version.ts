// `egctl version`: this client's versions and, when a controller answers on the admin URL, the server's
// (upstream asks the envoy-gateway pods; egts asks the controller's admin API, /api/info).
import { readFileSync } from "node:fs";
import { stringify } from "yaml";
import { EXIT_USAGE, type Command } from "../cli.js";
import { DEFAULT_ADMIN_URL, fetchAdminJson } from "../internal/AdminClient.js";

/** The upstream Envoy Gateway release whose behaviour egts follows, and the versions that release pins. */
export const UPSTREAM_VERSIONS = {
  envoyGatewayVersion: "v1.9.0",
  gatewayAPIVersion: "v1.6.1",
  envoyProxyVersion: "distroless-v1.39.0",
} as const;

function packageVersion(): string {
  try {
    // dist/commands/version.js -> the package's package.json
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    return "unknown";
  }
}

/** This egctl's version information, in upstream's field names plus the egts and Node.js versions. */
export function clientVersion(): Record<string, string> {
  return { egtsVersion: packageVersion(), ...UPSTREAM_VERSIONS, nodeVersion: process.version };
}

/** The `version` command. */
export const versionCommand: Command = {
  path: ["version"],
  summary: "Show the versions of egctl and of the running controller (--remote=false: egctl only).",
  usage: "[--output yaml|json] [--remote|--no-remote] [--admin URL]",
  options: {
    output: { type: "string", short: "o", default: "yaml" },
    remote: { type: "boolean", short: "r" },
    "no-remote": { type: "boolean" },
    admin: { type: "string", default: DEFAULT_ADMIN_URL },
  },
  async run(args, io) {
    const output = args.values["output"] as string;
    if (output !== "yaml" && output !== "json") {
      io.stderr(`egctl version: --output must be yaml or json, not "${output}"\n`);
      return EXIT_USAGE;
    }
    const client = clientVersion();
    if (args.values["no-remote"] === true) {
      io.stdout(`${client["egtsVersion"]}\n`);
      return 0;
    }
    // Asked explicitly (--remote), an unreachable controller is an error; by default it only drops the server part.
    const required = args.values["remote"] === true;
    const doc: Record<string, unknown> = { client };
    try {
      doc["server"] = await fetchAdminJson(args.values["admin"] as string, "/api/info", 3_000);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (required) {
        io.stderr(`egctl version: --remote: ${message}\n`);
        return 1;
      }
      io.stderr(`egctl version: server version omitted: ${message}\n`);
    }
    io.stdout(output === "json" ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
    return 0;
  },
};
