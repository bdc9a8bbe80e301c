import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands, runCli } from "@egts/egctl";

// A fake of the controller's admin API: every document answers but /api/nacks, which fails.
let server: Server;
let admin = "";
const dir = mkdtempSync(join(tmpdir(), "egctl-collect-"));
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/api/nacks") return res.writeHead(500).end("boom");
    if (req.url === "/metrics") return res.end("xds_nack_total 0\n");
    res.end(JSON.stringify({ served: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  admin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function egctl(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir });
  return { code, stdout, stderr };
}

describe("egctl x collect", () => {
  it("writes one .tar.gz that tar reads, with every document and the failures in errors.txt", async () => {
    const r = await egctl(["x", "collect", "--admin", admin, "-f", "bug.tar.gz"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(dir, "bug.tar.gz"));
    const listing = execFileSync("tar", ["-tzf", join(dir, "bug.tar.gz")], { encoding: "utf8" })
      .trim()
      .split("\n");
    const names = listing.map((n) => n.split("/")[1]);
    expect(names).toEqual(["server_info.json", "info.json", "config_dump.json", "resources.json", "status.json", "proxies.json", "metrics.txt", "errors.txt"]);
    const status = execFileSync("tar", ["-xzOf", join(dir, "bug.tar.gz"), listing.find((n) => n.endsWith("/status.json"))!], { encoding: "utf8" });
    expect(JSON.parse(status)).toEqual({ served: "/api/status" });
    const errors = execFileSync("tar", ["-xzOf", join(dir, "bug.tar.gz"), listing.find((n) => n.endsWith("/errors.txt"))!], { encoding: "utf8" });
    expect(errors).toBe("/api/nacks: 500 boom\n");
    expect(r.stderr).toContain("1 document(s) missing");
  });

  it("fails naming --admin when nothing answers", async () => {
    const bad = await egctl(["x", "collect", "--admin", "not a url"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--admin");
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const none = await egctl(["x", "collect", "--admin", `http://127.0.0.1:${port}`]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("nothing collected");
  });
});
