import { type FaultAbort, HTTPFault } from "@egts/envoy-api/generated/envoy/extensions/filters/http/fault/v3/fault";
import { fractionFromFloat32 } from "../FractionalPercent.js";
import { anyOf, duration } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, listenerHasRoute } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.fault";

/** Fault injection (delays, aborts) per route. */
export const faultFilter: HttpFilterModule = {
  name: "fault",
  patchHcm(hcm, l) {
    if (!listenerHasRoute(l, (r) => r.traffic?.faultInjection !== undefined) || hcmHasFilter(hcm, NAME)) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(HTTPFault, {})));
  },
  patchRoute(route, r) {
    const fi = r.traffic?.faultInjection;
    if (fi === undefined) return;
    const cfg: Parameters<typeof HTTPFault.fromPartial>[0] = {};
    if (fi.delay !== undefined) {
      cfg.delay = {
        ...(fi.delay.percentage !== undefined ? { percentage: fractionFromFloat32(fi.delay.percentage) } : {}),
        ...(fi.delay.fixedDelay !== undefined ? { faultDelaySecifier: { $case: "fixedDelay", value: duration(fi.delay.fixedDelay) } } : {}),
      };
    }
    if (fi.abort !== undefined) {
      const abort: Parameters<typeof FaultAbort.fromPartial>[0] = {};
      if (fi.abort.percentage !== undefined) abort.percentage = fractionFromFloat32(fi.abort.percentage);
      if (fi.abort.httpStatus !== undefined) abort.errorType = { $case: "httpStatus", value: fi.abort.httpStatus };
      if (fi.abort.grpcStatus !== undefined) abort.errorType = { $case: "grpcStatus", value: fi.abort.grpcStatus };
      cfg.abort = abort;
    }
    if (cfg.delay === undefined && cfg.abort === undefined) return;
    enableFilterOnRoute(route, NAME, anyOf(HTTPFault, cfg));
  },
};
