import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rateLimitServiceEnv, startRateLimitService, type RateLimitServiceHandle, type RateLimitServiceLogEntry } from "./index.js";

/**
 * Writes a FAKE ratelimit (a small Node script, not envoyproxy/ratelimit): it records each start's pid and
 * the environment variables the real service reads, exits with status 1 on its first `crashes` starts, then
 * prints "fake-ratelimit ready" and stays up until SIGTERM, which it records.
 */
function writeFakeRateLimit(dir: string, crashes: number): { path: string; log: string } {
  const log = join(dir, "fake-ratelimit.log");
  const path = join(dir, "fake-ratelimit");
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require("node:fs");
const log = ${JSON.stringify(log)};
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(REDIS_|CONFIG_|GRPC_|RUNTIME_|USE_|LOG_|FORCE_)/.test(k)));
fs.appendFileSync(log, JSON.stringify({ pid: process.pid, env }) + "\\n");
const starts = fs.readFileSync(log, "utf8").split("\\n").filter((l) => l.startsWith("{")).length;
if (starts <= ${crashes}) process.exit(1);
process.on("SIGTERM", () => { fs.appendFileSync(log, "SIGTERM " + process.pid + "\\n"); process.exit(0); });
process.stdout.write("fake-ratelimit ready\\n");
setInterval(() => {}, 1 << 30);
`,
  );
  chmodSync(path, 0o755);
  return { path, log };
}

const redis = { backend: { type: "Redis", redis: { url: "redis.local:6379" } } };
const hostSettings = (dir: string) => ({
  xdsServerAddress: "127.0.0.1:18001",
  tls: true,
  certDirectory: join(dir, "certs", "envoy-rate-limit"),
  runtimeRoot: join(dir, "data"),
});

describe("rateLimitServiceEnv", () => {
  it("sets what upstream's rate limit Deployment sets, with the host's certificate files", () => {
    const env = rateLimitServiceEnv(redis, { xdsServerAddress: "127.0.0.1:18001", tls: true, certDirectory: "/c", runtimeRoot: "/d" });
    expect(env).toEqual({
      RUNTIME_ROOT: "/d",
      RUNTIME_SUBDIRECTORY: "ratelimit",
      RUNTIME_IGNOREDOTFILES: "true",
      RUNTIME_WATCH_ROOT: "false",
      LOG_LEVEL: "info",
      USE_STATSD: "false",
      CONFIG_TYPE: "GRPC_XDS_SOTW",
      CONFIG_GRPC_XDS_SERVER_URL: "127.0.0.1:18001",
      CONFIG_GRPC_XDS_NODE_ID: "envoy-ratelimit",
      GRPC_SERVER_USE_TLS: "true",
      GRPC_SERVER_TLS_CERT: "/c/tls.crt",
      GRPC_SERVER_TLS_KEY: "/c/tls.key",
      GRPC_SERVER_TLS_CA_CERT: "/c/ca.crt",
      CONFIG_GRPC_XDS_SERVER_USE_TLS: "true",
      CONFIG_GRPC_XDS_CLIENT_TLS_CERT: "/c/tls.crt",
      CONFIG_GRPC_XDS_CLIENT_TLS_KEY: "/c/tls.key",
      CONFIG_GRPC_XDS_SERVER_TLS_CACERT: "/c/ca.crt",
      FORCE_START_WITHOUT_INITIAL_CONFIG: "true",
      REDIS_SOCKET_TYPE: "tcp",
      REDIS_URL: "redis.local:6379",
    });
  });

  it("drops the certificates in plaintext mode and asks for Redis TLS when configured", () => {
    const env = rateLimitServiceEnv(
      { backend: { type: "Redis", redis: { url: "r:6380", tls: {} } } },
      { xdsServerAddress: "127.0.0.1:1", tls: false, certDirectory: "/c", runtimeRoot: "/d" },
    );
    expect(env["GRPC_SERVER_USE_TLS"]).toBe("false");
    expect(env["CONFIG_GRPC_XDS_SERVER_USE_TLS"]).toBe("false");
    expect(Object.keys(env).filter((k) => k.includes("TLS_CERT") || k.includes("TLS_KEY") || k.includes("CACERT"))).toEqual([]);
    expect(env["REDIS_TLS"]).toBe("true");
  });
});

describe("startRateLimitService", () => {
  let dir: string;
  let handle: RateLimitServiceHandle | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-ratelimit-host-"));
  });
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the fake ratelimit with the service's environment, restarts it when it dies, and stops it", async () => {
    const fake = writeFakeRateLimit(dir, 1);
    let onReady: (() => void) | undefined;
    const ready = new Promise<void>((resolve) => {
      onReady = resolve;
    });
    const logs: RateLimitServiceLogEntry[] = [];
    handle = startRateLimitService({
      ...hostSettings(dir),
      rateLimit: redis,
      binaryPath: fake.path,
      backoff: { initialMs: 5 },
      output: (_stream, chunk) => {
        if (chunk.toString().includes("fake-ratelimit ready")) onReady?.();
      },
      log: (entry) => logs.push(entry),
    });
    expect(handle.running).toBe(true);
    await ready;
    const starts = readFileSync(fake.log, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { pid: number; env: Record<string, string> });
    expect(starts).toHaveLength(2);
    expect(starts[1]!.env).toMatchObject({
      CONFIG_TYPE: "GRPC_XDS_SOTW",
      CONFIG_GRPC_XDS_NODE_ID: "envoy-ratelimit",
      REDIS_URL: "redis.local:6379",
      GRPC_SERVER_TLS_CERT: join(dir, "certs", "envoy-rate-limit", "tls.crt"),
    });
    expect(logs.map((l) => l.level)).toEqual(["info", "warn"]);
    const pid = starts[1]!.pid;
    await handle.stop();
    expect(readFileSync(fake.log, "utf8")).toContain(`SIGTERM ${pid}`);
  });

  it("without a binary on PATH, says once that global rate limits will not be enforced and gives the reason", () => {
    const logs: RateLimitServiceLogEntry[] = [];
    handle = startRateLimitService({ ...hostSettings(dir), rateLimit: redis, pathVariable: dir, log: (entry) => logs.push(entry) });
    expect(handle).toMatchObject({ running: false, reason: "no envoyproxy/ratelimit binary (`ratelimit`) found on PATH" });
    expect(logs).toEqual([{ level: "warn", message: "global rate limits will not be enforced: no envoyproxy/ratelimit binary (`ratelimit`) found on PATH" }]);
  });

  it("finds `ratelimit` on PATH, and refuses a Redis URL it would have to read from a Secret", () => {
    const fake = writeFakeRateLimit(dir, 0);
    writeFileSync(join(dir, "ratelimit"), readFileSync(fake.path));
    chmodSync(join(dir, "ratelimit"), 0o755);
    const secretUrl = { backend: { type: "Redis", redis: { urlRef: { secretKeyRef: { name: "redis", key: "url" } } } } };
    handle = startRateLimitService({ ...hostSettings(dir), rateLimit: secretUrl, pathVariable: dir });
    expect(handle).toMatchObject({ running: false, reason: expect.stringContaining("urlRef (a Secret) cannot be read on a host") });
    handle = startRateLimitService({ ...hostSettings(dir), rateLimit: redis, pathVariable: dir, output: "ignore" });
    expect(handle).toMatchObject({ running: true, binary: join(dir, "ratelimit") });
  });
});
