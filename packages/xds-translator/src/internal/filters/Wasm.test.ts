import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { toProtoJson } from "@egts/envoy-api";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { Route } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { parseXdsYaml, type HTTPListener, type HTTPRoute, type Wasm } from "@egts/ir";
import { newContext } from "../Context.js";
import { addWasmServiceCluster, goJsonText, wasmFilter } from "./Wasm.js";

const corpusCase = resolve(import.meta.dirname, "../../../../../../shared/reference/xds/wasm");

const wasm: Wasm = {
  name: "eep/ns/p/wasm/0",
  wasmName: "my-filter",
  rootID: "root",
  failOpen: false,
  config: { b: 1, a: "<x>" },
  hostKeys: ["HOME"],
  httpWasmCode: { servingURL: "https://envoy-gateway:18002/abc.wasm", sha256: "abc", originalDownloadingURL: "https://example.com/f.wasm" },
};
const route = (wasms: Wasm[], name = "r"): HTTPRoute => ({ name, hostname: "*", isHTTP2: false, envoyExtensions: { wasms } });
const listener = (routes: HTTPRoute[]): HTTPListener => ({
  name: "l",
  address: "::",
  port: 80,
  path: { mergeSlashes: false, escapedSlashesAction: "KeepUnchanged" },
  routes,
});

describe("wasm", () => {
  it("writes JSON config as Go does: sorted keys, compact, HTML characters escaped", () => {
    expect(goJsonText({ z: [1, { y: true, b: null }], a: "<&>" })).toBe('{"a":"\\u003c\\u0026\\u003e","z":[1,{"b":null,"y":true}]}');
  });

  it("adds a disabled filter per extension with its own VM fetching the module from wasm_cluster", () => {
    const hcm = HttpConnectionManager.fromPartial({});
    wasmFilter.patchHcm?.(hcm, listener([route([wasm], "1"), route([wasm], "2")]), newContext({}, {}));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const [filter, ...rest] = (toProtoJson(HttpConnectionManager, hcm) as any).httpFilters;
    expect(rest).toEqual([]);
    expect(filter.name).toBe("envoy.filters.http.wasm/eep/ns/p/wasm/0");
    expect(filter.disabled).toBe(true);
    expect(filter.typedConfig.config).toEqual({
      name: "my-filter",
      rootId: "root",
      vmConfig: {
        vmId: "eep/ns/p/wasm/0",
        runtime: "envoy.wasm.runtime.v8",
        code: {
          remote: {
            httpUri: { uri: "https://envoy-gateway:18002/abc.wasm", cluster: "wasm_cluster", timeout: "10s" },
            sha256: "abc",
            retryPolicy: { numRetries: 10, retryBackOff: { baseInterval: "1s", maxInterval: "30s" } },
          },
        },
        environmentVariables: { hostEnvKeys: ["HOME"] },
      },
      configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: '{"a":"\\u003cx\\u003e","b":1}' },
    });
  });

  it("enables each extension on its routes", () => {
    const r = Route.fromPartial({ name: "r" });
    wasmFilter.patchRoute?.(r, route([wasm]), listener([]), newContext({}, {}));
    expect(Object.keys(r.typedPerFilterConfig)).toEqual(["envoy.filters.http.wasm/eep/ns/p/wasm/0"]);
  });

  it("adds the control plane's Wasm server cluster only when a route uses Wasm and a client certificate exists", () => {
    const none = newContext({ http: [listener([route([])])], globalResources: { envoyClientCertificate: { name: "ns/envoy" } } }, {});
    addWasmServiceCluster(none);
    expect(none.table.clusters).toEqual([]);
    const noCert = newContext({ http: [listener([route([wasm])])] }, {});
    addWasmServiceCluster(noCert);
    expect(noCert.table.clusters).toEqual([]);
  });

  it.skipIf(!existsSync(corpusCase))("builds the same wasm_cluster as the reference case", () => {
    const ir = parseXdsYaml(readFileSync(join(corpusCase, "ir.yaml"), "utf8"));
    const options = JSON.parse(readFileSync(join(corpusCase, "options.json"), "utf8")) as { controllerNamespace: string };
    const ctx = newContext(ir, { controllerNamespace: options.controllerNamespace });
    addWasmServiceCluster(ctx);
    const expected = (JSON.parse(readFileSync(join(corpusCase, "expected/clusters.json"), "utf8")) as { name: string }[]).find(
      (c) => c.name === "wasm_cluster",
    );
    expect(toProtoJson(Cluster, ctx.table.findCluster("wasm_cluster") as Cluster)).toEqual(expected);
  });
});
