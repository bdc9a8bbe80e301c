#!/usr/bin/env node
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { suiteNames, type SuiteName, type SuiteReport } from "./Corpus.js";
import { runEgctlSuite } from "./EgctlSuite.js";
import { roundTripGatewayApi } from "./GatewayApiSuite.js";
import { translateRateLimitSuite } from "./RateLimitSuite.js";
import { renderInfraSuite } from "./InfraSuite.js";
import { runBootstrapSuite } from "./BootstrapSuite.js";
import { translateGatewayApiSuite, translateXdsSuite } from "./TranslateSuites.js";
import { roundTripXds } from "./XdsSuite.js";
import { translateExtensionSuite } from "./ExtensionSuite.js";

/** The built egctl of this checkout (tools/reference/dist -> apps/egctl/dist). */
const egctlMain = fileURLToPath(new URL("../../../apps/egctl/dist/main.js", import.meta.url));

const usage = `usage: npm run reference -- [--corpus DIR] [--out DIR] [--suite ${suiteNames.join(",")}] [--roundtrip]`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: "string", default: resolve("../shared/reference") },
      out: { type: "string", default: resolve("out/reference") },
      suite: { type: "string", default: suiteNames.join(",") },
      roundtrip: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const suites = values.suite.split(",").filter(Boolean);
  for (const s of suites) {
    if (!(suiteNames as readonly string[]).includes(s)) {
      console.error(`unknown suite ${s}\n${usage}`);
      return 2;
    }
  }
  const reports: SuiteReport[] = [];
  for (const suite of suites as SuiteName[]) {
    reports.push(await runSuite(suite, values.corpus, values.out, values.roundtrip));
  }
  for (const r of reports) {
    console.log(`${r.suite}: wrote ${r.written} cases, skipped ${r.skipped}${r.note ? ` (${r.note})` : ""}`);
  }
  return 0;
}

function runSuite(suite: SuiteName, corpus: string, out: string, roundtrip: boolean): SuiteReport | Promise<SuiteReport> {
  if (suite === "xds" && roundtrip) return roundTripXds(corpus, out);
  if (suite === "gatewayapi" && roundtrip) return roundTripGatewayApi(corpus, out);
  if (suite === "gatewayapi" && !roundtrip) return translateGatewayApiSuite(corpus, out);
  if (suite === "xds" && !roundtrip) return translateXdsSuite(corpus, out);
  if (suite === "egctl" && !roundtrip) return runEgctlSuite(corpus, out, egctlMain);
  if (suite === "ratelimit" && !roundtrip) return translateRateLimitSuite(corpus, out);
  if (suite === "infra" && !roundtrip) return renderInfraSuite(corpus, out);
  if (suite === "bootstrap" && !roundtrip) return runBootstrapSuite(corpus, out);
  if (suite === "extension" && !roundtrip) return translateExtensionSuite(corpus, out);
  return { suite, written: 0, skipped: 0, note: roundtrip ? "no round trip for this suite" : "not built yet" };
}

process.exitCode = await main(process.argv.slice(2));
