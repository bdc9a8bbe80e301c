#!/usr/bin/env node
// The `egts` command: runs the controller until SIGINT/SIGTERM, then stops proxies and releases its ports.
// The controller's modules are imported only once V8's young generation is bounded (heapSettings): loading them
// would grow it to V8's maximum.
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import type { StartOptions } from "./Controller.js";
import { heapGrowingFlag, nodeFlagsOf, semiSpaceMiB } from "./HeapSettings.js";
import { limitYoungGeneration } from "./YoungGeneration.js";

const usage = `Usage: egts [server] [options]
       egts certgen [--local] [--overwrite]   (egts certgen --help)

Runs Envoy Gateway standalone: resources from files, Envoy proxies as local processes.

Options:
  --config-path <file>   EnvoyGateway configuration (default: File provider on ./examples/quickstart,
                         Host infrastructure)
  --xds-port <port>      xDS server port (default 18000)
  --admin-port <port>    admin server port (default: admin.address.port or 19000)
  --metrics-port <port>  metrics endpoint port, GET /metrics on all interfaces (default 19001)
  --wasm-port <port>     port the Wasm module cache serves proxies on (default 18002)
  --xds-plaintext        serve xDS without TLS on 127.0.0.1 (local experiments only;
                         env EGTS_XDS_PLAINTEXT=1)
  --envoy-path <path>    Envoy binary (default: envoy on PATH; env EGTS_ENVOY_PATH)
  --ratelimit-path <path>
                         envoyproxy/ratelimit binary, run when rateLimit is configured
                         (default: ratelimit on PATH; env EGTS_RATELIMIT_PATH)
  --state-dir <dir>      persistent state: the File provider's last good files, kept across
                         restarts (default: the host stateHome, ~/.local/state/envoy-gateway)
  -h, --help             show this help
`;

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: not a port number: ${value}`);
  return n;
}

/**
 * V8 settings from the environment and Node's flags (HeapSettings.ts): the young generation's bound must come
 * before the controller's modules are loaded, or loading grows it past the bound for good; the old generation's
 * growth only after, as a smaller growth while loading would only add full collections to the start.
 */
function heapSettings(): { readonly beforeLoading: () => void; readonly afterLoading: () => void } {
  const nodeFlags = nodeFlagsOf(process.execArgv, process.env["NODE_OPTIONS"]);
  const heapFlag = heapGrowingFlag(process.env, nodeFlags);
  const semiSpace = semiSpaceMiB(process.env, nodeFlags);
  return {
    beforeLoading: () => {
      if (semiSpace !== undefined) limitYoungGeneration(semiSpace);
    },
    afterLoading: () => {
      if (heapFlag !== undefined) setFlagsFromString(heapFlag);
    },
  };
}

async function main(argv: ReadonlyArray<string>): Promise<number> {
  if (argv[0] === "certgen") return (await import("./Certgen.js")).runCertgen(argv.slice(1), { out: (text) => process.stdout.write(text) });
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      "config-path": { type: "string" },
      "xds-port": { type: "string" },
      "admin-port": { type: "string" },
      "metrics-port": { type: "string" },
      "wasm-port": { type: "string" },
      "xds-plaintext": { type: "boolean" },
      "envoy-path": { type: "string" },
      "ratelimit-path": { type: "string" },
      "state-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== "server")) {
    process.stderr.write(`egts: unexpected argument ${JSON.stringify(positionals.find((p) => p !== "server"))}\n\n${usage}`);
    return 2;
  }
  const xdsPort = port(values["xds-port"], "--xds-port");
  const adminPort = port(values["admin-port"], "--admin-port");
  const metricsPort = port(values["metrics-port"], "--metrics-port");
  const wasmPort = port(values["wasm-port"], "--wasm-port");
  const envoyPath = values["envoy-path"] ?? process.env["EGTS_ENVOY_PATH"];
  const rateLimitPath = values["ratelimit-path"] ?? process.env["EGTS_RATELIMIT_PATH"];
  const plaintext = values["xds-plaintext"] === true || /^(1|true|yes)$/i.test(process.env["EGTS_XDS_PLAINTEXT"] ?? "");
  const options: StartOptions = {
    ...(values["config-path"] !== undefined ? { configPath: values["config-path"] } : {}),
    ...(xdsPort !== undefined ? { xdsPort } : {}),
    ...(adminPort !== undefined ? { adminPort } : {}),
    ...(metricsPort !== undefined ? { metricsPort } : {}),
    ...(wasmPort !== undefined ? { wasmPort } : {}),
    ...(envoyPath !== undefined && envoyPath !== "" ? { envoyPath } : {}),
    ...(rateLimitPath !== undefined && rateLimitPath !== "" ? { rateLimitPath } : {}),
    xdsPlaintext: plaintext,
    ...(values["state-dir"] !== undefined ? { stateDirectory: values["state-dir"] } : {}),
    ...(process.env["ENVOY_GATEWAY_NAMESPACE"] ? { controllerNamespace: process.env["ENVOY_GATEWAY_NAMESPACE"] } : {}),
  };
  const heap = heapSettings();
  heap.beforeLoading();
  const { startController } = await import("./Controller.js");
  heap.afterLoading();
  const controller = await startController(options);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`egts: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`egts: ${signal} received, shutting down\n`);
      controller.close().then(resolve, (error: unknown) => {
        process.stderr.write(`egts: shutdown failed: ${(error as Error).message}\n`);
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    const { ConfigError } = await import("./Config.js");
    // Known failures (bad configuration, a port in use) read best as one message; EGTS_DEBUG=1 adds the stack.
    const detail =
      process.env["EGTS_DEBUG"] === "1" && !(error instanceof ConfigError)
        ? ((error as Error).stack ?? String(error))
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`egts: ${detail}\n`);
    // A configuration that cannot be used is a usage error, as a bad flag is.
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
