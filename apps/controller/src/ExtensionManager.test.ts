import { describe, expect, it } from "vitest";
import type { EnvoyGateway, Resources } from "@egts/api";
import { makeBus } from "./Bus.js";
import { hasExtensionManagers, secretFromResources } from "./ExtensionManager.js";

describe("secretFromResources", () => {
  it("finds a Secret by name and namespace among the provider's objects and decodes its data", () => {
    const bus = makeBus();
    const secret = (namespace: string, value: string) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "ext-ca", namespace },
      data: { "tls.crt": Buffer.from(value).toString("base64") },
    });
    bus.resources.store("eg", { secrets: [secret("other", "wrong"), secret("envoy-gateway-system", "PEM")] } as unknown as Resources);
    const data = secretFromResources(bus, { name: "ext-ca" }, "envoy-gateway-system");
    expect(Buffer.from(data?.["tls.crt"] ?? []).toString()).toBe("PEM");
    expect(secretFromResources(bus, { name: "ext-ca" }, "missing")).toBeUndefined();
  });
});

describe("hasExtensionManagers", () => {
  it("is true for either spelling of the configuration", () => {
    expect(hasExtensionManagers({} as EnvoyGateway)).toBe(false);
    expect(hasExtensionManagers({ extensionManager: { service: { host: "ext", port: 1 } } } as EnvoyGateway)).toBe(true);
    expect(hasExtensionManagers({ extensionManagers: [{ name: "a" }, { name: "b" }] } as unknown as EnvoyGateway)).toBe(true);
    expect(hasExtensionManagers({ extensionManagers: [] } as unknown as EnvoyGateway)).toBe(false);
  });
});
