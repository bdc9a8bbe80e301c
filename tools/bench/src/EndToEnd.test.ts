import { generateCertificates } from "@egts/xds-server";
import { describe, expect, it } from "vitest";
import { runEndToEnd } from "./EndToEnd.js";
import { gobenchYaml } from "./GobenchWorkload.js";

describe("end-to-end rows", () => {
  it("runs the real controller on a workload and hears every edit at the delta clients", async () => {
    const tls = generateCertificates({ serverDnsNames: ["www.example.com"] });
    const figures = await runEndToEnd({
      yaml: gobenchYaml("small", { certificate: tls.envoyGatewayCertificate, privateKey: tls.envoyGatewayPrivateKey }),
      edits: 2,
      warmUpEdits: 1,
      fanOutStreams: 3,
      rows: new Set(["ready", "route", "endpoint", "rss", "fanout"]),
    });
    expect(figures.startToReadyMs).toBeGreaterThan(0);
    expect(figures.routeEditMs).toHaveLength(2);
    expect(figures.endpointEditMs).toHaveLength(2);
    expect(figures.routeWarmUpMs).toHaveLength(1);
    expect(figures.endpointWarmUpMs).toHaveLength(1);
    expect(figures.fanOutMs).toHaveLength(2);
    expect(figures.rssMiB).toBeGreaterThan(0);
    // Every measured endpoint edit (the warm-up edit is not counted) went through the Gateway API stage once
    // (on some path) and set a snapshot.
    expect(figures.endpointEditStages).toMatch(/xds-snapshot set: 2/);
  }, 120_000);
});
