import { describe, expect, it } from "vitest";
import { withProviderConditions } from "./ProviderStatus.js";

const pending = (type: string) => ({
  type,
  status: "Unknown",
  reason: "Pending",
  message: "Waiting for controller",
  lastTransitionTime: "1970-01-01T00:00:00Z",
});
const now = new Date("2026-01-02T03:04:05.678Z");

describe("withProviderConditions", () => {
  it("accepts a GatewayClass still pending and leaves one the translator rejected", () => {
    const [ok, rejected] = withProviderConditions(
      [
        { kind: "GatewayClass", name: "eg", status: { conditions: [pending("Accepted")] } },
        {
          kind: "GatewayClass",
          name: "bad",
          status: { conditions: [{ type: "Accepted", status: "False", reason: "InvalidParameters", message: "Invalid parametersRef: x" }] },
        },
      ],
      now,
    );
    expect(ok!.status).toEqual({
      conditions: [{ type: "Accepted", status: "True", reason: "Accepted", message: "Valid GatewayClass", lastTransitionTime: "2026-01-02T03:04:05Z" }],
    });
    expect((rejected!.status as { conditions: { reason: string }[] }).conditions[0]!.reason).toBe("InvalidParameters");
  });

  it("derives a Gateway's Accepted condition from its listeners and reports no address on the host", () => {
    const listener = (name: string, accepted: boolean) => ({
      name,
      conditions: [{ type: "Accepted", status: accepted ? "True" : "False", reason: "x", message: "x", observedGeneration: 3 }],
    });
    const [some, none] = withProviderConditions(
      [
        {
          kind: "Gateway",
          namespace: "default",
          name: "a",
          status: { conditions: [pending("Accepted"), pending("Programmed")], listeners: [listener("http", true), listener("tls", false)] },
        },
        { kind: "Gateway", namespace: "default", name: "b", status: { listeners: [listener("https", false), listener("grpc", false)] } },
      ],
      now,
    );
    const conditions = (e: typeof some) =>
      (e!.status as { conditions: { type: string; status: string; reason: string; message: string }[] }).conditions.map((c) => [
        c.type,
        c.status,
        c.reason,
        c.message,
      ]);
    expect(conditions(some)).toEqual([
      ["Accepted", "True", "ListenersNotValid", "Listeners not valid: tls"],
      ["Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway"],
    ]);
    expect(conditions(none)[0]).toEqual(["Accepted", "False", "ListenersNotValid", "No listeners are valid: grpc, https"]);
  });
});
