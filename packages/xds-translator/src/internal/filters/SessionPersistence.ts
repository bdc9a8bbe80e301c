import type { Any } from "@egts/envoy-api";
import { StatefulSession, StatefulSessionPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/stateful_session/v3/stateful_session";
import { CookieBasedSessionState } from "@egts/envoy-api/generated/envoy/extensions/http/stateful_session/cookie/v3/cookie";
import { HeaderBasedSessionState } from "@egts/envoy-api/generated/envoy/extensions/http/stateful_session/header/v3/header";
import type { HTTPRoute, StringMatch } from "@egts/ir";
import { anyOf, anyOfUnchecked, duration, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.stateful_session";

/**
 * The cookie path of a route (GEP-1619): its exact path or prefix, and for a regex the segments before the
 * first one containing `*`.
 */
export function cookiePathOf(path: StringMatch | undefined): string {
  if (path === undefined) return "/";
  if (path.exact !== undefined) return path.exact;
  if (path.prefix !== undefined) return path.prefix;
  if (path.safeRegex !== undefined) {
    const parts = path.safeRegex.split("/");
    const end = parts.findIndex((p) => p.includes("*"));
    return (end < 0 ? parts : parts.slice(0, end)).join("/");
  }
  return "/";
}

/** The stateful_session config of a route: cookie- or header-based session state. */
export function buildStatefulSession(r: HTTPRoute): StatefulSession {
  const sp = r.sessionPersistence;
  let name: string;
  let state: Any;
  if (sp?.cookie !== undefined) {
    name = "envoy.http.stateful_session.cookie";
    state = anyOfUnchecked(CookieBasedSessionState, {
      cookie: { name: sp.cookie.name, path: cookiePathOf(r.pathMatch), ...(sp.cookie.ttl !== undefined ? { ttl: duration(sp.cookie.ttl) } : {}) },
    });
  } else if (sp?.header !== undefined) {
    name = "envoy.http.stateful_session.header";
    state = anyOfUnchecked(HeaderBasedSessionState, { name: sp.header.name });
  } else {
    throw new Error(`route ${r.name}: session persistence has neither a cookie nor a header`);
  }
  return msg(StatefulSession, { sessionState: { name, typedConfig: state } });
}

/**
 * Session persistence (HTTPRoute rules): a disabled stateful_session filter on the HCM (configured from the
 * first route that uses it) and each route's own session state as per-route config.
 */
export const sessionPersistenceFilter: HttpFilterModule = {
  name: "stateful_session",
  patchHcm(hcm, l) {
    if (hcmHasFilter(hcm, NAME)) return;
    const first = (l.routes ?? []).find((r) => r.sessionPersistence !== undefined);
    if (first === undefined) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(StatefulSession, buildStatefulSession(first)), true));
  },
  patchRoute(route, r) {
    if (r.sessionPersistence === undefined) return;
    enableFilterOnRoute(route, NAME, anyOf(StatefulSessionPerRoute, { override: { $case: "statefulSession", value: buildStatefulSession(r) } }));
  },
};
