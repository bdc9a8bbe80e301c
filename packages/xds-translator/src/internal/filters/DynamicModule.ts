import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { AsyncDataSource } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { DynamicModuleFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/http/dynamic_modules/v3/dynamic_modules";
import { StringValue } from "@egts/envoy-api/generated/google/protobuf/wrappers";
import type { DynamicModule, HTTPRoute } from "@egts/ir";
import { anyOfUnchecked, msg, seconds } from "../Proto.js";
import { addClusterFromUrl, enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName, urlCluster } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";
import { goJsonText } from "./Wasm.js";

const TYPE = "envoy.filters.http.dynamic_modules";

/** One dynamic_modules filter per module: `envoy.filters.http.dynamic_modules/<policy>/dynamicmodule/<index>`. */
export const dynamicModuleFilterName = (dm: DynamicModule): string => perRouteFilterName(TYPE, dm.name);

const modulesOf = (r: HTTPRoute): readonly DynamicModule[] => r.envoyExtensions?.dynamicModules ?? [];

/** Where the shared library comes from: fetched over HTTP (through the URL's cluster) or a local file. */
function moduleSource(dm: DynamicModule): AsyncDataSource {
  if (dm.remote !== undefined) {
    return {
      specifier: {
        $case: "remote",
        value: {
          httpUri: { uri: dm.remote.url, httpUpstreamType: { $case: "cluster", value: urlCluster(dm.remote.url).name }, timeout: seconds(10) },
          sha256: dm.remote.sha256,
        },
      },
    } as AsyncDataSource;
  }
  return { specifier: { $case: "local", value: { specifier: { $case: "filename", value: dm.path ?? "" } } } } as AsyncDataSource;
}

/** The dynamic_modules filter config of a module. */
export function buildDynamicModuleConfig(dm: DynamicModule): DynamicModuleFilter {
  return msg(DynamicModuleFilter, {
    dynamicModuleConfig: { doNotClose: dm.doNotClose, loadGlobally: dm.loadGlobally, module: moduleSource(dm) },
    filterName: dm.filterName ?? "",
    terminalFilter: dm.terminalFilter,
    ...(dm.config !== undefined ? { filterConfig: anyOfUnchecked(StringValue, { value: goJsonText(dm.config) }) } : {}),
  });
}

/**
 * Dynamic modules (EnvoyExtensionPolicy): a disabled filter per module on the HCM, enabled on its routes,
 * and a cluster for each remotely fetched module.
 */
export const dynamicModuleFilter: HttpFilterModule = {
  name: "dynamic_modules",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      for (const dm of modulesOf(r)) {
        if (hcmHasFilter(hcm, dynamicModuleFilterName(dm))) continue;
        hcm.httpFilters.push(httpFilter(dynamicModuleFilterName(dm), anyOfUnchecked(DynamicModuleFilter, buildDynamicModuleConfig(dm)), true));
      }
    }
  },
  patchRoute(route, r) {
    for (const dm of modulesOf(r)) {
      enableFilterOnRoute(route, dynamicModuleFilterName(dm), anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } }));
    }
  },
  patchesResourcesFor: (r) => modulesOf(r).some((dm) => dm.remote !== undefined),
  patchResources(routes, ctx) {
    for (const r of routes) for (const dm of modulesOf(r)) if (dm.remote !== undefined) addClusterFromUrl(ctx, dm.remote.url, undefined);
  },
};
