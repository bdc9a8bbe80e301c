import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadEnvoyGatewayConfig } from "./Config.js";

const badRedis = `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyGateway
provider:
  type: Custom
  custom:
    resource: { type: File, file: { paths: ["."] } }
    infrastructure: { type: Host, host: {} }
rateLimit:
  backend: { type: Redis, redis: { url: "10.0.0.1:6379" } }
  failClosed: false
`;
const message = 'rateLimit.backend.redis.url: unknown ratelimit redis url format: parse "10.0.0.1:6379": first path segment in URL cannot contain colon';

describe("an EnvoyGateway configuration upstream would refuse", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "egts-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is refused on load, naming the field", async () => {
    const file = join(dir, "eg.yaml");
    writeFileSync(file, badRedis);
    const error = await loadEnvoyGatewayConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([message]);
  });

  const main = resolve(import.meta.dirname, "../dist/main.js");
  it.skipIf(!existsSync(main))("makes `egts --config-path` exit with code 2 and the message", () => {
    const file = join(dir, "eg.yaml");
    writeFileSync(file, badRedis);
    const r = spawnSync(process.execPath, [main, "--config-path", file], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
