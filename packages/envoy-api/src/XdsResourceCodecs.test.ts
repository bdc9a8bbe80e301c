import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { typeUrlOf, xdsResourceCodec, xdsResourceTypeNames } from "@egts/envoy-api";
import { messageType } from "@egts/envoy-api/registry";
import { Duration } from "@egts/envoy-api/generated/google/protobuf/duration";

describe("xdsResourceCodec", () => {
  it("has the registry's codec of every xDS resource type, by full name and by type URL", () => {
    for (const typeName of Object.values(xdsResourceTypeNames)) {
      const codec = xdsResourceCodec(typeName);
      expect(codec?.$type, typeName).toBe(typeName);
      expect(xdsResourceCodec(`type.googleapis.com/${typeName}`)).toBe(codec);
      // Same generated module, so the same codec object.
      expect(codec).toBe(messageType(typeName));
    }
  });

  it("has no codec for other message types", () => {
    expect(xdsResourceCodec(typeUrlOf(Duration))).toBeUndefined();
    expect(xdsResourceCodec("envoy.config.route.v3.Route")).toBeUndefined();
  });

  it("lets the main entry point load without the registry of every generated module", () => {
    // A child process records every module it loads (a loader hook) while importing the built entry point.
    const entry = resolve(import.meta.dirname, "../dist/index.js");
    const script = `
      import { register } from "node:module";
      import { MessageChannel } from "node:worker_threads";
      const { port1, port2 } = new MessageChannel();
      const urls = [];
      port1.on("message", (url) => urls.push(url));
      register("data:text/javascript," + encodeURIComponent(
        "let port; export function initialize(d) { port = d.port; }" +
        "export async function load(url, context, next) { port.postMessage(url); return next(url, context); }"
      ), { data: { port: port2 }, transferList: [port2] });
      await import(${JSON.stringify(entry)});
      await new Promise((done) => setTimeout(done, 50));
      port1.close();
      const generated = urls.filter((url) => url.includes("/generated/"));
      console.log(JSON.stringify({ generated: generated.length, registry: generated.some((url) => url.endsWith("/generated/registry.js")) }));
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const loaded = JSON.parse(run.stdout) as { generated: number; registry: boolean };
    expect(loaded.registry).toBe(false);
    // The resource types and what they import: well under the package's 438 generated modules.
    expect(loaded.generated).toBeGreaterThan(10);
    expect(loaded.generated).toBeLessThan(250);
  });
});
