import { execFileSync, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commands, runCli } from "@egts/egctl";

async function egctl(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

// A fake of the controller's admin API: only /api/info, which `egctl version` reads.
let server: Server;
let admin = "";
beforeAll(async () => {
  server = createServer((req, res) =>
    req.url === "/api/info" ? res.end(JSON.stringify({ version: "egts", nodeVersion: "v20.0.0" })) : res.writeHead(404).end(),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  admin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// A port nothing listens on: bind one, then close it.
async function deadUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe("egctl version", () => {
  it("prints client and server versions as yaml or json", async () => {
    const y = await egctl(["version", "--admin", admin]);
    expect(y.code).toBe(0);
    const doc = parse(y.stdout) as { client: Record<string, string>; server: Record<string, string> };
    expect(doc.client["envoyGatewayVersion"]).toBe("v1.9.0");
    expect(doc.client["egtsVersion"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.server["version"]).toBe("egts");
    const j = await egctl(["version", "-o", "json", "--admin", admin]);
    expect(JSON.parse(j.stdout)).toEqual(doc);
  });

  it("without a controller: drops the server part by default, fails when --remote asks for it", async () => {
    const dead = await deadUrl();
    const soft = await egctl(["version", "--admin", dead]);
    expect(soft.code).toBe(0);
    expect(parse(soft.stdout)).not.toHaveProperty("server");
    expect(soft.stderr).toContain("server version omitted");
    const hard = await egctl(["version", "--remote", "--admin", dead]);
    expect(hard.code).toBe(1);
    expect(hard.stderr).toContain("--remote");
    const local = await egctl(["version", "--no-remote"]);
    expect(local.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("names the bad flag value and exits non-zero", async () => {
    const r = await egctl(["version", "-o", "table", "--no-remote"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--output");
  });
});

describe("egctl completion", () => {
  it("bash: completes command words and a command's flags (run through bash)", async () => {
    const r = await egctl(["completion", "bash"]);
    expect(r.code).toBe(0);
    const complete = (line: string[]) =>
      execFileSync(
        "bash",
        ["-c", `${r.stdout}\nCOMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${line.length - 1}; _egctl; echo "\${COMPREPLY[@]}"`],
        { encoding: "utf8" },
      )
        .trim()
        .split(/\s+/);
    expect(complete(["egctl", ""])).toEqual(expect.arrayContaining(["completion", "config", "version", "x"]));
    expect(complete(["egctl", "x", "tr"])).toEqual(["translate"]);
    expect(complete(["egctl", "x", "translate", "--fi"])).toEqual(["--file"]);
  });

  it("zsh: a script zsh's bashcompinit loads; unknown shells are refused", async () => {
    const z = await egctl(["completion", "zsh"]);
    expect(z.stdout.startsWith("#compdef egctl\n")).toBe(true);
    expect(z.stdout).toContain("complete -o default -F _egctl egctl");
    const bad = await egctl(["completion", "fish"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"fish"');
  });

  it("lists every command in --help", async () => {
    const r = await egctl(["--help"]);
    for (const c of commands) expect(r.stdout).toContain(c.path.join(" "));
  });
});

// The executable npm links as `egctl` (package.json "bin"), run as a process from the repository root.
describe("the egctl executable", () => {
  const repoRoot = resolve(import.meta.dirname, "../../../..");
  const bin = resolve(repoRoot, "apps/egctl/bin/egctl.js");
  it("is linked from the package's bin entry and runs the built CLI", () => {
    const pkg = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./apps/egctl/package.json'))"], { cwd: repoRoot, encoding: "utf8" })) as {
      bin: Record<string, string>;
    };
    expect(resolve(repoRoot, "apps/egctl", pkg.bin["egctl"]!)).toBe(bin);
    const r = spawnSync("node", [bin, "version", "--no-remote"], { cwd: repoRoot, encoding: "utf8" });
    if (r.stderr.includes("is missing; build it first")) return; // dist/ not built in this run: the launcher said so
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = spawnSync("node", [bin, "nope"], { cwd: repoRoot, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command "nope"');
  });
});
