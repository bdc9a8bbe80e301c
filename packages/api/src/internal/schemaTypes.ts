/** One CEL validation rule attached to a schema node (x-kubernetes-validations). */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** A structural OpenAPI v3 schema node, as Kubernetes CRDs use it (descriptions dropped). */
export interface SchemaNode {
  readonly type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  readonly properties?: { readonly [name: string]: SchemaNode };
  readonly required?: ReadonlyArray<string>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly enum?: ReadonlyArray<unknown>;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly nullable?: boolean;
  readonly anyOf?: ReadonlyArray<SchemaNode>;
  readonly oneOf?: ReadonlyArray<SchemaNode>;
  readonly allOf?: ReadonlyArray<SchemaNode>;
  readonly not?: SchemaNode;
  readonly "x-kubernetes-int-or-string"?: boolean;
  readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
  readonly "x-kubernetes-embedded-resource"?: boolean;
  readonly "x-kubernetes-validations"?: ReadonlyArray<CelRule>;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: ReadonlyArray<string>;
  readonly "x-kubernetes-map-type"?: "atomic" | "granular";
}

/** One CRD kind and its served versions (each pointing into the shared schema table). */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly versions: ReadonlyArray<{ readonly name: string; readonly storage: boolean; readonly schema: number }>;
}

/** All CRD kinds plus their de-duplicated schemas. */
export interface CrdBundle {
  readonly kinds: ReadonlyArray<CrdKind>;
  readonly schemas: ReadonlyArray<SchemaNode>;
}
