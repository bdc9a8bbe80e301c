import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorRegistry } from "./Descriptors.js";

describe("the shipped descriptor set", () => {
  it("has every file but no source code info (comments are not shipped)", () => {
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(new URL("./generated/descriptors.binpb", import.meta.url)));
    expect(set.file.length).toBeGreaterThan(400);
    expect(set.file.every((f) => f.sourceCodeInfo === undefined)).toBe(true);
  });

  it("keeps the validate.rules options the validator reads", () => {
    const field = descriptorRegistry()
      .getMessage("envoy.config.cluster.v3.Cluster")
      ?.fields.find((f) => f.name === "name");
    expect(field?.proto.options?.$unknown?.length ?? 0).toBeGreaterThan(0);
  });
});
