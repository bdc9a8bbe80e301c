import { expect, it } from "vitest";
import { IR_VERSION } from "@egts/ir";
it("exports", () => { expect(IR_VERSION).toBe("v1.9"); });
