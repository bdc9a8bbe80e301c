import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands, runCli } from "@egts/egctl";

// A fake of the controller's admin API (apps/controller serves the real one): just the two documents egctl reads.
const statusDocument = {
  gatewayClasses: {
    eg: {
      resources: [
        {
          kind: "Gateway",
          namespace: "default",
          name: "eg",
          status: {
            conditions: [
              { type: "Accepted", status: "True", reason: "Accepted" },
              { type: "Programmed", status: "False", reason: "AddressNotAssigned" },
            ],
          },
        },
        {
          kind: "HTTPRoute",
          namespace: "apps",
          name: "web",
          status: { parents: [{ conditions: [{ type: "Accepted", status: "False", reason: "NotAllowedByListeners", message: "no listener allows it" }] }] },
        },
      ],
    },
  },
  provider: { problems: [{ source: "broken.yaml" }] },
};
let server: Server;
let admin = "";
const requested: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? "");
    if (req.url === "/api/status") return res.end(JSON.stringify(statusDocument));
    if (req.url?.startsWith("/api/config_dump?resource=")) {
      const kind = new URL(req.url, "http://x").searchParams.get("resource");
      if (kind === "nope") return res.writeHead(400).end("Invalid resource filter");
      return res.end(JSON.stringify({ resources: [{ kind: "Gateway", metadata: { name: "eg" } }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  admin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function egctl(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: "/" });
  return { code, stdout, stderr };
}

describe("egctl x status", () => {
  it("tabulates each object's last condition, routes and policies included, and mentions input problems", async () => {
    const r = await egctl(["x", "status", "--admin", admin]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^KIND\s+NAMESPACE\s+NAME\s+TYPE\s+STATUS\s+REASON$/);
    expect(lines[1]).toMatch(/^Gateway\s+default\s+eg\s+Programmed\s+False\s+AddressNotAssigned$/);
    expect(lines[2]).toMatch(/^HTTPRoute\s+apps\s+web\s+Accepted\s+False\s+NotAllowedByListeners$/);
    expect(r.stderr).toContain("1 input problem");
  });

  it("filters by kind and namespace, and shows every condition with its message when verbose", async () => {
    const r = await egctl(["x", "status", "gateway", "-n", "default", "-v", "--admin", admin]);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
    expect(r.stdout).toContain("Accepted");
    expect((await egctl(["x", "status", "httproute", "-n", "default", "--admin", admin])).stdout).toBe("No resources found.\n");
  });

  it("fails with a clear message when no controller answers", async () => {
    const r = await egctl(["x", "status", "--admin", "http://127.0.0.1:1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the egts admin server at http:\/\/127\.0\.0\.1:1/);
  });
});

describe("egctl config envoy-gateway", () => {
  it("dumps the resources of one kind as JSON, and reports the server's refusal", async () => {
    const r = await egctl(["config", "envoy-gateway", "-r", "gateway", "-o", "json", "--admin", admin]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ resources: [{ kind: "Gateway", metadata: { name: "eg" } }] });
    expect(requested).toContain("/api/config_dump?resource=gateway");
    const bad = await egctl(["config", "envoy-gateway", "-r", "nope", "--admin", admin]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("400 Invalid resource filter");
  });
});
