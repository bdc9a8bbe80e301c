import * as envoyApi from "@egts/envoy-api";
import { xdsResourceTypeNames, type XdsResourceKind } from "@egts/envoy-api";

/** An error from an emitted resource that breaks Envoy's own (protoc-gen-validate) rules. */
export class XdsValidationError extends Error {
  override readonly name = "XdsValidationError";
}

type Validator = (typeName: string, message: unknown) => readonly string[] | string | undefined | void;

// envoy-api's PGV rule checker arrives in parallel with this package; use it once it is exported.
const validator: Validator | undefined = (() => {
  const candidate = (envoyApi as Record<string, unknown>)["validateMessage"];
  return typeof candidate === "function" ? (candidate as Validator) : undefined;
})();

function nameOf(message: unknown): string {
  if (typeof message !== "object" || message === null) return "";
  const m = message as { name?: unknown; clusterName?: unknown };
  return typeof m.name === "string" ? m.name : typeof m.clusterName === "string" ? m.clusterName : "";
}

/** Checks a resource against Envoy's validation rules; throws {@link XdsValidationError} naming it. */
export function validateResource(kind: XdsResourceKind, message: unknown): void {
  if (validator === undefined) return;
  let problems: readonly string[] = [];
  try {
    const out = validator(xdsResourceTypeNames[kind], message);
    problems = out === undefined ? [] : typeof out === "string" ? [out] : Array.isArray(out) ? out : [];
  } catch (e) {
    problems = [e instanceof Error ? e.message : String(e)];
  }
  if (problems.length > 0) {
    throw new XdsValidationError(`validation failed for xds resource ${kind} ${JSON.stringify(nameOf(message))}: ${problems.join("; ")}`);
  }
}
