import { isDeepStrictEqual } from "node:util";
import type { KubeObject, RenderResult } from "./KubeObjects.js";

/** Identifies one object in the cluster. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** An object as read back from the cluster (JSON form). */
export type StoredObject = { readonly metadata?: { readonly labels?: Readonly<Record<string, string>> } } & Readonly<Record<string, unknown>>;

/** The few API operations the applier needs; implemented over @kubernetes/client-node in `@egts/infra-k8s/client-node`. */
export interface ObjectStore {
  /** The object, or undefined when it does not exist. */
  readonly get: (ref: ObjectRef) => Promise<StoredObject | undefined>;
  readonly create: (object: KubeObject) => Promise<void>;
  /** Writes the object's fields over the stored object's (a merge patch). */
  readonly update: (object: KubeObject) => Promise<void>;
  /** Deletes the object; an object that is already gone is not an error. */
  readonly delete: (ref: ObjectRef) => Promise<void>;
}

/** What one apply did, object by object (`Kind namespace/name`). */
export interface ApplyReport {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  readonly deleted: string[];
  /** Objects with the name egts wants that egts does not own: left alone. */
  readonly notOwned: string[];
  readonly errors: string[];
}

/** The objects one proxy fleet (or the rate-limit service) should have, and those it should not. */
export interface DesiredObjects {
  readonly objects: ReadonlyArray<KubeObject>;
  /** Objects of this fleet that its configuration no longer asks for (an HPA that was removed...). */
  readonly unwanted: ReadonlyArray<ObjectRef>;
  /** Labels an object must carry to count as this fleet's (besides `app.kubernetes.io/managed-by`). */
  readonly ownerLabels: Readonly<Record<string, string>>;
  /** Objects that could not be rendered. */
  readonly errors: ReadonlyArray<string>;
}

/** One object applied or deleted, as {@link ApplyOptions.onObject} hears it. */
export interface ObjectOperationEvent {
  readonly operation: "apply" | "delete";
  readonly ref: ObjectRef;
  /** What happened; `notOwned`: an object egts does not own holds the name (left alone). */
  readonly result: "created" | "updated" | "unchanged" | "deleted" | "notOwned" | "error";
  /** From the read of the stored object to the result. */
  readonly seconds: number;
}

/** Options of {@link applyObjects} and {@link deleteObjects}. */
export interface ApplyOptions {
  /** Hears every object applied or deleted (metrics); an object already absent is no deletion and is not reported. */
  readonly onObject?: (event: ObjectOperationEvent) => void;
}

const MANAGED_BY = "app.kubernetes.io/managed-by";
const describe = (ref: ObjectRef) => `${ref.kind} ${ref.namespace}/${ref.name}`;
const refOf = (object: KubeObject): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  namespace: object.metadata.namespace,
  name: object.metadata.name,
});

/** Whether a stored object is egts's: managed by envoy-gateway and carrying the fleet's owner labels. */
export function ownedBy(stored: StoredObject, ownerLabels: Readonly<Record<string, string>>): boolean {
  const labels = stored.metadata?.labels ?? {};
  return labels[MANAGED_BY] === "envoy-gateway" && Object.entries(ownerLabels).every(([k, v]) => labels[k] === v);
}

/**
 * Whether every field egts sets already has its value in the stored object (fields the API server adds, such as
 * defaults, status and metadata, are ignored; lists must have the same length).
 */
export function containsFields(stored: unknown, desired: unknown): boolean {
  if (desired === undefined) return true;
  if (Array.isArray(desired)) return Array.isArray(stored) && stored.length === desired.length && desired.every((item, i) => containsFields(stored[i], item));
  if (typeof desired === "object" && desired !== null) {
    if (typeof stored !== "object" || stored === null || Array.isArray(stored))
      return Object.keys(desired).length === 0 && (stored === undefined || stored === null);
    return Object.entries(desired).every(([k, v]) => containsFields((stored as Record<string, unknown>)[k], v));
  }
  return isDeepStrictEqual(stored, desired) || (stored !== undefined && String(stored) === String(desired) && typeof stored !== typeof desired);
}

