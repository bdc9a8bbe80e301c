import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corpusRoot, repoRoot, runCase, xdsCases } from "./corpus.js";

// Runs every reference case; with EGTS_XDS_OUT set, the output stays there for refcheck --verbose.
const outRoot = process.env["EGTS_XDS_OUT"] ?? mkdtempSync(join(tmpdir(), "egts-xds-"));
const ratchet = join(repoRoot, "packages/xds-translator/test/passing-cases.json");

describe.skipIf(!existsSync(corpusRoot))("xds reference corpus", () => {
  it("keeps every case in passing-cases.json matching", () => {
    for (const name of xdsCases()) runCase(name, outRoot);
    const passing = JSON.parse(readFileSync(ratchet, "utf8")) as unknown;
    expect(Array.isArray(passing) || typeof passing === "object").toBe(true);
    const check = spawnSync(
      process.execPath,
      [join(corpusRoot, "refcheck.mjs"), "--corpus", corpusRoot, "--actual", outRoot, "--suite", "xds", "--baseline", ratchet],
      { encoding: "utf8" },
    );
    expect(check.stdout + check.stderr).not.toContain("REGRESSION");
    expect(check.status, check.stdout + check.stderr).toBe(0);
  }, 600_000);
});
