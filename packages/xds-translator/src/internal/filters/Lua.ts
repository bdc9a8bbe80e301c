import type { Any } from "@egts/envoy-api";
import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { Lua as LuaConfig, LuaPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/lua/v3/lua";
import type { HTTPRoute, Lua } from "@egts/ir";
import { anyOf, anyOfUnchecked } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.lua";

/** One lua filter per script: `envoy.filters.http.lua/<policy>/lua/<index>`. */
export const luaFilterName = (lua: Lua): string => perRouteFilterName(TYPE, lua.name);

const luasOf = (r: HTTPRoute): readonly Lua[] => r.envoyExtensions?.luas ?? [];

/** The per-route config enabling a script: its filter context when it has one, else an empty FilterConfig. */
function routeConfig(lua: Lua): Any {
  const ctx = lua.filterContext;
  if (ctx === undefined || ctx === null) return anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } });
  if (typeof ctx !== "object" || Array.isArray(ctx)) throw new Error(`lua ${lua.name}: filterContext must be a JSON object`);
  return anyOfUnchecked(LuaPerRoute, { filterContext: ctx as Record<string, unknown> });
}

/** Lua (EnvoyExtensionPolicy): a disabled lua filter per script on the HCM, enabled on the script's routes. */
export const luaFilter: HttpFilterModule = {
  name: "lua",
  patchHcm(hcm, l) {
    const errors: string[] = [];
    for (const r of l.routes ?? []) {
      for (const lua of luasOf(r)) {
        if (hcmHasFilter(hcm, luaFilterName(lua))) continue;
        if (lua.code === undefined) {
          errors.push(`lua ${lua.name}: no source code`);
          continue;
        }
        const config = anyOf(LuaConfig, { defaultSourceCode: { specifier: { $case: "inlineString", value: lua.code } } });
        hcm.httpFilters.push(httpFilter(luaFilterName(lua), config, true));
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  },
  patchRoute(route, r) {
    for (const lua of luasOf(r)) enableFilterOnRoute(route, luaFilterName(lua), routeConfig(lua));
  },
};
