import type { ResourceStatus } from "./Stages.js";

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const conditionsOf = (status: unknown): Condition[] => (isRecord(status) && Array.isArray(status["conditions"]) ? (status["conditions"] as Condition[]) : []);

/** Replaces the condition of the same type (keeping its transition time when its status is unchanged), or appends. */
function mergeCondition(conditions: ReadonlyArray<Condition>, next: Condition): Condition[] {
  const index = conditions.findIndex((c) => c.type === next.type);
  if (index < 0) return [...conditions, next];
  const before = conditions[index]!;
  const merged = before.status === next.status && before.lastTransitionTime !== undefined ? { ...next, lastTransitionTime: before.lastTransitionTime } : next;
  return conditions.map((c, i) => (i === index ? merged : c));
}

/** The Gateway's Accepted condition derived from its listeners' Accepted conditions (upstream's status.UpdateGatewayStatusAccepted). */
function gatewayAccepted(listeners: ReadonlyArray<{ name: string; conditions?: Condition[] }>): Pick<Condition, "status" | "reason" | "message"> {
  const notAccepted = listeners
    .filter((l) => !(l.conditions ?? []).some((c) => c.type === "Accepted" && c.status === "True"))
    .map((l) => l.name)
    .sort();
  if (notAccepted.length === 0) return { status: "True", reason: "Accepted", message: "The Gateway has been scheduled by Envoy Gateway" };
  if (notAccepted.length < listeners.length) return { status: "True", reason: "ListenersNotValid", message: `Listeners not valid: ${notAccepted.join(", ")}` };
  return { status: "False", reason: "ListenersNotValid", message: `No listeners are valid: ${notAccepted.join(", ")}` };
}

/**
 * Adds the conditions upstream's provider (not its translator) writes, for a standalone controller:
 * - a managed GatewayClass the translator did not reject is Accepted ("Valid GatewayClass");
 * - a Gateway not explicitly rejected is Accepted from its listeners, and, as there is no Envoy Service on the
 *   host to take an address from, not Programmed ("No addresses have been assigned to the Gateway").
 * Conditions still carrying the CRD default ("Pending", "Waiting for controller") are replaced.
 */
export function withProviderConditions(statuses: ReadonlyArray<ResourceStatus>, now: Date): ResourceStatus[] {
  const time = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  return statuses.map((entry) => {
    if (!isRecord(entry.status)) return entry;
    const conditions = conditionsOf(entry.status);
    const generation = conditions.find((c) => c.observedGeneration !== undefined)?.observedGeneration;
    const condition = (type: string, c: Pick<Condition, "status" | "reason" | "message">): Condition => ({
      type,
      ...c,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      lastTransitionTime: time,
    });
    if (entry.kind === "GatewayClass") {
      const accepted = conditions.find((c) => c.type === "Accepted");
      if (accepted !== undefined && accepted.reason !== "Pending") return entry;
      return {
        ...entry,
        status: {
          ...entry.status,
          conditions: mergeCondition(conditions, condition("Accepted", { status: "True", reason: "Accepted", message: "Valid GatewayClass" })),
        },
      };
    }
    if (entry.kind === "Gateway") {
      if (conditions.some((c) => c.type === "Accepted" && c.status === "False")) return entry;
      const listeners = Array.isArray(entry.status["listeners"]) ? (entry.status["listeners"] as { name: string; conditions?: Condition[] }[]) : [];
      let next = mergeCondition(conditions, condition("Accepted", gatewayAccepted(listeners)));
      next = mergeCondition(
        next,
        condition("Programmed", { status: "False", reason: "AddressNotAssigned", message: "No addresses have been assigned to the Gateway" }),
      );
      return { ...entry, status: { ...entry.status, conditions: next } };
    }
    return entry;
  });
}
