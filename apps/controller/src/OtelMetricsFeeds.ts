// Adapters from the packages' observer hooks (which know nothing of OpenTelemetry) to upstream's metrics: each
// maps one package event to the counts and samples upstream's Go code records at the same point.
import type { ObjectOperationEvent } from "@egts/infra-k8s";
import type { StatusUpdateEvent } from "@egts/provider-kubernetes";
import type { StreamClosedEvent } from "@egts/xds-server";
import type { ControlPlaneMetrics } from "./OtelMetrics.js";
import type { WasmCacheObserver } from "./WasmModuleCache.js";

/** xds_stream_duration_seconds: one sample per ended stream, from its opening to its end. */
export const xdsStreamFeed =
  (metrics: ControlPlaneMetrics) =>
  (event: StreamClosedEvent): void =>
    metrics.xdsStreamEnded(
      event.stream.node?.id ?? "",
      String(event.stream.streamId),
      event.stream.protocol === "delta",
      Math.max(0, event.closedAt.getTime() - event.stream.openedAt.getTime()) / 1000,
    );

/**
 * status_update_*, as upstream's status updater counts one object: a failure{reason=conflict} per 409, then
 * success (a status already equal counts `no_action` and success, an object gone counts success) or
 * failure{reason=error}; one duration sample per object.
 */
export const statusUpdateFeed =
  (metrics: ControlPlaneMetrics) =>
  (event: StatusUpdateEvent): void => {
    for (let i = 0; i < event.conflicts; i++) metrics.statusUpdateCounted(event.kind, "failure", "conflict");
    if (event.result === "unchanged") metrics.statusUpdateCounted(event.kind, "no_action");
    metrics.statusUpdateCounted(event.kind, event.result === "error" ? "failure" : "success");
    metrics.statusUpdateTimed(event.kind, event.seconds);
  };

/**
 * resource_apply_* / resource_delete_*, labelled with the object's kind, name and namespace: an object applied
 * unchanged counts as applied (upstream applies every object on every pass); one egts does not own is a
 * failure, as upstream's ownership check is an error.
 */
export const objectOperationFeed =
  (metrics: ControlPlaneMetrics) =>
  (event: ObjectOperationEvent): void => {
    const ok = event.result !== "error" && event.result !== "notOwned";
    const record = event.operation === "apply" ? metrics.resourceApplied.bind(metrics) : metrics.resourceDeleted.bind(metrics);
    record(event.ref.kind, event.ref.name, event.ref.namespace, event.seconds, ok ? "success" : "failure");
  };

/** wasm_cache_lookup_total, wasm_remote_fetch_total and wasm_cache_entries from the Wasm module cache. */
export const wasmCacheFeed = (metrics: ControlPlaneMetrics): WasmCacheObserver => ({
  lookup: (hit) => metrics.wasmCacheLookup(hit),
  fetched: (failure) => metrics.wasmRemoteFetched(failure),
  entries: (count) => metrics.wasmCacheEntries(count),
});
