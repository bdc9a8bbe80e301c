import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { fromProtoJson, packAny, toProtoJson, xdsResourceTypeNames, type XdsResourceKind } from "@egts/envoy-api";
import { messageType, unpackAny } from "@egts/envoy-api/registry";
import { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { Duration } from "@egts/envoy-api/generated/google/protobuf/duration";

const corpus = resolve(import.meta.dirname, "../../../../shared/reference/xds");

describe("proto3 JSON", () => {
  it("writes canonical JSON: durations, enums by name, wrappers, Any with @type", () => {
    const cluster = Cluster.fromPartial({
      name: "c1",
      connectTimeout: Duration.fromPartial({ seconds: "10", nanos: 0 }),
      lbPolicy: 1,
      perConnectionBufferLimitBytes: 32768,
      typedExtensionProtocolOptions: { x: packAny(Duration, { seconds: "1", nanos: 500_000_000 }) },
    });
    expect(toProtoJson(Cluster, cluster)).toEqual({
      name: "c1",
      connectTimeout: "10s",
      lbPolicy: "LEAST_REQUEST",
      perConnectionBufferLimitBytes: 32768,
      typedExtensionProtocolOptions: { x: { "@type": "type.googleapis.com/google.protobuf.Duration", value: "1.500s" } },
    });
  });

  it("rejects unknown fields with the field's name", () => {
    expect(() => fromProtoJson(Cluster, { name: "c", bogusField: 1 })).toThrow(/bogusField/);
  });

  it("unpacks an Any through the registry", () => {
    const any = packAny(Duration, { seconds: "3", nanos: 0 });
    expect(unpackAny(any)).toEqual({ typeName: "google.protobuf.Duration", message: { seconds: "3", nanos: 0 } });
  });
});

// Every resource in the corpus's expected output survives JSON -> message -> binary -> message -> JSON.
describe.runIf(existsSync(corpus))("round trip of the reference corpus", () => {
  const cases = existsSync(corpus) ? readdirSync(corpus).sort() : [];
  it.each(cases)("%s", (name) => {
    const dir = join(corpus, name, "expected");
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) {
      const kind = file.replace(/\.json$/, "") as XdsResourceKind;
      const typeName = xdsResourceTypeNames[kind];
      if (typeName === undefined) continue;
      const type = messageType(typeName);
      const resources = JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown[];
      for (const resource of resources) {
        const message = fromProtoJson(type, resource as never);
        const bytes = type.encode(message).finish();
        expect(toProtoJson(type, type.decode(bytes)), `${name}/${file}`).toEqual(resource);
      }
    }
  });
});
