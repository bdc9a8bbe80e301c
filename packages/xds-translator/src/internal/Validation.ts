import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { formatViolations, validateMessage, type MessageType } from "@egts/envoy-api";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";

/** An emitted resource that breaks Envoy's own (protoc-gen-validate) rules. */
export class XdsValidationError extends Error {
  override readonly name = "XdsValidationError";
}

/** The xDS resource types this translator emits. */
export type ResourceKind = "listeners" | "routes" | "clusters" | "endpoints" | "secrets";

/** The generated codec of each resource kind. */
const RESOURCE_TYPES = {
  listeners: Listener,
  routes: RouteConfiguration,
  clusters: Cluster,
  endpoints: ClusterLoadAssignment,
  secrets: Secret,
} as const;

function nameOf(message: unknown): string {
  const m = message as { name?: unknown; clusterName?: unknown };
  return typeof m.name === "string" ? m.name : typeof m.clusterName === "string" ? m.clusterName : "";
}

/**
 * Encodes a resource of a kind with its generated codec; a writer passed in is reused (its buffer stays grown
 * between resources, so encoding many does not reallocate it each time).
 */
export function encodeResource(kind: ResourceKind, message: unknown, writer: BinaryWriter = new BinaryWriter()): Uint8Array {
  return (RESOURCE_TYPES[kind] as unknown as { encode(m: unknown, w: BinaryWriter): BinaryWriter }).encode(message, writer).finish();
}

/**
 * Checks a resource against Envoy's validation rules (read from the generated message as built, with the
 * result of checking its wire bytes); throws {@link XdsValidationError} naming the resource and every broken rule.
 */
export function validateResource(kind: ResourceKind, message: unknown): void {
  // As Go's Validate(): Any contents are checked when packed (anyOf), not again here.
  const violations = validateMessage(RESOURCE_TYPES[kind] as MessageType, message, { recurseIntoAny: false });
  if (violations.length > 0) {
    throw new XdsValidationError(`validation failed for xds resource ${kind} ${JSON.stringify(nameOf(message))}, err: ${formatViolations(violations)}`);
  }
}