/**
 * Collects a renderer's results into the objects to apply and the ones to remove: a render that yields no object
 * (no HPA configured, a DaemonSet instead of a Deployment) makes that kind unwanted under `defaultName`.
 */
export function desiredObjects(
  renders: ReadonlyArray<readonly [ObjectRef["kind"], string, RenderResult]>,
  namespace: string,
  defaultName: string,
  ownerLabels: Readonly<Record<string, string>>,
): DesiredObjects {
  const objects: KubeObject[] = [];
  const unwanted: ObjectRef[] = [];
  const errors: string[] = [];
  for (const [kind, apiVersion, result] of renders) {
    if (!result.ok) errors.push(`${kind}: ${result.error}`);
    else if (result.object !== undefined) objects.push(result.object);
    else unwanted.push({ apiVersion, kind, namespace, name: defaultName });
  }
  return { objects, unwanted, ownerLabels, errors };
}

/**
 * Makes the cluster hold `desired`: creates missing objects, rewrites objects whose egts-set fields drifted, writes
 * nothing when nothing changed, deletes the unwanted ones; any object egts does not own is left alone and
 * reported. One failing object does not stop the others.
 */
export async function applyObjects(store: ObjectStore, desired: DesiredObjects, options: ApplyOptions = {}): Promise<ApplyReport> {
  const report: ApplyReport = { created: [], updated: [], unchanged: [], deleted: [], notOwned: [], errors: [...desired.errors] };
  for (const object of desired.objects) {
    const ref = refOf(object);
    const started = performance.now();
    let result: ObjectOperationEvent["result"];
    try {
      const stored = await store.get(ref);
      if (stored === undefined) {
        await store.create(object);
        result = "created";
      } else if (!ownedBy(stored, desired.ownerLabels)) {
        result = "notOwned";
      } else if (containsFields(stored, object)) {
        result = "unchanged";
      } else {
        await store.update(object);
        result = "updated";
      }
      report[result].push(describe(ref));
    } catch (error) {
      result = "error";
      report.errors.push(`${describe(ref)}: ${(error as Error).message}`);
    }
    tell(options, { operation: "apply", ref, result, seconds: (performance.now() - started) / 1000 });
  }
  await deleteInto(report, store, desired.unwanted, desired.ownerLabels, options);
  return report;
}

/** Deletes the given objects if egts owns them (a Gateway went away); reports each. */
export function deleteObjects(
  store: ObjectStore,
  refs: ReadonlyArray<ObjectRef>,
  ownerLabels: Readonly<Record<string, string>>,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  return deleteInto({ created: [], updated: [], unchanged: [], deleted: [], notOwned: [], errors: [] }, store, refs, ownerLabels, options);
}

async function deleteInto(
  report: ApplyReport,
  store: ObjectStore,
  refs: ReadonlyArray<ObjectRef>,
  ownerLabels: Readonly<Record<string, string>>,
  options: ApplyOptions,
): Promise<ApplyReport> {
  for (const ref of refs) {
    const started = performance.now();
    let result: ObjectOperationEvent["result"];
    try {
      const stored = await store.get(ref);
      if (stored === undefined) continue;
      if (!ownedBy(stored, ownerLabels)) {
        result = "notOwned";
      } else {
        await store.delete(ref);
        result = "deleted";
      }
      report[result].push(describe(ref));
    } catch (error) {
      result = "error";
      report.errors.push(`${describe(ref)}: ${(error as Error).message}`);
    }
    tell(options, { operation: "delete", ref, result, seconds: (performance.now() - started) / 1000 });
  }
  return report;
}

/** Reports to the observer; its failure is its own and never changes what was applied. */
function tell(options: ApplyOptions, event: ObjectOperationEvent): void {
  try {
    options.onObject?.(event);
  } catch {
    // An observer (metrics) that throws must not turn an applied object into a failed one.
  }
}
