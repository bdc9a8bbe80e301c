import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { commands, runCli, type CliIO, type Command } from "@egts/egctl";

const dir = mkdtempSync(join(tmpdir(), "egctl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function egctl(args: string[], table: ReadonlyArray<Command> = commands, stdinText?: string) {
  let stdout = "";
  let stderr = "";
  const base = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: dir };
  const io: CliIO = stdinText === undefined ? base : { ...base, stdin: Readable.from([Buffer.from(stdinText)]) };
  const code = await runCli(args, table, io);
  return { code, stdout, stderr };
}

writeFileSync(
  join(dir, "good.yaml"),
  `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: eg }
spec: { gatewayClassName: eg, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
`,
);
writeFileSync(
  join(dir, "bad.yaml"),
  `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: r, namespace: web }
spec:
  hostnames: ["Not_A_Host"]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata: { name: p }
spec:
  targetRefs: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, name: r }]
---
apiVersion: example.io/v1
kind: Widget
metadata: { name: w }
`,
);

describe("egctl x validate", () => {
  it("exits 0 and says OK when every document is valid (built-in Kubernetes kinds are skipped)", async () => {
    const r = await egctl(["x", "validate", "--file", "good.yaml"]);
    expect(r).toEqual({ code: 0, stdout: "OK: 1 object valid\n", stderr: "" });
  });

  it("prints one line per problem with file, line, document, object and field, and exits 1", async () => {
    const r = await egctl(["x", "validate", "-f", "good.yaml", "-f", "bad.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      `bad.yaml:5: document 1: HTTPRoute web/r: spec.hostnames[0]: Invalid value: "Not_A_Host": spec.hostnames[0] in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'`,
      "bad.yaml:10: document 2: ClientTrafficPolicy p: spec: Invalid value: this policy can only have a targetRefs[*].kind of Gateway or ListenerSet",
      'bad.yaml:13: document 3: Widget w: no kind "Widget" is registered for version "example.io/v1"',
    ]);
  });

  it("validates a directory and reports a missing file", async () => {
    const r = await egctl(["x", "validate", ".", "missing.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^missing\.yaml: document 1: ENOENT/m);
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(4);
  });

  it("reads stdin for -", async () => {
    const r = await egctl(
      ["x", "validate", "-f", "-"],
      commands,
      "apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\napiVersion: v1\nkind: Secret\nmetadata: { name: s }\ndata: { k: '%%' }\n",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      "<stdin>:8: document 2: Secret s: data.k: Invalid value: (2 characters, not shown): data.k in body must be of type byte (base64-encoded)\n",
    );
  });

  it("is a usage error without --file or with an unknown option", async () => {
    expect((await egctl(["x", "validate"])).code).toBe(2);
    const r = await egctl(["x", "validate", "--nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--nope'/);
  });
});

describe("command table", () => {
  const probe: Command = {
    path: ["x", "probe"],
    summary: "test command",
    usage: "[--flag]",
    options: { flag: { type: "boolean" } },
    run: async (args, io) => {
      io.stdout(`flag=${String(args.values["flag"] ?? false)}\n`);
      return 7;
    },
  };

  it("dispatches to the longest matching command and passes parsed options", async () => {
    expect(await egctl(["x", "probe", "--flag"], [...commands, probe])).toEqual({ code: 7, stdout: "flag=true\n", stderr: "" });
  });

  it("lists commands for no arguments or a group, and rejects unknown commands", async () => {
    const top = await egctl([]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/x validate/);
    const group = await egctl(["x"], [...commands, probe]);
    expect(group.stdout).toMatch(/x probe/);
    const unknown = await egctl(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it("prints a command's help", async () => {
    const r = await egctl(["x", "validate", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: egctl x validate --file FILE/);
    expect(r.stdout).toMatch(/-f, --file VALUE \(repeatable\)/);
  });
});
