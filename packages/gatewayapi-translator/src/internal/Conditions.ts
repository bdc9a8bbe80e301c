// Status conditions and the typed route errors that become them (upstream internal/gatewayapi/status).

/** A status condition as written into a resource's status. */
export interface StatusCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string | null;
}

const maxMessageLength = 32768;
const truncationSuffix = " (message truncated).";

function truncateMessage(message: string): string {
  return message.length <= maxMessageLength ? message : message.slice(0, maxMessageLength - truncationSuffix.length) + truncationSuffix;
}

/** Builds a condition; the transition time is left unset because callers compare without it. */
export function condition(type: string, status: StatusCondition["status"], reason: string, message: string, generation?: number): StatusCondition {
  const c: StatusCondition = { type, status, reason, message: truncateMessage(message), lastTransitionTime: null };
  if (generation !== undefined && generation !== 0) c.observedGeneration = generation;
  return c;
}

/** Sets a condition in place: replaces the one of the same type, or appends it. */
export function setCondition(conditions: StatusCondition[], update: StatusCondition): void {
  const existing = conditions.find((c) => c.type === update.type);
  if (existing === undefined) {
    conditions.push(update);
    return;
  }
  existing.status = update.status;
  existing.reason = update.reason;
  existing.message = update.message;
  if (update.observedGeneration !== undefined) existing.observedGeneration = update.observedGeneration;
}

/** Whether the list holds a condition of this type with this status. */
export function hasCondition(conditions: ReadonlyArray<StatusCondition>, type: string, status: string): boolean {
  return conditions.some((c) => c.type === type && c.status === status);
}

/** Turns an error text into a condition message: first letter upper-cased, ends with a period. */
export function conditionMessage(message: string): string {
  if (message === "") return message;
  // The first code point (one or two UTF-16 units); a string ends in the code point "." exactly when its last unit is ".".
  const first = String.fromCodePoint(message.codePointAt(0) as number);
  const head = letter.test(first) ? first.toUpperCase() : first;
  return head + message.slice(first.length) + (message.endsWith(".") ? "" : ".");
}

const letter = /\p{L}/u;

/** Route condition types and reasons Envoy Gateway adds to Gateway API's own. */
export const RouteConditionType = {
  Accepted: "Accepted",
  ResolvedRefs: "ResolvedRefs",
  PartiallyInvalid: "PartiallyInvalid",
  BackendsAvailable: "BackendsAvailable",
} as const;

/**
 * A route problem with the condition type and reason it is reported under. A value, not an `Error`: it is
 * returned, never thrown, and routes produce thousands of them (capturing a stack trace each cost ~8 ms per
 * gobench-large translation).
 */
export class RouteStatusError {
  readonly message: string;
  readonly reason: string;
  readonly conditionType: string;
  constructor(message: string, reason: string, conditionType: string = RouteConditionType.ResolvedRefs) {
    this.message = message;
    this.reason = reason;
    this.conditionType = conditionType;
  }
  /** The same error reported under another condition type. */
  withType(conditionType: string): RouteStatusError {
    return new RouteStatusError(this.message, this.reason, conditionType);
  }
}

/** Collects route errors by condition type, joining messages and reasons like upstream's collector. */
export class RouteErrorCollector {
  private readonly byType = new Map<string, RouteStatusError[]>();

  add(error: RouteStatusError | undefined): void {
    if (error === undefined) return;
    const list = this.byType.get(error.conditionType);
    if (list === undefined) this.byType.set(error.conditionType, [error]);
    else list.push(error);
  }

  get empty(): boolean {
    return this.byType.size === 0;
  }

  /** One joined error per condition type, in the order the types were first seen. */
  all(): RouteStatusError[] {
    const out: RouteStatusError[] = [];
    for (const [type, errors] of this.byType) {
      const message = errors.length === 1 ? (errors[0] as RouteStatusError).message : errors.map((e) => conditionMessage(e.message)).join("\n");
      const reasons = [...new Set(errors.map((e) => e.reason).filter((r) => r !== ""))].sort();
      out.push(new RouteStatusError(message, reasons.join(","), type));
    }
    return out;
  }
}

const acceptedReasons = new Set(["NotAllowedByListeners", "NoMatchingListenerHostname", "NoMatchingParent", "UnsupportedValue"]);

/** Maps a reason onto one that is valid for the Accepted condition. */
export function toAcceptedReason(reason: string): string {
  return acceptedReasons.has(reason) ? reason : "UnsupportedValue";
}
