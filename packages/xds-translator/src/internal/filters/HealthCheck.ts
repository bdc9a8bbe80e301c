import { HealthCheck } from "@egts/envoy-api/generated/envoy/extensions/filters/http/health_check/v3/health_check";
import { anyOfUnchecked } from "../Proto.js";
import { hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.health_check";

/** The health_check filter answering requests for `path` itself (not passed through). */
export const buildHealthCheckConfig = (path: string): HealthCheck =>
  HealthCheck.fromPartial({
    passThroughMode: false,
    headers: [{ name: ":path", headerMatchSpecifier: { $case: "stringMatch", value: { matchPattern: { $case: "exact", value: path } } } }],
  });

/** Listener health checks (ClientTrafficPolicy healthCheck): one health_check filter on the HCM. */
export const healthCheckFilter: HttpFilterModule = {
  name: "health_check",
  patchHcm(hcm, l) {
    if (l.healthCheck === undefined || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOfUnchecked(HealthCheck, buildHealthCheckConfig(l.healthCheck.path))));
  },
};
