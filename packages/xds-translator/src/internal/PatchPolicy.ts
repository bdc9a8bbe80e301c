import { fromBinary, fromJson, toBinary, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { descriptorRegistry, messageDescriptor } from "@egts/envoy-api";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import {
  applyJsonPatchOperation as applyOperation,
  jsonPathToPointers,
  type EnvoyPatchPolicy,
  type EnvoyPatchPolicyStatus,
  type JSONPatchConfig,
  type JsonObject,
  type JSONPatchOperation,
  type MutableJson as Json,
} from "@egts/ir";
import type { TranslationContext } from "./Context.js";
import type { Codec } from "./Proto.js";
import type { ResourceTable } from "./ResourceTable.js";
import { SYSTEM_TRUST_STORE_SECRET_NAME } from "./Tls.js";
import { validateResource, type ResourceKind } from "./Validation.js";

type AnyCodec = Codec<unknown, unknown>;

const KINDS: Readonly<Record<string, { kind: ResourceKind; codec: AnyCodec }>> = {
  "type.googleapis.com/envoy.config.listener.v3.Listener": { kind: "listeners", codec: Listener as AnyCodec },
  "type.googleapis.com/envoy.config.route.v3.RouteConfiguration": { kind: "routes", codec: RouteConfiguration as AnyCodec },
  "type.googleapis.com/envoy.config.cluster.v3.Cluster": { kind: "clusters", codec: Cluster as AnyCodec },
  "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment": { kind: "endpoints", codec: ClusterLoadAssignment as AnyCodec },
  "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret": { kind: "secrets", codec: Secret as AnyCodec },
};

/**
 * Proto3 JSON with proto field names (snake_case), the form EnvoyPatchPolicy paths address, with keys in the
 * order Go's protojson writes them (declaration order, `@type` first) so status messages quoting a document
 * read as upstream's.
 */
function toProtoNameJson(codec: AnyCodec, message: unknown): Json {
  const desc = messageDescriptor(codec.$type);
  const bytes = codec.encode(message).finish();
  const json = toJson(desc, fromBinary(desc, bytes), { registry: descriptorRegistry(), useProtoFieldName: true }) as Json;
  return goFieldOrder(desc, json);
}

function goFieldOrder(desc: DescMessage, json: Json): Json {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return json;
  if (desc.typeName === "google.protobuf.Any") {
    const typeUrl = json["@type"];
    const inner = typeof typeUrl === "string" ? descriptorRegistry().getMessage(typeUrl.slice(typeUrl.lastIndexOf("/") + 1)) : undefined;
    const rest: { [k: string]: Json } = { ...json };
    delete rest["@type"];
    const ordered = inner !== undefined && !inner.typeName.startsWith("google.protobuf.") ? goFieldOrder(inner, rest) : rest;
    return typeUrl === undefined ? ordered : { "@type": typeUrl, ...(ordered as { [k: string]: Json }) };
  }
  if (desc.typeName.startsWith("google.protobuf.")) return json;
  const out: { [k: string]: Json } = {};
  const byNumber = new Map(desc.fields.map((f) => [f.number, f]));
  for (const fp of desc.proto.field) {
    const f = byNumber.get(fp.number);
    if (f === undefined || !(f.name in json)) continue;
    const v = json[f.name] as Json;
    if (f.fieldKind === "message") out[f.name] = goFieldOrder(f.message, v);
    else if (f.fieldKind === "list" && f.listKind === "message" && Array.isArray(v)) out[f.name] = v.map((x) => goFieldOrder(f.message, x));
    else if (f.fieldKind === "map" && f.mapKind === "message" && typeof v === "object" && v !== null && !Array.isArray(v)) {
      const m: { [k: string]: Json } = {};
      for (const k of Object.keys(v).sort()) m[k] = goFieldOrder(f.message, v[k] as Json);
      out[f.name] = m;
    } else out[f.name] = v;
  }
  for (const k of Object.keys(json)) if (!(k in out)) out[k] = json[k] as Json;
  return out;
}

/** Object keys sorted recursively, as Go's encoding/json writes the maps a patch value is decoded into. */
function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === "object" && v !== null) {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k] as Json);
    return out;
  }
  return v;
}

