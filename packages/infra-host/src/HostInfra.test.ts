import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Infra, JsonObject } from "@egts/ir";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostInfraManager, backoffDelay, hashedName, type HostInfraLogEntry, type ProcessEvent, type ProxyResourceEvent } from "./index.js";

/**
 * Writes a FAKE envoy (a small Node script, not Envoy): it records each start's pid and arguments in a log,
 * exits with status 1 on its first `crashes` starts, then prints "fake-envoy ready <pid>" and stays up until
 * SIGTERM, which it records.
 */
function writeFakeEnvoy(dir: string, crashes: number): { path: string; log: string } {
  const log = join(dir, "fake-envoy.log");
  const path = join(dir, "fake-envoy");
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require("node:fs");
const log = ${JSON.stringify(log)};
fs.appendFileSync(log, JSON.stringify({ pid: process.pid, args: process.argv.slice(2) }) + "\\n");
const starts = fs.readFileSync(log, "utf8").split("\\n").filter((l) => l.startsWith("{")).length;
if (starts <= ${crashes}) process.exit(1);
process.on("SIGTERM", () => { fs.appendFileSync(log, "SIGTERM " + process.pid + "\\n"); process.exit(0); });
process.stdout.write("fake-envoy ready " + process.pid + "\\n");
setInterval(() => {}, 1 << 30);
`,
  );
  chmodSync(path, 0o755);
  return { path, log };
}

/**
 * Writes a FAKE envoy with a FAKE admin interface (a Node HTTP server, not Envoy's): it listens on a free
 * loopback port, answers GET /ready with "LIVE", and writes its address to the file `--admin-address-path`
 * names, as Envoy does.
 */
function writeFakeEnvoyWithAdmin(dir: string): string {
  const path = join(dir, "fake-envoy-admin");
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require("node:fs");
const http = require("node:http");
const args = process.argv.slice(2);
const file = args[args.indexOf("--admin-address-path") + 1];
const server = http.createServer((req, res) => res.end(req.url === "/ready" ? "LIVE\\n" : "fake"));
server.listen(0, "127.0.0.1", () => fs.writeFileSync(file, "127.0.0.1:" + server.address().port));
process.on("SIGTERM", () => process.exit(0));
`,
  );
  chmodSync(path, 0o755);
  return path;
}

