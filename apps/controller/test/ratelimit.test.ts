import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { credentials } from "@grpc/grpc-js";
import type { EnvoyGateway } from "@egts/api";
import { toProtoJson, unpackAnyAs } from "@egts/envoy-api";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DiscoveryRequest, type DiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { RateLimitConfig } from "@egts/envoy-api/generated/ratelimit/config/ratelimit/v3/rls_conf";
import { afterEach, describe, expect, it } from "vitest";
import { RATE_LIMIT_NODE_ID, RATE_LIMIT_UNENFORCED_CONDITION, silentLogger, startController, type RunningController } from "../src/index.js";

const RLS_CONFIG = "type.googleapis.com/ratelimit.config.ratelimit.v3.RateLimitConfig";

/**
 * A state-of-the-world ADS client as envoyproxy/ratelimit's `GRPC_XDS_SOTW` config provider is one: it
 * subscribes to RateLimitConfig with its node id and ACKs each response with its version and nonce. Built on
 * grpc-js and the generated ADS client stubs, independent of the server's implementation.
 */
class SotwRateLimitClient {
  private readonly client: AggregatedDiscoveryServiceClient;
  private readonly stream;
  private readonly queued: DiscoveryResponse[] = [];
  private readonly waiting: ((r: DiscoveryResponse) => void)[] = [];
  readonly failure: Promise<Error & { code?: number }>;