function fromAnyJson(codec: AnyCodec, json: Json): unknown {
  const desc = messageDescriptor(codec.$type);
  try {
    return codec.decode(toBinary(desc, fromJson(desc, json as JsonValue, { registry: descriptorRegistry() })));
  } catch (e) {
    const text = JSON.stringify(json);
    const raw = e instanceof Error ? e.message : String(e);
    // Word unknown keys as Go's protojson does, with the key's position in the document.
    const unknown = /key "([^"]*)" is unknown/.exec(raw);
    const reason = unknown !== null ? `proto: (line 1:${text.indexOf(`"${unknown[1]}":`) + 1}): unknown field "${unknown[1]}"` : raw;
    throw new Error(`unable to unmarshal xds resource ${text}, err:${reason}`);
  }
}

function list(table: ResourceTable, kind: ResourceKind): unknown[] {
  return table[kind] as unknown[];
}

function findIndex(table: ResourceTable, kind: ResourceKind, name: string): number {
  const l = list(table, kind);
  return l.findIndex((r) => ((r as { name?: string; clusterName?: string })[kind === "endpoints" ? "clusterName" : "name"] ?? "") === name);
}

function validateOperation(o: JSONPatchOperation): void {
  if (o.path === undefined && o.jsonPath === undefined) throw new Error("a patch operation must specify a path or jsonPath");
  switch (o.op) {
    case "add":
    case "replace":
    case "test":
      if (o.value === undefined) throw new Error(`the ${o.op} operation requires a value`);
      if (o.from !== undefined) throw new Error(`the ${o.op} operation doesn't support a from attribute`);
      break;
    case "remove":
      if (o.from !== undefined || o.value !== undefined) throw new Error("value and from can't be specified with the remove operation");
      break;
    case "move":
    case "copy":
      if (o.from === undefined) throw new Error(`the ${o.op} operation requires a valid from attribute`);
      if (o.value !== undefined) throw new Error(`the ${o.op} operation doesn't support a value attribute`);
      break;
    default:
      throw new Error("unsupported JSONPatch operation");
  }
}

