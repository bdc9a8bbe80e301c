// `egctl x status`: the conditions the controller wrote for each resource, as a table (upstream's egctl x status
// reads them from the Kubernetes API; in standalone mode the controller's admin API holds them).
import { stringify } from "yaml";
import { EXIT_USAGE, type Command } from "../cli.js";
import { DEFAULT_ADMIN_URL, fetchAdminJson } from "../internal/AdminClient.js";

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}
interface StatusEntry {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status?: {
    readonly conditions?: Condition[];
    readonly parents?: { conditions?: Condition[] }[];
    readonly ancestors?: { conditions?: Condition[] }[];
  };
}
interface StatusDocument {
  readonly gatewayClasses?: Record<string, { readonly resources?: StatusEntry[]; readonly errors?: unknown[] }>;
  readonly provider?: { readonly problems?: unknown[] };
}

/** The conditions of an object: its own, else those it holds per parent (routes) or ancestor (policies). */
function conditionsOf(entry: StatusEntry): Condition[] {
  const s = entry.status ?? {};
  return [...(s.conditions ?? []), ...(s.parents ?? []).flatMap((p) => p.conditions ?? []), ...(s.ancestors ?? []).flatMap((a) => a.conditions ?? [])];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3)))
          .join("")
          .trimEnd(),
      )
      .join("\n") + "\n"
  );
}

/** The `x status` command. */
export const statusCommand: Command = {
  path: ["x", "status"],
  summary: "Show the status conditions of resources (all, or one kind: gateway, httproute, ...) from a running egts controller.",
  usage: "[KIND] [--namespace NS] [--verbose] [--output table|yaml|json] [--admin URL]",
  options: {
    namespace: { type: "string", short: "n" },
    verbose: { type: "boolean", short: "v", default: false },
    output: { type: "string", short: "o", default: "table" },
    admin: { type: "string", default: DEFAULT_ADMIN_URL },
  },
  allowPositionals: true,
  async run(args, io) {
    const kind = (args.positionals[0] ?? "all").toLowerCase();
    const output = args.values["output"] as string;
    if (!["table", "yaml", "json"].includes(output)) {
      io.stderr(`egctl x status: --output must be table, yaml or json\n`);
      return EXIT_USAGE;
    }
    let doc: StatusDocument;
    try {
      doc = (await fetchAdminJson(args.values["admin"] as string, "api/status")) as StatusDocument;
    } catch (e) {
      io.stderr(`Error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    const namespace = args.values["namespace"] as string | undefined;
    const entries = Object.values(doc.gatewayClasses ?? {})
      .flatMap((c) => c.resources ?? [])
      .filter((e) => kind === "all" || e.kind.toLowerCase() === kind)
      .filter((e) => namespace === undefined || e.namespace === namespace);
    if (output !== "table") {
      io.stdout(output === "json" ? `${JSON.stringify(entries, null, 2)}\n` : stringify(entries));
      return 0;
    }
    const verbose = args.values["verbose"] === true;
    const header = ["KIND", "NAMESPACE", "NAME", "TYPE", "STATUS", "REASON", ...(verbose ? ["MESSAGE"] : [])];
    const rows = [header];
    for (const e of entries) {
      const conditions = conditionsOf(e);
      if (conditions.length === 0) rows.push([e.kind, e.namespace ?? "", e.name, "", "", "", ...(verbose ? [""] : [])]);
      // One line per object (its last condition) unless --verbose asks for every condition.
      for (const c of verbose ? conditions : conditions.slice(-1)) {
        rows.push([e.kind, e.namespace ?? "", e.name, c.type, c.status, c.reason ?? "", ...(verbose ? [c.message ?? ""] : [])]);
      }
    }
    io.stdout(rows.length === 1 ? "No resources found.\n" : table(rows));
    const problems = doc.provider?.problems?.length ?? 0;
    if (problems > 0)
      io.stderr(`${problems} input problem${problems === 1 ? "" : "s"} reported by the provider (see --output yaml or the admin API's /api/status)\n`);
    return 0;
  },
};
