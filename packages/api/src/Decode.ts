import type { EnvoyGateway } from "./envoyGateway.js";
import { knownKinds, lookupKind, schemaOf, type KindInfo, type KnownObject } from "./Kinds.js";
import { processValue, renderValue, type FieldIssue, type UnknownFieldPolicy } from "./internal/structural.js";
import { validateCoreObject } from "./internal/coreValidation.js";
import { unsignedFieldIssues } from "./internal/unsignedFields.js";

/** A problem with one object: a field path (may be empty) and a Kubernetes-style message. */
export interface Issue {
  readonly path: string;
  readonly message: string;
  readonly severity: "error" | "warning";
}

/** How {@link decodeObject} treats an object. The defaults match upstream's loader (egctl, file provider). */
export interface DecodeOptions {
  /** Apply the CRD defaults (default true). */
  readonly applyDefaults?: boolean;
  /** Check OpenAPI constraints and CEL rules of Gateway API and gateway.envoyproxy.io kinds (default true). */
  readonly validate?: boolean;
  /** Unknown fields: "error" (default; as kubectl-validate and upstream's strict decoding), "warn" or "drop". */
  readonly unknownFields?: UnknownFieldPolicy;
  /**
   * Namespace given to namespaced objects without one (default {@link DEFAULT_NAMESPACE}, the namespace Envoy
   * Gateway runs in, as upstream's loader does; false leaves it unset).
   */
  readonly defaultNamespace?: string | false;
  /**
   * Decode as upstream's Go code reads typed YAML (sigs.k8s.io/yaml into structs): case-insensitive field
   * names, scalars accepted for string fields (default false: the apiserver's exact rules).
   */
  readonly goDecoding?: boolean;
  /**
   * When the apiVersion is not served but the kind is known, decode with the kind's storage version schema
   * and warn, instead of reporting an unknown kind (Go's typed decoding never looks at apiVersion).
   * Default false.
   */
  readonly anyServedVersion?: boolean;
}

/** The namespace upstream's loader gives objects that have none: the one Envoy Gateway itself runs in. */
export const DEFAULT_NAMESPACE = "envoy-gateway-system";

