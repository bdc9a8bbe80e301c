import type { JsonObject } from "./Json.js";

/** `HTTPHeader` of the Gateway API (gateway.networking.k8s.io/v1), as the IR embeds it. */
export interface HTTPHeader {
  readonly name: string;
  readonly value: string;
}

/** `Fraction` of the Gateway API (gateway.networking.k8s.io/v1), as the IR embeds it. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator?: number;
}

/** `BackendObjectReference` of the Gateway API (gateway.networking.k8s.io/v1), as the IR embeds it. */
export interface BackendObjectReference {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly port?: number;
}

/** A Gateway API duration string (GEP-2257), such as `"10s"` or `"1h"`; kept as written. */
export type Duration = string;

/** How a Gateway API path match compares. */
export type PathMatchType = "Exact" | "PathPrefix" | "RegularExpression";

/** A Gateway API policy status, kept as opaque JSON inside the IR. */
export type PolicyStatus = JsonObject;