const gateway = (name: string, spec: JsonObject = {}): Infra => ({
  proxy: { name, namespace: "envoy-gateway-system", config: { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", spec } },
});

describe("HostInfraManager", () => {
  let dir: string;
  let manager: HostInfraManager | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-infra-host-"));
  });
  afterEach(async () => {
    await manager?.close();
    manager = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("spawns the fake envoy, restarts it with exponential backoff, and stops it when the Gateway goes away", async () => {
    const fake = writeFakeEnvoy(dir, 2);
    const events: ProcessEvent[] = [];
    let onStable: (() => void) | undefined;
    const stable = new Promise<void>((resolve) => {
      onStable = resolve;
    });
    manager = new HostInfraManager({
      envoyPath: fake.path,
      proxy: { xdsServerHost: "0.0.0.0", xdsServerPort: 18000, xdsTls: true, sdsDirectory: join(dir, "certs", "envoy") },
      backoff: { initialMs: 5, factor: 3, maxMs: 1000, resetAfterMs: 60_000 },
      output: (_key, _stream, chunk) => {
        if (chunk.toString().includes("fake-envoy ready")) onStable?.();
      },
      onProcessEvent: (key, event) => {
        expect(key).toBe("default/eg");
        events.push(event);
      },
    });
    const spec = { logging: { level: { default: "info", upstream: "debug", admin: "warn" } }, concurrency: 2, extraArgs: ["--disable-hot-restart"] };
    await manager.apply(new Map([["default/eg", gateway("default/eg", spec)]]));
    await stable;

    // Two crashes, two restarts, delays growing by the factor.
    const delays = events.filter((e) => e.type === "restart-scheduled").map((e) => (e as { delayMs: number }).delayMs);
    expect(delays).toEqual([5, 15]);
    expect(events.filter((e) => e.type === "exited")).toHaveLength(2);
    const state = manager.proxies();
    expect(state).toMatchObject([{ irKey: "default/eg", running: true, starts: 3, serviceNode: hashedName("default/eg", 64) }]);

    // The command line follows upstream's BuildProxyArgs.
    const starts = readFileSync(fake.log, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { pid: number; args: string[] });
    expect(starts).toHaveLength(3);
    const args = starts[2]!.args;
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag("--service-cluster")).toBe("default/eg");
    expect(flag("--service-node")).toMatch(/^default-eg-[0-9a-f]{8}$/);
    expect(flag("--log-level")).toBe("info");
    expect(flag("--component-log-level")).toBe("admin:warn,upstream:debug");
    expect(flag("--concurrency")).toBe("2");
    expect(flag("--drain-strategy")).toBe("immediate");
    expect(flag("--drain-time-s")).toBe("60");
    expect(args).toContain("--cpuset-threads");
    expect(args.at(-1)).toBe("--disable-hot-restart");
    const bootstrap = parse(flag("--config-yaml")!) as { static_resources: { clusters: { name: string; load_assignment: unknown }[] }; admin: unknown };
    expect(bootstrap.static_resources.clusters.map((c) => c.name)).toEqual(["xds_cluster"]);
    expect(JSON.stringify(bootstrap.static_resources.clusters[0])).toContain(join(dir, "certs", "envoy", "xds-certificate.json"));
    expect(bootstrap.admin).toMatchObject({ address: { socket_address: { address: "127.0.0.1", port_value: 0 } } });

    // The Gateway goes away: the process gets SIGTERM and is gone.
    const pid = starts[2]!.pid;
    await manager.apply(new Map());
    expect(readFileSync(fake.log, "utf8")).toContain(`SIGTERM ${pid}`);
    expect(manager.proxies()).toEqual([]);
    expect(() => process.kill(pid, 0)).toThrow();
    // Crashes are unexpected exits; the exit after stop is expected and is not followed by a restart.
    const exits = events.filter((e): e is Extract<ProcessEvent, { type: "exited" }> => e.type === "exited");
    expect(exits.map((e) => e.expected)).toEqual([false, false, true]);
    expect(events.at(-1)?.type).toBe("stopped");
  });

  it("restarts a proxy whose command line changed and stops all on close", async () => {
    const fake = writeFakeEnvoy(dir, 0);
    const started: number[] = [];
    const waiters: (() => void)[] = [];
    manager = new HostInfraManager({
      envoyPath: fake.path,
      proxy: { xdsServerHost: "127.0.0.1", xdsServerPort: 18001, xdsTls: false, sdsDirectory: dir },
      output: (_key, _stream, chunk) => {
        const ready = /fake-envoy ready (\d+)/.exec(chunk.toString());
        if (ready) {
          started.push(Number(ready[1]));
          waiters.shift()?.();
        }
      },
    });
    const next = () => new Promise<void>((resolve) => waiters.push(resolve));
    let up = next();
    await manager.apply(new Map([["default/a", gateway("default/a")]]));
    await up;
    // Same IR again: nothing restarts.
    await manager.apply(new Map([["default/a", gateway("default/a")]]));
    up = next();
    await manager.apply(new Map([["default/a", gateway("default/a", { shutdown: { drainTimeout: "5s" } })]]));
    await up;
    expect(started).toHaveLength(2);
    const log = readFileSync(fake.log, "utf8");
    expect(log).toContain(`SIGTERM ${started[0]}`);
    expect(log).toContain('"--drain-time-s","5"');
    await manager.close();
    expect(readFileSync(fake.log, "utf8")).toContain(`SIGTERM ${started[1]}`);
  });

  it("reports the admin address each proxy wrote to its --admin-address-path file, and each start and stop", async () => {
    const events: ProxyResourceEvent[] = [];
    manager = new HostInfraManager({
      envoyPath: writeFakeEnvoyWithAdmin(dir),
      proxy: { xdsServerHost: "127.0.0.1", xdsServerPort: 18001, xdsTls: false, sdsDirectory: dir },
      runDirectory: join(dir, "run"),
      output: "ignore",
    });
    const unsubscribe = manager.onResourceEvent((e) => events.push(e));
    await manager.apply(new Map([["default/eg", gateway("default/eg")]]));
    let address: string | undefined;
    for (let i = 0; i < 200 && address === undefined; i++) {
      address = manager.proxies()[0]?.adminAddress;
      if (address === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(readFileSync(join(dir, "run", `${hashedName("default/eg", 64)}.admin-address`), "utf8")).toBe(address);
    expect(await (await fetch(`http://${address}/ready`)).text()).toBe("LIVE\n");
    await manager.apply(new Map());
    unsubscribe();
    expect(events.map((e) => [e.action, e.irKey, e.serviceNode, e.ok])).toEqual([
      ["apply", "default/eg", hashedName("default/eg", 64), true],
      ["delete", "default/eg", hashedName("default/eg", 64), true],
    ]);
    expect(events.every((e) => e.seconds >= 0)).toBe(true);
  });

  it("without an Envoy binary says so once and runs nothing", async () => {
    const logs: HostInfraLogEntry[] = [];
    manager = new HostInfraManager({
      proxy: { xdsServerHost: "0.0.0.0", xdsServerPort: 18000, xdsTls: true, sdsDirectory: dir },
      pathVariable: dir,
      log: (entry) => logs.push(entry),
    });
    expect(manager.envoyPath).toBeUndefined();
    await manager.apply(new Map([["default/eg", gateway("default/eg")]]));
    await manager.apply(
      new Map([
        ["default/eg", gateway("default/eg")],
        ["default/eg2", gateway("default/eg2")],
      ]),
    );
    expect(logs.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(logs[0]!.message).toMatch(/no `envoy` binary found on PATH/);
    expect(manager.proxies().map((p) => [p.irKey, p.running, p.error])).toEqual([
      ["default/eg", false, "no Envoy binary"],
      ["default/eg2", false, "no Envoy binary"],
    ]);
  });

  it("reports an unusable EnvoyProxy setting for the proxy it belongs to", async () => {
    const logs: HostInfraLogEntry[] = [];
    manager = new HostInfraManager({
      proxy: { xdsServerHost: "0.0.0.0", xdsServerPort: 18000, xdsTls: true, sdsDirectory: dir },
      pathVariable: "",
      log: (e) => logs.push(e),
    });
    await manager.apply(new Map([["default/eg", gateway("default/eg", { shutdown: { drainTimeout: "soon" } })]]));
    expect(manager.proxies()[0]?.error).toBe('EnvoyProxy spec.shutdown.drainTimeout: invalid duration "soon"');
  });
});

describe("backoffDelay", () => {
  it("grows by the factor and stops at the maximum", () => {
    const policy = { initialMs: 500, factor: 2, maxMs: 30_000, resetAfterMs: 10_000 };
    expect([0, 1, 2, 3, 6, 7, 20].map((n) => backoffDelay(policy, n))).toEqual([500, 1000, 2000, 4000, 30_000, 30_000, 30_000]);
  });
});
