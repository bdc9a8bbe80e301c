// `egctl x collect`: one archive for a bug report with what a running controller holds: the xDS config dumps,
// the provider's resources (Secret values redacted by the controller), statuses and errors, NACKs, proxies,
// server info and metrics. A document that cannot be fetched is recorded in errors.txt, not fatal.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { EXIT_USAGE, type Command } from "../cli.js";
import { DEFAULT_ADMIN_URL } from "../internal/AdminClient.js";
import { tar, type TarEntry } from "../internal/Tar.js";

/** What `x collect` fetches from the admin server, and the file each lands in. */
export const COLLECTED: ReadonlyArray<{ readonly path: string; readonly file: string }> = [
  { path: "/api/server_info", file: "server_info.json" },
  { path: "/api/info", file: "info.json" },
  { path: "/api/config_dump", file: "config_dump.json" },
  { path: "/api/config_dump?resource=all", file: "resources.json" },
  { path: "/api/status", file: "status.json" },
  { path: "/api/nacks", file: "nacks.json" },
  { path: "/api/proxies", file: "proxies.json" },
  { path: "/metrics", file: "metrics.txt" },
];

/** The `x collect` command. */
export const collectCommand: Command = {
  path: ["x", "collect"],
  summary: "Collect what a running controller holds (config dumps, resources, statuses, NACKs, proxies, metrics) into one .tar.gz for a bug report.",
  usage: "[--output-file FILE] [--admin URL]",
  options: {
    "output-file": { type: "string", short: "f" },
    admin: { type: "string", default: DEFAULT_ADMIN_URL },
  },
  async run(args, io) {
    const admin = args.values["admin"] as string;
    let base: URL;
    try {
      base = new URL(admin.endsWith("/") ? admin : `${admin}/`);
    } catch {
      io.stderr(`egctl x collect: --admin: not a URL: "${admin}"\n`);
      return EXIT_USAGE;
    }
    const stamp = new Date();
    const dir = `egctl-collect-${stamp.toISOString().replace(/[:.]/g, "-")}`;
    const file = resolve(io.cwd, (args.values["output-file"] as string | undefined) ?? `${dir}.tar.gz`);
    const entries: TarEntry[] = [];
    const errors: string[] = [];
    for (const { path, file: name } of COLLECTED) {
      try {
        const res = await fetch(new URL(path.slice(1), base), { signal: AbortSignal.timeout(10_000) });
        const body = await res.text();
        if (!res.ok) throw new Error(`${res.status} ${body.trim()}`);
        entries.push({ name: `${dir}/${name}`, content: body, mtime: stamp });
      } catch (e) {
        errors.push(`${path}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (entries.length === 0) {
      io.stderr(`egctl x collect: nothing collected from ${base.origin} (is the controller running? --admin):\n  ${errors.join("\n  ")}\n`);
      return 1;
    }
    if (errors.length > 0) entries.push({ name: `${dir}/errors.txt`, content: `${errors.join("\n")}\n`, mtime: stamp });
    try {
      writeFileSync(file, gzipSync(tar(entries)));
    } catch (e) {
      io.stderr(`egctl x collect: --output-file ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    io.stdout(`${file}\n`);
    if (errors.length > 0) io.stderr(`egctl x collect: ${errors.length} document(s) missing, see errors.txt in the archive\n`);
    return 0;
  },
};