/** Applies one operation (at its path, or at every location its JSONPath selects) to a document. */
function applyJsonPatch(doc: Json, o: JSONPatchOperation): Json {
  const errors: string[] = [];
  let pointers: string[];
  if (o.jsonPath !== undefined) {
    try {
      pointers = jsonPathToPointers(doc, o.jsonPath).map((p) => joinPointer(p, o.path ?? ""));
    } catch (e) {
      throw new Error(`unable to convert jsonPath: '${o.jsonPath}' into jsonPointers, err: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (pointers.length === 0) {
      throw new Error(
        `no jsonPointers were found while evaluating the jsonPath: '${o.jsonPath}'. Ensure the elements you are trying to select with the jsonPath exist in the document. If you need to add a non-existing property, use the 'path' attribute`,
      );
    }
  } else pointers = [o.path ?? ""];
  let out = doc;
  for (const p of pointers) {
    try {
      out = applyOperation(out, o, p);
    } catch (e) {
      errors.push(`unable to apply patch: op=${o.op} path=${p} err: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length > 0) throw new Error(errors.join("\n"));
  return out;
}

const joinPointer = (base: string, path: string): string => (path === "" ? base : `${base.replace(/\/$/, "")}/${path.replace(/^\//, "")}`);

/** Upper-cases the first letter and ends with a period, as upstream's status messages. */
function conditionMessage(text: string): string {
  if (text === "") return text;
  let out = /\p{L}/u.test(text[0] as string) ? (text[0] as string).toUpperCase() + text.slice(1) : text;
  if (!out.endsWith(".")) out += ".";
  return out;
}

type Condition = { type: string; status: string; reason: string; message: string; observedGeneration: number; lastTransitionTime: null };

function mergeCondition(status: JsonObject | undefined, cond: Condition): JsonObject {
  const ancestors = ((status?.["ancestors"] as JsonObject[] | undefined) ?? []).map((a) => {
    const conditions = [...((a["conditions"] as unknown as Condition[] | undefined) ?? [])].map((c) => ({ ...c }));
    const existing = conditions.find((c) => c.type === cond.type);
    if (existing !== undefined)
      Object.assign(existing, { status: cond.status, reason: cond.reason, message: cond.message, observedGeneration: cond.observedGeneration });
    else conditions.push(cond);
    return { ...a, conditions } as unknown as JsonObject;
  });
  return { ...(status ?? {}), ancestors };
}

function setProgrammed(status: JsonObject | undefined, generation: number): JsonObject | undefined {
  for (const a of (status?.["ancestors"] as JsonObject[] | undefined) ?? []) {
    for (const c of (a["conditions"] as unknown as Condition[] | undefined) ?? []) {
      if (c.type === "Programmed") return status;
      if (c.type === "Accepted" && c.status === "False") return status;
    }
  }
  const cond: Condition = {
    type: "Programmed",
    status: "True",
    reason: "Programmed",
    message: "Patches have been successfully applied.",
    observedGeneration: generation,
    lastTransitionTime: null,
  };
  return mergeCondition(status, cond);
}

function applyPatch(ctx: TranslationContext, p: JSONPatchConfig): "applied" | "not-found" {
  const target = KINDS[p.type];
  if (target === undefined) throw new Error(`unsupported patch type ${p.type}`);
  const o = p.operation;
  validateOperation(o);
  const table = ctx.table;
  if (o.op === "add" && (o.path ?? "") === "" && (o.jsonPath ?? "") === "") {
    if (o.value === undefined) throw new Error("missing value for add operation with empty path");
    const message = fromAnyJson(target.codec, o.value as Json);
    if (target.kind === "secrets" && (message as { name: string }).name === SYSTEM_TRUST_STORE_SECRET_NAME) {
      throw new Error(`secret name "${SYSTEM_TRUST_STORE_SECRET_NAME}" is reserved for the system trust store and cannot be used by other resources`);
    }
    try {
      validateResource(target.kind, message);
    } catch (e) {
      throw new Error(`validation failed for xds resource ${p.type}, err:${e instanceof Error ? e.message : String(e)}`);
    }
    list(table, target.kind).push(message);
    return "applied";
  }
  const index = findIndex(table, target.kind, p.name);
  if (index < 0) return "not-found";
  if (target.kind === "secrets" && p.name === SYSTEM_TRUST_STORE_SECRET_NAME) {
    throw new Error(`secret name "${SYSTEM_TRUST_STORE_SECRET_NAME}" is reserved for the system trust store and cannot be modified by patches`);
  }
  const op = o.value === undefined ? o : { ...o, value: sortKeys(o.value as Json) as JSONPatchOperation["value"] };
  const doc = applyJsonPatch(toProtoNameJson(target.codec, list(table, target.kind)[index]), op as JSONPatchOperation);
  const message = fromAnyJson(target.codec, doc);
  if (target.kind === "secrets" && (message as { name: string }).name === SYSTEM_TRUST_STORE_SECRET_NAME) {
    throw new Error(`secret name "${SYSTEM_TRUST_STORE_SECRET_NAME}" is reserved for the system trust store and cannot be used by other resources`);
  }
  try {
    validateResource(target.kind, message);
  } catch (e) {
    throw new Error(`validation failed for xds resource ${p.type}, err:${e instanceof Error ? e.message : String(e)}`);
  }
  list(table, target.kind)[index] = message;
  return "applied";
}

/**
 * Applies the IR's EnvoyPatchPolicies to the finished resources (JSON Patch / JSONPath on their proto3 JSON with
 * proto field names) and records each policy's status. Patch errors only affect the policy's status, as
 * upstream. Returns whether any resource changed (so the caller re-validates everything).
 */
export function applyPatchPolicies(ctx: TranslationContext): boolean {
  let changed = false;
  for (const policy of ctx.ir.envoyPatchPolicies ?? []) {
    const errors: string[] = [];
    const notFound: string[] = [];
    for (const p of policy.jsonPatches ?? []) {
      try {
        if (applyPatch(ctx, p) === "not-found") notFound.push(`${p.type}/${p.name}`);
        else changed = true;
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    let status = policy.status;
    const generation = policy.generation ?? 0;
    if (errors.length > 0) {
      status = mergeCondition(status, {
        type: "Programmed",
        status: "False",
        reason: "Invalid",
        message: conditionMessage(errors.join("\n")),
        observedGeneration: generation,
        lastTransitionTime: null,
      });
    }
    if (notFound.length > 0) {
      status = mergeCondition(status, {
        type: "Programmed",
        status: "False",
        reason: "ResourceNotFound",
        message: `Unable to find xds resources: ${notFound.join(",")}`,
        observedGeneration: generation,
        lastTransitionTime: null,
      });
    }
    status = setProgrammed(status, generation);
    ctx.table.patchPolicyStatuses.push(statusOf(policy, status));
  }
  if (changed) ctx.table.reindex();
  return changed;
}

function statusOf(policy: EnvoyPatchPolicy, status: JsonObject | undefined): EnvoyPatchPolicyStatus {
  return {
    ...(policy.name !== undefined ? { name: policy.name } : {}),
    ...(policy.namespace !== undefined ? { namespace: policy.namespace } : {}),
    ...(policy.generation !== undefined ? { generation: policy.generation } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}
