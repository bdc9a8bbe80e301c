import { fromJson, merge, toJson, type JsonValue } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { descriptorRegistry, formatViolations, messageDescriptor, validate } from "@egts/envoy-api";
import { parse, stringify } from "yaml";

const BOOTSTRAP = "envoy.config.bootstrap.v3.Bootstrap";
const DURATION = "google.protobuf.Duration";

/** A merged bootstrap (YAML) or why the merge failed. */
export type BootstrapMergeResult = { readonly ok: true; readonly yaml: string } | { readonly ok: false; readonly error: string };

/**
 * Where `source` sets a Duration that `target` also holds, clears the target's so the merge replaces the
 * duration as a whole (upstream's merge: durations are replaced, everything else merges field by field).
 */
function clearOverriddenDurations(target: ReflectMessage, source: ReflectMessage): void {
  for (const field of source.fields) {
    if (field.fieldKind !== "message" || !source.isSet(field) || !target.isSet(field)) continue;
    if (field.message.typeName === DURATION) target.clear(field);
    else clearOverriddenDurations(target.get(field) as ReflectMessage, source.get(field) as ReflectMessage);
  }
}

function parseBootstrap(yaml: string, what: string) {
  const registry = descriptorRegistry();
  const json = parse(yaml, { maxAliasCount: 100 }) as JsonValue;
  try {
    return fromJson(messageDescriptor(BOOTSTRAP), json ?? {}, { registry });
  } catch (error) {
    throw new Error(`failed to parse ${what} bootstrap config: ${(error as Error).message}`);
  }
}

/**
 * Merges a user's bootstrap (EnvoyProxy `spec.bootstrap` of type Merge) into the rendered default, as upstream
 * does: protobuf merge semantics (scalars replaced, messages merged, lists appended, map entries replaced), except
 * that durations are replaced whole; the result must pass Envoy's validation rules. Returns canonical YAML.
 */
export function mergeBootstrap(base: string, override: string): BootstrapMergeResult {
  try {
    const desc = messageDescriptor(BOOTSTRAP);
    const target = parseBootstrap(base, "default");
    const source = parseBootstrap(override, "override");
    clearOverriddenDurations(reflect(desc, target), reflect(desc, source));
    merge(desc, target, source);
    const violations = validate(BOOTSTRAP, target);
    if (violations.length > 0) return { ok: false, error: `failed to validate merged bootstrap config: ${formatViolations(violations)}` };
    return { ok: true, yaml: stringify(toJson(desc, target, { registry: descriptorRegistry() }), { lineWidth: 0 }) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