  constructor(address: string, channel = credentials.createInsecure(), options: Record<string, string> = {}) {
    this.client = new AggregatedDiscoveryServiceClient(address, channel, options);
    this.stream = this.client.streamAggregatedResources();
    this.stream.on("data", (r: DiscoveryResponse) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(r);
      else this.queued.push(r);
    });
    this.failure = new Promise((resolveFailure) => this.stream.on("error", (error: Error & { code?: number }) => resolveFailure(error)));
  }

  subscribe(): void {
    this.stream.write(DiscoveryRequest.fromPartial({ node: { id: RATE_LIMIT_NODE_ID }, typeUrl: RLS_CONFIG }));
  }

  ack(response: DiscoveryResponse): void {
    this.stream.write(
      DiscoveryRequest.fromPartial({ node: { id: RATE_LIMIT_NODE_ID }, typeUrl: RLS_CONFIG, versionInfo: response.versionInfo, responseNonce: response.nonce }),
    );
  }

  next(): Promise<DiscoveryResponse> {
    const queued = this.queued.shift();
    return queued ? Promise.resolve(queued) : new Promise((r) => this.waiting.push(r));
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

const policy = (requests: number) => `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: limits
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend
  rateLimit:
    type: Global
    global:
      rules:
        - clientSelectors:
            - headers:
                - name: x-user-id
                  type: Distinct
          limit:
            requests: ${requests}
            unit: Hour
`;

/** Writes a FAKE ratelimit (a Node script, not envoyproxy/ratelimit) that records its environment and waits. */
function writeFakeRateLimit(dir: string): string {
  const path = join(dir, "fake-ratelimit");
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require("node:fs");
const file = ${JSON.stringify(join(dir, "fake-ratelimit.env.json"))};
fs.writeFileSync(file + ".tmp", JSON.stringify(process.env));
fs.renameSync(file + ".tmp", file);
process.on("SIGTERM", () => process.exit(0));
setInterval(() => {}, 1 << 30);
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** The conditions of one type on the `limits` BackendTrafficPolicy's ancestors, as the controller publishes them. */
function policyConditions(controller: RunningController, type: string): Record<string, unknown>[] {
  const statuses = [...controller.bus.gatewayClasses.snapshot().values()].flatMap((r) => r.statuses);
  const policy = statuses.find((s) => s.kind === "BackendTrafficPolicy" && s.name === "limits");
  const ancestors = ((policy?.status as { ancestors?: { conditions?: Record<string, unknown>[] }[] }) ?? {}).ancestors ?? [];
  return ancestors.flatMap((a) => a.conditions ?? []).filter((c) => c["type"] === type);
}

const configOf = (dir: string, resources: string): EnvoyGateway => ({
  apiVersion: "gateway.envoyproxy.io/v1alpha1",
  kind: "EnvoyGateway",
  provider: {
    type: "Custom",
    custom: { resource: { type: "File", file: { paths: [resources] } }, infrastructure: { type: "Host", host: { configHome: join(dir, "config") } } },
  },
  rateLimit: { backend: { type: "Redis", redis: { url: "127.0.0.1:6379" } }, failClosed: false },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const configsOf = (r: DiscoveryResponse): any[] => r.resources.map((any) => toProtoJson(RateLimitConfig, unpackAnyAs(RateLimitConfig, any)));

describe("the rate limit xDS server (global rate limiting)", () => {
  let controller: RunningController | undefined;
  let client: SotwRateLimitClient | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    client?.close();
    await controller?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    controller = client = dir = undefined;
  });

  const start = async (tls: boolean, fakeRateLimit = false) => {
    dir = mkdtempSync(join(tmpdir(), "egts-controller-ratelimit-"));
    const rateLimitPath = fakeRateLimit ? writeFakeRateLimit(dir) : join(dir, "no-ratelimit");
    const resources = join(dir, "resources");
    cpSync(resolve(import.meta.dirname, "../../../examples/quickstart"), resources, { recursive: true });
    writeFileSync(join(resources, "policy.yaml"), policy(5));
    controller = await startController({
      config: configOf(dir, resources),
      xdsPort: 0,
      rateLimitXdsPort: 0,
      adminPort: 0,
      xdsPlaintext: !tls,
      envoyPath: join(dir, "no-envoy"),
      rateLimitPath,
      logger: silentLogger,
    });
    return { dir, resources, controller };
  };

  it("serves a BackendTrafficPolicy's global rules as a RateLimitConfig over state-of-the-world ADS, and pushes an edit", async () => {
    const { resources, controller: running } = await start(false);
    expect(running.rateLimitXdsPort).toBeGreaterThan(0);
    client = new SotwRateLimitClient(`127.0.0.1:${running.rateLimitXdsPort}`);
    client.subscribe();
    const first = await client.next();
    expect(first.typeUrl).toBe(RLS_CONFIG);
    expect(configsOf(first)).toEqual([
      {
        name: "default/eg/http",
        domain: "default/eg/http",
        descriptors: [
          {
            key: "httproute/default/backend/rule/0/match/0/www_example_com",
            value: "httproute/default/backend/rule/0/match/0/www_example_com",
            descriptors: [{ key: "rule-0-match-0", rateLimit: { unit: "HOUR", requestsPerUnit: 5 } }],
          },
        ],
      },
    ]);
    client.ack(first);

    const policyFile = join(resources, "policy.yaml");
    writeFileSync(policyFile, readFileSync(policyFile, "utf8").replace("requests: 5", "requests: 42"));
    const update = await client.next();
    expect(update.versionInfo).not.toBe(first.versionInfo);
    expect(configsOf(update)[0].descriptors[0].descriptors[0].rateLimit).toEqual({ unit: "HOUR", requestsPerUnit: 42 });

    // No rate limit service runs on this host: the policy's status says its limits are not enforced.
    expect(policyConditions(running, RATE_LIMIT_UNENFORCED_CONDITION)).toEqual([
      expect.objectContaining({
        status: "False",
        reason: "RateLimitServiceNotRunning",
        message: expect.stringMatching(/^Global rate limits will not be enforced: the configured rate limit service binary .* was not found/),
      }),
    ]);
    expect(policyConditions(running, "Accepted")).toEqual([expect.objectContaining({ status: "True" })]);
  });

  it("requires the envoy-rate-limit client certificate by default, and starts the rate limit service against it", async () => {
    const { dir: base, controller: running } = await start(true, true);
    const certs = join(base, "config", "certs", "envoy-rate-limit");
    const read = (f: string) => readFileSync(join(certs, f));
    client = new SotwRateLimitClient(`127.0.0.1:${running.rateLimitXdsPort}`, credentials.createSsl(read("ca.crt"), read("tls.key"), read("tls.crt")), {
      "grpc.ssl_target_name_override": "envoy-gateway",
      "grpc.default_authority": "envoy-gateway",
    });
    client.subscribe();
    const first = await client.next();
    expect(configsOf(first).map((c) => c.domain)).toEqual(["default/eg/http"]);

    const anonymous = new SotwRateLimitClient(`127.0.0.1:${running.rateLimitXdsPort}`, credentials.createSsl(read("ca.crt")), {
      "grpc.ssl_target_name_override": "envoy-gateway",
      "grpc.default_authority": "envoy-gateway",
    });
    try {
      anonymous.subscribe();
      expect((await anonymous.failure).code).toBe(14); // UNAVAILABLE: no client certificate, no handshake
    } finally {
      anonymous.close();
    }

    // The (fake) rate limit service was started pointing at this server, with the envoy-rate-limit set.
    const envFile = join(base, "fake-ratelimit.env.json");
    while (!existsSync(envFile)) await sleep(20); // the process starts on its own schedule (it renames the file into place)
    const env = JSON.parse(readFileSync(envFile, "utf8")) as Record<string, string>;
    expect(env).toMatchObject({
      CONFIG_TYPE: "GRPC_XDS_SOTW",
      CONFIG_GRPC_XDS_SERVER_URL: `127.0.0.1:${running.rateLimitXdsPort}`,
      CONFIG_GRPC_XDS_NODE_ID: RATE_LIMIT_NODE_ID,
      CONFIG_GRPC_XDS_CLIENT_TLS_CERT: join(certs, "tls.crt"),
      REDIS_URL: "127.0.0.1:6379",
    });
    expect(policyConditions(running, RATE_LIMIT_UNENFORCED_CONDITION)).toEqual([]);
  });

  it("is not started without rateLimit in the EnvoyGateway configuration", async () => {
    dir = mkdtempSync(join(tmpdir(), "egts-controller-ratelimit-"));
    const resources = join(dir, "resources");
    cpSync(resolve(import.meta.dirname, "../../../examples/quickstart"), resources, { recursive: true });
    const { rateLimit: _unused, ...withoutRateLimit } = configOf(dir, resources);
    controller = await startController({
      config: withoutRateLimit,
      xdsPort: 0,
      rateLimitXdsPort: 0,
      adminPort: 0,
      xdsPlaintext: true,
      envoyPath: join(dir, "no-envoy"),
      logger: silentLogger,
    });
    expect(controller.rateLimitXdsPort).toBeUndefined();
  });
});
