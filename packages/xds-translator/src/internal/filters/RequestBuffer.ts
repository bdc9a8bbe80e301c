import { Buffer as BufferConfig, BufferPerRoute } from "@egts/envoy-api/generated/envoy/extensions/filters/http/buffer/v3/buffer";
import type { HTTPRoute, RequestBuffer } from "@egts/ir";
import { anyOf } from "../Proto.js";
import { hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.buffer";
const MAX_UINT32 = 4294967295;

const SUFFIX_MULTIPLIERS: Readonly<Record<string, bigint>> = {
  "": 1n,
  k: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  E: 10n ** 18n,
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};

/**
 * The integer value of a Kubernetes quantity ("4Mi", "1500", "2k", "1e3"), or undefined when it is not a
 * whole number (as Quantity.AsInt64 reports).
 */
export function quantityToInteger(q: string | number): bigint | undefined {
  if (typeof q === "number") return Number.isSafeInteger(q) ? BigInt(q) : undefined;
  const m = /^([+-]?)(\d{1,30})(?:\.(\d{1,30}))?(?:([eE])([+-]?\d{1,3})|(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E))?$/.exec(q.trim());
  if (m === null) return undefined;
  const [, sign = "", whole = "0", fraction = "", expMark, exp, suffix = ""] = m;
  let numerator = BigInt(whole + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  if (expMark !== undefined) {
    const e = Number(exp);
    if (e >= 0) numerator *= 10n ** BigInt(e);
    else denominator *= 10n ** BigInt(-e);
  } else {
    numerator *= SUFFIX_MULTIPLIERS[suffix] ?? 1n;
  }
  if (numerator % denominator !== 0n) return undefined;
  const value = numerator / denominator;
  return sign === "-" ? -value : value;
}

/** The buffer limit in bytes; a clear error when it is not a whole number within uint32. */
function maxRequestBytes(b: RequestBuffer): number {
  const n = quantityToInteger(b.limit);
  if (n === undefined) throw new Error(`invalid Limit value ${String(b.limit)}`);
  if (n < 0n || n > BigInt(MAX_UINT32)) throw new Error(`limit value ${String(b.limit)} is out of range, must be between 0 and ${MAX_UINT32}`);
  return Number(n);
}

const bufferOf = (r: HTTPRoute): RequestBuffer | undefined => r.traffic?.requestBuffer;

/**
 * Request buffering (BackendTrafficPolicy): the buffer filter, disabled, on the HCM (configured from the
 * first route that buffers) and each route's limit as per-route config.
 */
export const requestBufferFilter: HttpFilterModule = {
  name: "buffer",
  patchHcm(hcm, l) {
    if (hcmHasFilter(hcm, NAME)) return;
    const first = (l.routes ?? []).map(bufferOf).find((b) => b !== undefined);
    if (first === undefined) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(BufferConfig, { maxRequestBytes: maxRequestBytes(first) }), true));
  },
  patchRoute(route, r) {
    const b = bufferOf(r);
    if (b === undefined) return;
    route.typedPerFilterConfig[NAME] = anyOf(BufferPerRoute, { override: { $case: "buffer", value: { maxRequestBytes: maxRequestBytes(b) } } });
  },
};
