import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { caseNames, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/**
 * Runs the project's egctl as a user would, once per egctl case, with the case folder as working directory:
 * stdout (YAML or JSON) is parsed into actual.json, the exit code goes to exit.json, stderr to stderr.txt.
 */
export function runEgctlSuite(corpus: string, out: string, egctlMain: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "egctl")) {
    const caseDir = join(corpus, "egctl", name);
    const actualDir = join(out, "egctl", name);
    rmSync(actualDir, { recursive: true, force: true });
    const { args } = readJson(join(caseDir, "args.json")) as { args: string[] };
    const run = spawnSync(process.execPath, [egctlMain, ...args], { cwd: caseDir, encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    writeJson(join(actualDir, "exit.json"), { code: run.status ?? -1 });
    if (run.stderr) writeText(join(actualDir, "stderr.txt"), run.stderr);
    if (run.status === 0) {
      try {
        writeJson(join(actualDir, "actual.json"), parse(run.stdout, { maxAliasCount: 100 }));
      } catch (e) {
        writeText(join(actualDir, "stdout-unparsed.txt"), `${e instanceof Error ? e.message : String(e)}\n${run.stdout}`);
      }
    }
    written++;
  }
  return { suite: "egctl", written, skipped: 0 };
}
