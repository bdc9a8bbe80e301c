// effect/Schema adapters: every modelled kind as a Schema, so effect users decode with Schema.decodeUnknown*
// and get path-precise SchemaIssues. The checks are this package's CRD-driven validation (decodeObject),
// which the declared schemas delegate to.
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as SchemaIssue from "effect/SchemaIssue";
import type { KnownKind, KnownObject } from "./Kinds.js";
import { decodeObject, type DecodeOptions, type Issue } from "./Decode.js";

/** Splits a field path (`spec.rules[0]["a.b"]`) into the keys of a SchemaIssue pointer. */
export function fieldPathKeys(path: string): ReadonlyArray<string | number> {
  const keys: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (m[1] !== undefined) keys.push(m[1]);
    else if (m[2] !== undefined) keys.push(Number(m[2]));
    else if (m[3] !== undefined) keys.push(JSON.parse(m[3]) as string);
  }
  return keys;
}

function toSchemaIssue(issue: Issue, input: unknown): SchemaIssue.Issue {
  const leaf = new SchemaIssue.InvalidValue({ message: issue.message }, input);
  const keys = fieldPathKeys(issue.path);
  return keys.length > 0 ? new SchemaIssue.Pointer(keys, leaf) : leaf;
}

/** The Schema type of one kind: decodes unknown input into the typed object (defaults applied). */
export type KindSchema<T> = Schema.declareConstructor<T, T, readonly []>;

function declareKind<T extends KnownObject>(title: string, accept: (o: KnownObject) => o is T, options: DecodeOptions): KindSchema<T> {
  return Schema.declareConstructor<T>()(
    [],
    () => (input, ast) => {
      const r = decodeObject(input, options);
      if (r.ok && accept(r.object)) return Effect.succeed(r.object);
      const issues: SchemaIssue.Issue[] = r.ok
        ? [new SchemaIssue.Pointer(["kind"], new SchemaIssue.InvalidValue({ message: `expected ${title}, got ${r.object.kind}` }, input))]
        : r.errors.map((e) => toSchemaIssue(e, input));
      const [first, ...rest] = issues;
      return Effect.fail(rest.length === 0 ? first! : new SchemaIssue.Composite(ast, [first!, ...rest], input));
    },
    { title },
  );
}

/** A Schema for any modelled Kubernetes object (Gateway API, gateway.envoyproxy.io, core kinds). */
export function knownObjectSchema(options: DecodeOptions = {}): KindSchema<KnownObject> {
  return declareKind("KubernetesObject", (o): o is KnownObject => true, options);
}

/** A Schema for one kind, e.g. `kindSchema("HTTPRoute")`, decoding to that kind's type. */
export function kindSchema<K extends KnownKind>(kind: K, options: DecodeOptions = {}): KindSchema<Extract<KnownObject, { kind: K }>> {
  return declareKind(kind, (o): o is Extract<KnownObject, { kind: K }> => o.kind === kind, options);
}
