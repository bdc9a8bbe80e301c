import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const generator = resolve(dirname(fileURLToPath(import.meta.url)), "../../scripts/gen-descriptors.mjs");

describe("descriptors.ts", () => {
  it("is what scripts/gen-descriptors.mjs generates from the IR types and overrides", () => {
    const run = () => execFileSync(process.execPath, [generator, "--check"], { encoding: "utf8", stdio: "pipe" });
    // On failure the generator says what to run; surface its message rather than a bare exit code.
    let message = "";
    try {
      run();
    } catch (error) {
      message = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(message).toBe("");
  }, 60_000);
});
