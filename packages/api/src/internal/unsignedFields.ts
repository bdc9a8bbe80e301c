// Fields of gateway.envoyproxy.io kinds that upstream's Go types hold as unsigned integers (api/v1alpha1:
// uint32, or uint64 where noted). Their CRD schema says only "integer" (format int32), so a negative or too
// large number passes schema validation, yet upstream's typed decoding refuses the object. Checking them here
// keeps such values out of the translators, whose IR (uint32 fields) they would make undecodable.
import type { FieldIssue } from "./structural.js";
import { renderValue } from "./structural.js";

const uint64Fields = new Set(["tableSize", "minEndpointsThreshold", "number"]);
const uint32Fields = new Set([
  "weight",
  "samplingRate",
  "unhealthyThreshold",
  "requests",
  "rejectionAggression",
  "probes",
  "predictivePercent",
  "percentageEnabled",
  "perEndpointPercent",
  "panicThreshold",
  "numTrustedHops",
  "minSuccessRate",
  "minRetryConcurrency",
  "minRequestRate",
  "minEndpointsInZoneThreshold",
  "maxRequestsPerConnection",
  "maxRequestBytes",
  "maxRejectionPercent",
  "maxConcurrentStreams",
  "maxAcceptPerSocketEvent",
  "intervalJitter",
  "healthyThreshold",
  "failurePercentageThreshold",
  "errorUtilizationPenaltyPercent",
  "consecutiveLocalOriginFailures",
  "consecutiveGatewayErrors",
  "consecutive5XxErrors",
  "asn",
]);
const uint32Max = 4294967295;

/** Issues for unsigned fields holding a number Go's decoder would refuse (negative, fractional or too large). */
export function unsignedFieldIssues(value: unknown, path = ""): FieldIssue[] {
  const out: FieldIssue[] = [];
  const walk = (v: unknown, p: string, key: string | undefined): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${p}[${i}]`, key));
      return;
    }
    if (typeof v === "object" && v !== null) {
      for (const [k, item] of Object.entries(v)) if (k !== "status") walk(item, p === "" ? k : `${p}.${k}`, k);
      return;
    }
    if (typeof v !== "number" || key === undefined) return;
    const max = uint64Fields.has(key) ? Number.MAX_SAFE_INTEGER : uint32Fields.has(key) ? uint32Max : undefined;
    if (max === undefined) return;
    if (!Number.isInteger(v) || v < 0 || v > max) {
      out.push({ path: p, message: `Invalid value: ${renderValue(v)}: must be an unsigned integer no greater than ${max}`, severity: "error" });
    }
  };
  walk(value, path, undefined);
  return out;
}
