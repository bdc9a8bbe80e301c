import { TlsParameters_TlsProtocol } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/common";
import { UpstreamTlsContext } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/tls";
import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { Wasm as WasmFilterConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/http/wasm/v3/wasm";
import { StringValue } from "@egts/envoy-api/generated/google/protobuf/wrappers";
import type { HTTPRoute, JsonValue, Wasm } from "@egts/ir";
import { addCluster } from "../Cluster.js";
import type { TranslationContext } from "../Context.js";
import { adsConfigSource, anyOf, anyOfUnchecked, msg, seconds } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.wasm";
/** The cluster of the control plane's HTTP server, which serves every Wasm module to the proxies. */
export const WASM_CLUSTER = "wasm_cluster";
const WASM_SERVICE_HOST = "envoy-gateway";
const WASM_SERVICE_PORT = 18002;
const CONTROL_PLANE_CA_FILE = "/certs/ca.crt";

/** One wasm filter per extension: `envoy.filters.http.wasm/<policy>/wasm/<index>`. */
export const wasmFilterName = (w: Wasm): string => perRouteFilterName(TYPE, w.name);

const wasmsOf = (r: HTTPRoute): readonly Wasm[] => r.envoyExtensions?.wasms ?? [];

/**
 * JSON text as Go's encoding/json writes a decoded YAML/JSON document: compact, object keys sorted,
 * `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
export function goJsonText(value: JsonValue): string {
  const sort = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      const obj = v as { readonly [key: string]: JsonValue };
      return Object.fromEntries(
        Object.keys(obj)
          .sort()
          .map((k) => [k, sort(obj[k] as JsonValue)]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The wasm filter config: a VM of its own fetching the module from the control plane, and the plugin config. */
export function buildWasmConfig(w: Wasm): WasmFilterConfig {
  const code = w.httpWasmCode;
  if (code === undefined) throw new Error(`wasm ${w.name}: no code source`);
  return msg(WasmFilterConfig, {
    config: {
      name: w.wasmName,
      rootId: w.rootID ?? "",
      vm: {
        $case: "vmConfig",
        value: {
          // A VM per filter: VMs are never shared across extensions.
          vmId: w.name,
          runtime: "envoy.wasm.runtime.v8",
          code: {
            specifier: {
              $case: "remote",
              value: {
                httpUri: { uri: code.servingURL, httpUpstreamType: { $case: "cluster", value: WASM_CLUSTER }, timeout: seconds(10) },
                sha256: code.sha256,
                retryPolicy: { numRetries: 10, retryBackOff: { baseInterval: seconds(1), maxInterval: seconds(30) } },
              },
            },
          },
          ...(w.hostKeys !== undefined ? { environmentVariables: { hostEnvKeys: [...w.hostKeys] } } : {}),
        },
      },
      configuration: anyOfUnchecked(StringValue, { value: w.config !== undefined ? goJsonText(w.config) : "" }),
      failOpen: w.failOpen,
    },
  });
}

/** Wasm (EnvoyExtensionPolicy): a disabled wasm filter per extension on the HCM, enabled on its routes. */
export const wasmFilter: HttpFilterModule = {
  name: "wasm",
  patchHcm(hcm, l) {
    const errors: string[] = [];
    for (const r of l.routes ?? []) {
      for (const w of wasmsOf(r)) {
        if (hcmHasFilter(hcm, wasmFilterName(w))) continue;
        try {
          hcm.httpFilters.push(httpFilter(wasmFilterName(w), anyOfUnchecked(WasmFilterConfig, buildWasmConfig(w)), true));
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  },
  patchRoute(route, r) {
    for (const w of wasmsOf(r))
      enableFilterOnRoute(route, wasmFilterName(w), anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } }));
  },
};

/**
 * The cluster of the control plane's Wasm HTTP server (mTLS with Envoy's client certificate), when any
 * route uses Wasm. A proxy-wide resource: the translator adds it after all listeners.
 */
export function addWasmServiceCluster(ctx: TranslationContext): void {
  const cert = ctx.ir.globalResources?.envoyClientCertificate;
  if (cert === undefined) return;
  if (!(ctx.ir.http ?? []).some((l) => (l.routes ?? []).some((r) => wasmsOf(r).length > 0))) return;
  const namespace = ctx.options.controllerNamespace ?? "envoy-gateway-system";
  const tSocket = {
    name: "envoy.transport_sockets.tls",
    configType: {
      $case: "typedConfig" as const,
      value: anyOf(UpstreamTlsContext, {
        commonTlsContext: {
          tlsParams: { tlsMaximumProtocolVersion: TlsParameters_TlsProtocol.TLSv1_3 },
          validationContextType: { $case: "validationContext", value: { trustedCa: { specifier: { $case: "filename", value: CONTROL_PLANE_CA_FILE } } } },
          tlsCertificateSdsSecretConfigs: [{ name: cert.name, sdsConfig: adsConfigSource() }],
        },
      }),
    },
  };
  addCluster(ctx, {
    name: WASM_CLUSTER,
    settings: [
      {
        name: `${WASM_CLUSTER}/backend/-1`,
        weight: 1,
        protocol: "GRPC",
        endpoints: [{ host: `${WASM_SERVICE_HOST}.${namespace}.svc.cluster.local`, port: WASM_SERVICE_PORT }],
      },
    ],
    tSocket,
    endpointType: "DNS",
    metrics: ctx.ir.metrics,
  });
}
