// Policy ancestor status (upstream status/policy.go): one entry per ancestor (Gateway, listener, ListenerSet,
// route) with Accepted/Overridden/Warning conditions, bounded to the 16 ancestors the CRD allows.
import { condition, setCondition, type StatusCondition } from "../Conditions.js";

/** An ancestor reference as written in a policy status (group, kind, namespace, name, sectionName). */
export interface AncestorRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly sectionName?: string;
}

/** One ancestor's entry in a policy status. */
export interface PolicyAncestorStatus {
  ancestorRef: AncestorRef;
  controllerName: string;
  conditions: StatusCondition[];
}

/** A policy-level error that becomes an Accepted=False condition with its own reason. */
export interface PolicyResolveError {
  readonly reason: string;
  readonly message: string;
}

/** The ancestor reference for a policy attached to a Gateway (or one of its listeners). */
export function gatewayAncestorRef(namespace: string, name: string, sectionName?: string): AncestorRef {
  const ref: { group: string; kind: string; namespace: string; name: string; sectionName?: string } = {
    group: "gateway.networking.k8s.io",
    kind: "Gateway",
    namespace,
    name,
  };
  if (sectionName !== undefined) ref.sectionName = sectionName;
  return ref;
}

/** The ancestor reference for a policy attached to a ListenerSet (or one of its listeners). */
export function listenerSetAncestorRef(namespace: string, name: string, sectionName?: string): AncestorRef {
  return { ...gatewayAncestorRef(namespace, name, sectionName), kind: "ListenerSet" };
}

function sameRef(a: AncestorRef, b: AncestorRef): boolean {
  return a.name === b.name && a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.sectionName === b.sectionName;
}

const maxAncestors = 16;
// One slot above the CRD limit, so the final truncation still sees an overflow and marks it Aggregated.
const softCap = maxAncestors + 1;

/** The message of the Aggregated condition set on the last ancestor kept by {@link truncateAncestors}. */
export const ancestorsTruncatedMessage = "Ancestors have been truncated because the number of policy ancestors exceeds 16.";

/** The fields of an ancestor entry the CRD-limit ordering looks at. */
interface RankedAncestor {
  readonly ancestorRef: { readonly namespace?: string | number; readonly name?: string | number };
  readonly conditions: ReadonlyArray<StatusCondition>;
}

function rank(a: RankedAncestor): number {
  if (a.conditions.some((c) => c.type === "Accepted" && c.status === "False")) return 0;
  // Upstream looks the rank up by the reason name used as a condition type; kept for identical ordering.
  if (a.conditions.some((c) => c.type === "Overridden" && c.status === "True")) return 1;
  return 2;
}

function lessAncestor(a: RankedAncestor, b: RankedAncestor): boolean {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb;
  const na = String(a.ancestorRef.namespace ?? "");
  const nb = String(b.ancestorRef.namespace ?? "");
  if (na !== nb) return na < nb;
  return String(a.ancestorRef.name ?? "") < String(b.ancestorRef.name ?? "");
}

/**
 * Keeps an ancestor list within one entry above the CRD limit as entries are added, dropping the least
 * important one (not accepted first, then overridden, then by namespace and name).
 */
export function boundAncestors(ancestors: RankedAncestor[]): void {
  if (ancestors.length <= softCap) return;
  let worst = 0;
  for (let i = 1; i < ancestors.length; i++) {
    if (lessAncestor(ancestors[worst] as RankedAncestor, ancestors[i] as RankedAncestor)) worst = i;
  }
  ancestors.splice(worst, 1);
}

/**
 * Cuts an ancestor list to the CRD's 16 entries, most important first; returns the last kept entry (to be
 * marked Aggregated) or undefined when nothing was cut.
 */
export function truncateAncestors<A extends RankedAncestor>(ancestors: A[]): A | undefined {
  if (ancestors.length <= maxAncestors) return undefined;
  const sorted = [...ancestors].sort((a, b) => (lessAncestor(a, b) ? -1 : lessAncestor(b, a) ? 1 : 0));
  ancestors.splice(0, ancestors.length, ...sorted.slice(0, maxAncestors));
  return ancestors[maxAncestors - 1];
}

function mergeWarnings(existing: string, next: string): string {
  if (existing === "") return next;
  if (next === "" || existing === next || existing.includes(next)) return existing;
  if (next.includes(existing)) return next;
  return `${existing}; ${next}`;
}

/** The ancestor statuses of one policy, built up during translation. */
export class PolicyStatus {
  readonly ancestors: PolicyAncestorStatus[] = [];

  constructor(
    private readonly controllerName: string,
    private readonly generation: number | undefined,
  ) {}

  private entry(ref: AncestorRef): PolicyAncestorStatus | undefined {
    return this.ancestors.find((a) => a.controllerName === this.controllerName && sameRef(a.ancestorRef, ref));
  }

  /** Sets a condition on one ancestor, adding the ancestor when new. */
  set(ref: AncestorRef, type: string, status: "True" | "False", reason: string, message: string): void {
    const cond = condition(type, status, reason, message, this.generation);
    const existing = this.entry(ref);
    if (existing !== undefined) {
      setCondition(existing.conditions, cond);
      return;
    }
    this.ancestors.push({ ancestorRef: ref, controllerName: this.controllerName, conditions: [cond] });
    boundAncestors(this.ancestors);
  }

  /** Accepted=False with the error's reason. */
  setResolveError(ref: AncestorRef, err: PolicyResolveError): void {
    this.set(ref, "Accepted", "False", err.reason, err.message);
  }

  /** Accepted=False, reason Invalid. */
  setTranslationError(ref: AncestorRef, message: string): void {
    this.set(ref, "Accepted", "False", "Invalid", message);
  }

  /** Accepted=True unless the ancestor already has an Accepted condition. */
  setAccepted(ref: AncestorRef): void {
    if (this.entry(ref)?.conditions.some((c) => c.type === "Accepted") === true) return;
    this.set(ref, "Accepted", "True", "Accepted", "Policy has been accepted.");
  }

  /** Adds a Warning, joining it with an existing warning of the ancestor. */
  setWarning(ref: AncestorRef, reason: string, message: string): void {
    if (message === "") return;
    const existing = this.entry(ref)?.conditions.find((c) => c.type === "Warning");
    if (existing === undefined) {
      this.set(ref, "Warning", "True", reason, message);
      return;
    }
    const combinedReason = existing.reason === "" || existing.reason === reason ? reason : "Warnings";
    this.set(ref, "Warning", "True", combinedReason, mergeWarnings(existing.message, message));
  }

  /** A DeprecatedField warning listing each deprecated field and its replacement, sorted by field. */
  setDeprecatedFields(ref: AncestorRef, fields: ReadonlyMap<string, string>): void {
    if (fields.size === 0) return;
    const message = [...fields.keys()]
      .sort()
      .map((f) => `${f} is deprecated, use ${fields.get(f) ?? ""} instead`)
      .join("; ");
    this.setWarning(ref, "DeprecatedField", message);
  }

  /** Cuts the list to 16 ancestors, most important first, marking the last one Aggregated. */
  truncate(): void {
    const last = truncateAncestors(this.ancestors);
    if (last !== undefined) this.set(last.ancestorRef, "Aggregated", "True", "Aggregated", ancestorsTruncatedMessage);
  }

  /** The status object written into the policy. */
  json(): { ancestors: PolicyAncestorStatus[] } {
    return { ancestors: this.ancestors };
  }
}
