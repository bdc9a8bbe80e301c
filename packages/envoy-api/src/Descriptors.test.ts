import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { equals, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorRegistry, withoutSourceCodeInfo } from "./Descriptors.js";

describe("withoutSourceCodeInfo", () => {
  it("drops exactly the files' source code info from the shipped descriptor set", () => {
    const bytes = readFileSync(new URL("./generated/descriptors.binpb", import.meta.url));
    const full = fromBinary(FileDescriptorSetSchema, bytes);
    const stripped = fromBinary(FileDescriptorSetSchema, withoutSourceCodeInfo(bytes));
    expect(full.file.some((f) => f.sourceCodeInfo !== undefined)).toBe(true);
    expect(stripped.file.every((f) => f.sourceCodeInfo === undefined)).toBe(true);
    for (const f of full.file) f.sourceCodeInfo = undefined;
    expect(equals(FileDescriptorSetSchema, stripped, full)).toBe(true);
  });

  it("keeps the validate.rules options the validator reads", () => {
    const field = descriptorRegistry().getMessage("envoy.config.cluster.v3.Cluster")?.fields.find((f) => f.name === "name");
    expect(field?.proto.options?.$unknown?.length ?? 0).toBeGreaterThan(0);
  });
});
