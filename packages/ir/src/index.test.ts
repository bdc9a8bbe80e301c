import { expect, it } from "vitest";
import { decodeXds, encodeXds, IR_VERSION } from "@egts/ir";

it("names the upstream version it mirrors", () => {
  expect(IR_VERSION).toBe("v1.9");
});

it("decodes and re-encodes a minimal xds IR", () => {
  const ir = decodeXds({ http: [{ name: "l", address: "0.0.0.0", port: 10080, hostnames: ["*"] }] });
  expect(encodeXds(ir)).toEqual({
    http: [{ name: "l", address: "0.0.0.0", port: 10080, hostnames: ["*"], path: { mergeSlashes: false, escapedSlashesAction: "" } }],
  });
});
