import { describe, expect, it } from "vitest";
import { translateTrafficFeatures } from "./ClusterSettings.js";
import { irToJsonInPlace } from "./Json.js";

describe("translateTrafficFeatures", () => {
  it("decodes binary health check payloads from base64 into the bytes Envoy sends and expects", () => {
    const traffic = translateTrafficFeatures({
      healthCheck: {
        active: {
          type: "TCP",
          tcp: { send: { type: "Binary", binary: "AAEC/w==" }, receive: { type: "Text", text: "pong" } },
        },
      },
    });
    if (typeof traffic !== "object") throw new Error(`unexpected ${String(traffic)}`);
    const tcp = traffic.healthCheck?.active?.tcp;
    expect(tcp?.send?.binary).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(tcp?.receive).toEqual({ text: "pong" });
    // The JSON form writes the bytes back as base64, as upstream's JSON has them.
    expect(irToJsonInPlace(structuredClone(traffic)).healthCheck?.active?.tcp?.send).toEqual({ binary: "AAEC/w==" });
  });

  it("reports the first invalid duration of each timeout", () => {
    expect(translateTrafficFeatures({ timeout: { tcp: { connectTimeout: "soon" }, http: { requestTimeout: "1x" } } })).toBe(
      "invalid ConnectTimeout value soon\ninvalid RequestTimeout value 1x",
    );
  });

  it("takes consecutive5xxErrors, as Go's case-insensitive JSON does, when consecutive5XxErrors is absent", () => {
    const spelled = { consecutive5xxErrors: 7 } as { consecutive5XxErrors?: number };
    const traffic = translateTrafficFeatures({ healthCheck: { passive: spelled } });
    expect(typeof traffic === "object" ? traffic.healthCheck?.passive : traffic).toEqual({ consecutive5XxErrors: 7 });
  });
});
