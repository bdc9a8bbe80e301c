import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { describe, expect, it } from "vitest";
import { configDumpOf } from "./ConfigDump.js";

describe("configDumpOf", () => {
  it("renders Envoy's config dump shape, from messages or their bytes, and redacts private keys", () => {
    const secret = Secret.fromPartial({
      name: "default/tls",
      type: {
        $case: "tlsCertificate",
        value: {
          certificateChain: { specifier: { $case: "inlineBytes", value: Buffer.from("CERT") } },
          privateKey: { specifier: { $case: "inlineBytes", value: Buffer.from("KEY") } },
        },
      },
    });
    const listener = Listener.fromPartial({
      name: "l1",
      address: { address: { $case: "socketAddress", value: { address: "0.0.0.0", portSpecifier: { $case: "portValue", value: 8080 } } } },
    });
    const dump = configDumpOf({
      listeners: [{ name: "l1", bytes: Listener.encode(listener).finish() }],
      routes: [],
      clusters: [],
      endpoints: [],
      secrets: [{ name: "default/tls", message: secret }],
    });
    expect(dump.configs.map((c) => c["@type"])).toEqual([
      "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump",
      "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
      "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
      "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
      "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
    ]);
    expect(dump.configs[2]).toEqual({
      "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
      dynamicListeners: [
        {
          activeState: {
            listener: {
              "@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
              name: "l1",
              address: { socketAddress: { address: "0.0.0.0", portValue: 8080 } },
            },
          },
        },
      ],
    });
    const secrets = JSON.stringify(dump.configs[4]);
    expect(secrets).toContain(Buffer.from("CERT").toString("base64"));
    expect(secrets).not.toContain(Buffer.from("KEY").toString("base64"));
    expect(secrets).toContain(Buffer.from("[redacted]").toString("base64"));
  });
});
