// Secret and ConfigMap references from Envoy Gateway policies (upstream validateSecretRef and
// validateAndGetDataAtKeyInRef): group/kind checks, ReferenceGrants across namespaces, existence.
// Errors name the reference, never its data.
import { isReferencePermitted, type ResourceIndex } from "../Index.js";

/** A secret object reference as policies write it. */
export interface SecretObjectRef {
  readonly group?: string;
  readonly kind?: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The policy a reference comes from: its kind and namespace. */
export interface ReferenceOwner {
  readonly kind: string;
  readonly namespace: string;
}

/** A resolved Secret: its data (base64 values, as in the API) and identity. */
export interface ResolvedSecret {
  readonly data: Readonly<Record<string, string>>;
  readonly namespace: string;
  readonly name: string;
}

function checkRef(ref: SecretObjectRef, owner: ReferenceOwner, index: ResourceIndex): { kind: string; namespace: string } | string {
  if (ref.group !== undefined && ref.group !== "") return "secret ref group must be unspecified/empty";
  const kind = ref.kind ?? "Secret";
  if (kind !== "Secret" && kind !== "ConfigMap") return "secret ref kind must be Secret";
  const refNs = ref.namespace ?? "";
  if (refNs !== "" && refNs !== owner.namespace) {
    const ok = isReferencePermitted(
      { group: "gateway.envoyproxy.io", kind: owner.kind, namespace: owner.namespace },
      { group: "", kind, namespace: refNs, name: ref.name },
      index.referenceGrants,
    );
    if (!ok) return `ref to ${kind} ${refNs}/${ref.name} not permitted by any ReferenceGrant`;
  }
  return { kind, namespace: refNs !== "" ? refNs : owner.namespace };
}

/** Resolves a reference to a Secret, or answers the error text. */
export function resolveSecretRef(ref: SecretObjectRef, owner: ReferenceOwner, index: ResourceIndex): ResolvedSecret | string {
  const checked = checkRef(ref, owner, index);
  if (typeof checked === "string") return checked;
  const secret = index.secret(checked.namespace, ref.name);
  if (secret === undefined) return `secret ${checked.namespace}/${ref.name} does not exist`;
  return { data: (secret.data ?? {}) as Record<string, string>, namespace: checked.namespace, name: secret.metadata.name };
}

function firstMatchOrOnly(data: Readonly<Record<string, string>>, keys: ReadonlyArray<string>): string | undefined {
  for (const k of keys) if (data[k] !== undefined) return data[k];
  const values = Object.values(data);
  return values.length === 1 ? values[0] : undefined;
}

/**
 * The bytes under one of `keys` (or the only entry) of a referenced Secret or ConfigMap, e.g. a CA bundle's
 * "ca.crt"; or the error text.
 */
export function dataAtKeyInRef(ref: SecretObjectRef, owner: ReferenceOwner, index: ResourceIndex, keys: ReadonlyArray<string>): Uint8Array | string {
  const kind = ref.kind ?? "Secret";
  if (kind === "Secret") {
    const secret = resolveSecretRef(ref, owner, index);
    if (typeof secret === "string") return secret;
    const value = firstMatchOrOnly(secret.data, keys);
    if (value === undefined || value === "") return `ref secret [${ref.name}] has none of the expected keys [${keys.join(" ")}] and more than one entry`;
    return new Uint8Array(Buffer.from(value, "base64"));
  }
  if (kind === "ConfigMap") {
    const checked = checkRef(ref, owner, index);
    if (typeof checked === "string") return checked;
    const cm = index.configMap(checked.namespace, ref.name);
    if (cm === undefined) return `configmap ${checked.namespace}/${ref.name} does not exist`;
    const value = firstMatchOrOnly((cm.data ?? {}) as Record<string, string>, keys);
    if (value === undefined || value === "") return `ref configmap [${ref.name}] has none of the expected keys [${keys.join(" ")}] and more than one entry`;
    return new Uint8Array(Buffer.from(value));
  }
  return `unsupported ref kind:${kind}`;
}