/** The identity of a decoded (or failed) object, for messages. */
export interface ObjectIdentity {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** The result of decoding one object. */
export type DecodeResult =
  | { readonly ok: true; readonly object: KnownObject; readonly info: KindInfo; readonly warnings: ReadonlyArray<Issue> }
  | {
      readonly ok: false;
      /** "unknown-kind": apiVersion/kind not modelled; "invalid": failed validation; "malformed": not an object. */
      readonly reason: "unknown-kind" | "invalid" | "malformed";
      readonly identity: ObjectIdentity;
      readonly errors: ReadonlyArray<Issue>;
      readonly warnings: ReadonlyArray<Issue>;
    };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads apiVersion/kind/namespace/name from anything object-like, without validating it. */
export function identityOf(raw: unknown): ObjectIdentity {
  if (!isRecord(raw)) return {};
  const meta = isRecord(raw["metadata"]) ? raw["metadata"] : {};
  const pick = (v: unknown) => (typeof v === "string" ? v : undefined);
  const id: { -readonly [K in keyof ObjectIdentity]: ObjectIdentity[K] } = {};
  const apiVersion = pick(raw["apiVersion"]);
  const kind = pick(raw["kind"]);
  const namespace = pick(meta["namespace"]);
  const name = pick(meta["name"]);
  if (apiVersion !== undefined) id.apiVersion = apiVersion;
  if (kind !== undefined) id.kind = kind;
  if (namespace !== undefined) id.namespace = namespace;
  if (name !== undefined) id.name = name;
  return id;
}

const STATUS: ReadonlySet<string> = new Set(["status"]);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The apiserver's ObjectMeta checks on create that apply to objects read from files (name and namespace). */
function metadataIssues(meta: unknown, namespaced: boolean): Issue[] {
  if (typeof meta !== "object" || meta === null) return [];
  const { name, namespace } = meta as { name?: unknown; namespace?: unknown };
  const out: Issue[] = [];
  if (typeof name === "string") {
    const bad =
      name === "." || name === ".."
        ? `may not be '${name}'`
        : name.includes("/")
          ? "may not contain '/'"
          : name.includes("%")
            ? "may not contain '%'"
            : undefined;
    if (bad) out.push({ path: "metadata.name", message: `Invalid value: ${renderValue(name)}: ${bad}`, severity: "error" });
  }
  if (namespaced && typeof namespace === "string" && namespace !== "") {
    if (namespace.length > 63) {
      out.push({ path: "metadata.namespace", message: `Invalid value: ${renderValue(namespace)}: must be no more than 63 characters`, severity: "error" });
    } else if (!DNS1123_LABEL.test(namespace)) {
      out.push({
        path: "metadata.namespace",
        message: `Invalid value: ${renderValue(namespace)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        severity: "error",
      });
    }
  }
  return out;
}

function toIssue(i: FieldIssue): Issue {
  return { path: i.path, message: i.message, severity: i.severity };
}

/**
 * Decodes one Kubernetes object: looks up its apiVersion/kind, drops nulls, applies CRD defaults, validates it
 * against the CRD's OpenAPI schema and CEL rules (Gateway API and gateway.envoyproxy.io kinds; of the core kinds,
 * Service and EndpointSlice get the API server's own checks: port ranges, required lists, addresses), and
 * defaults a missing namespace. Never throws on bad input.
 */
export function decodeObject(raw: unknown, options: DecodeOptions = {}): DecodeResult {
  const identity = identityOf(raw);
  if (identity.kind === "EnvoyGateway" && identity.apiVersion === "gateway.envoyproxy.io/v1alpha1") {
    // the controller's configuration file, not a resource: it has its own decoder and is no KnownObject
    return {
      ok: false,
      reason: "unknown-kind",
      identity,
      errors: [{ path: "", message: "EnvoyGateway is the controller's configuration, not a resource (see decodeEnvoyGateway)", severity: "error" }],
      warnings: [],
    };
  }
  return decodeAny(raw, identity, options);
}

function decodeAny(raw: unknown, identity: ObjectIdentity, options: DecodeOptions): DecodeResult {
  if (!isRecord(raw)) {
    return {
      ok: false,
      reason: "malformed",
      identity,
      errors: [{ path: "", message: `expected an object, got ${raw === null ? "null" : Array.isArray(raw) ? "a list" : typeof raw}`, severity: "error" }],
      warnings: [],
    };
  }
  const missing: Issue[] = [];
  if (identity.apiVersion === undefined) missing.push({ path: "apiVersion", message: "Required value", severity: "error" });
  if (identity.kind === undefined) missing.push({ path: "kind", message: "Required value", severity: "error" });
  if (missing.length > 0) return { ok: false, reason: "malformed", identity, errors: missing, warnings: [] };
  const apiVersion = identity.apiVersion!;
  const kind = identity.kind!;
  let info = lookupKind(apiVersion, kind);
  let schema = schemaOf(apiVersion, kind);
  const versionWarnings: Issue[] = [];
  if ((!info || !schema) && options.anyServedVersion) {
    const storage = knownKinds().find((k) => k.kind === kind && k.storage);
    if (storage) {
      info = storage;
      schema = schemaOf(storage.apiVersion, kind);
      versionWarnings.push({
        path: "apiVersion",
        message: `version "${apiVersion}" of ${kind} is not served; decoded as ${storage.apiVersion}`,
        severity: "warning",
      });
    }
  }
  if (!info || !schema) {
    return {
      ok: false,
      reason: "unknown-kind",
      identity,
      errors: [{ path: "", message: `no kind "${kind}" is registered for version "${apiVersion}"`, severity: "error" }],
      warnings: [],
    };
  }
  const strictChecks = info.origin !== "core" && info.kind !== "EnvoyGateway";
  const validate = options.validate ?? true;
  const goDecoding = options.goDecoding ?? false;
  const requested = options.unknownFields ?? "error";
  // Upstream converts core kinds from unstructured data, which ignores unknown fields; only its strict typed
  // decoding (goDecoding) rejects them.
  const unknownFields = info.origin === "core" && !goDecoding && requested === "error" ? "warn" : requested;
  const { value, issues } = processValue(schema, raw, "", {
    applyDefaults: options.applyDefaults ?? true,
    validate: validate && strictChecks,
    unknownFields,
    goDecoding,
    unvalidatedFields: STATUS,
  });
  const errors = issues.filter((i) => i.severity === "error").map(toIssue);
  const warnings = [...versionWarnings, ...issues.filter((i) => i.severity === "warning").map(toIssue)];
  if (validate && strictChecks) errors.unshift(...metadataIssues((value as Record<string, unknown>)["metadata"], info.namespaced));
  if (validate && info.hasMetadata && identity.name === undefined && !errors.some((e) => e.path.startsWith("metadata"))) {
    errors.unshift({ path: "metadata.name", message: "Required value: name or generateName is required", severity: "error" });
  }
  // Core kinds have no CRD schema rules; the API server's own checks apply to the ones the translators read.
  if (validate && info.origin === "core" && errors.length === 0) errors.push(...validateCoreObject(kind, value).map(toIssue));
  if (validate && info.origin === "envoy-gateway" && info.kind !== "EnvoyGateway" && errors.length === 0) {
    errors.push(...unsignedFieldIssues((value as Record<string, unknown>)["spec"], "spec").map(toIssue));
  }
  if (errors.length > 0) return { ok: false, reason: "invalid", identity, errors, warnings };
  let object = value as Record<string, unknown>;
  if (info.hasMetadata) {
    let meta = (object["metadata"] ?? {}) as Record<string, unknown>;
    if (goDecoding && meta["name"] === undefined) meta = { ...meta, name: "" }; // Go's zero value
    object = { ...object, metadata: meta };
    const defaultNamespace = options.defaultNamespace ?? DEFAULT_NAMESPACE;
    if (info.namespaced && meta["namespace"] === undefined && defaultNamespace !== false) {
      object = { ...object, metadata: { ...meta, namespace: defaultNamespace } };
    } else if (!info.namespaced && meta["namespace"] !== undefined) {
      const { namespace: _dropped, ...rest } = meta;
      object = { ...object, metadata: rest };
    }
  }
  return { ok: true, object: object as unknown as KnownObject, info, warnings };
}

/**
 * Decodes an EnvoyGateway configuration file's object (top-level structure checked; defaults are the
 * controller's business, not the schema's).
 */
export function decodeEnvoyGateway(
  raw: unknown,
): { readonly ok: true; readonly config: EnvoyGateway } | { readonly ok: false; readonly errors: ReadonlyArray<Issue> } {
  const id = identityOf(raw);
  if (id.apiVersion !== "gateway.envoyproxy.io/v1alpha1" || id.kind !== "EnvoyGateway") {
    return {
      ok: false,
      errors: [
        {
          path: "",
          message: `expected apiVersion gateway.envoyproxy.io/v1alpha1 and kind EnvoyGateway, got ${renderValue(id.apiVersion ?? null)} ${renderValue(id.kind ?? null)}`,
          severity: "error",
        },
      ],
    };
  }
  const r = decodeAny(raw, id, { applyDefaults: false });
  if (!r.ok) return { ok: false, errors: r.errors };
  return { ok: true, config: r.object as unknown as EnvoyGateway };
}

/**
 * Formats one object's errors as the apiserver and upstream's validator do:
 * `Gateway.gateway.networking.k8s.io "eg" is invalid: spec.listeners[0].port: Invalid value: ...`,
 * with several errors in brackets separated by ", ".
 */
export function formatInvalid(identity: ObjectIdentity, errors: ReadonlyArray<Issue>): string {
  const group = identity.apiVersion?.includes("/") ? identity.apiVersion.slice(0, identity.apiVersion.indexOf("/")) : "";
  const what = `${identity.kind ?? "Object"}${group ? `.${group}` : ""} "${identity.name ?? ""}"`;
  const parts = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  return `${what} is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`}`;
}
