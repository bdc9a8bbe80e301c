// Upstream TLS for backends from BackendTLSPolicy and Backend.spec.tls (upstream backendtlspolicy.go).
// This module is the seam: policy resolution and policy statuses are filled in as the issue progresses.
import type { BackendTLSPolicy } from "@egts/api";
import type * as ir from "@egts/ir";
import type { RouteStatusError } from "./Conditions.js";
import type { BackendRefLike } from "./Backends.js";
import type { ResourceIndex } from "./Index.js";
import type { GatewayContext, TranslateOptions } from "./Model.js";
import type { ParentRefContext } from "./RouteContext.js";

/** The upstream TLS settings for a backend reference, an error, or undefined when plain text. */
export function backendTLSSetting(
  _ref: BackendRefLike,
  _namespace: string,
  _parent: ParentRefContext,
  _gateway: GatewayContext | undefined,
  _index: ResourceIndex,
  _options: TranslateOptions,
): ir.TLSUpstreamConfig | RouteStatusError | undefined {
  return undefined;
}

/** BackendTLSPolicies with their statuses, in input order. */
export function backendTLSPolicyStatuses(policies: ReadonlyArray<BackendTLSPolicy>): unknown[] {
  return [...policies];
}
