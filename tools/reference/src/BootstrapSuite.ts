import { join } from "node:path";
import { rmSync } from "node:fs";
import { parse } from "yaml";
import {
  applyBootstrapConfig,
  bootstrapConfigProblem,
  renderBootstrapYaml,
  resolveBootstrapOptions,
  type MetricSink,
  type ProxyBootstrapConfig,
  type RenderBootstrapOptions,
} from "@egts/bootstrap";
import { caseNames, errorText, readJson, writeJson, writeText, type SuiteReport } from "./Corpus.js";

/** A resolved metric sink as the corpus writes it (Go's JSON: the CA bytes base64-encoded). */
type CorpusMetricSink = Omit<MetricSink, "tls"> & {
  readonly tls?: Omit<NonNullable<MetricSink["tls"]>, "caCertificate"> & { readonly caCertificate?: string };
};

/** One bootstrap case's input (reference/extra-suites.md). */
type BootstrapCase =
  | {
      readonly operation: "render";
      readonly options?: Omit<RenderBootstrapOptions, "resolvedMetricSinks"> & { readonly resolvedMetricSinks?: CorpusMetricSink[] };
    }
  | { readonly operation: "apply"; readonly bootstrap: ProxyBootstrapConfig; readonly defaultBootstrap: string }
  | { readonly operation: "validate"; readonly bootstrap: ProxyBootstrapConfig };

const sinkOf = (sink: CorpusMetricSink): MetricSink => {
  const { tls, ...rest } = sink;
  if (tls === undefined) return rest;
  const { caCertificate, ...tlsRest } = tls;
  return { ...rest, tls: { ...tlsRest, ...(caCertificate !== undefined ? { caCertificate: Buffer.from(caCertificate, "base64") } : {}) } };
};

/** The case's output: a bootstrap document, nothing (validation passed), or an error. */
function run(input: BootstrapCase): { ok: true; yaml?: string } | { ok: false; error: string } {
  switch (input.operation) {
    case "render": {
      const options = input.options ?? {};
      const resolved = resolveBootstrapOptions({
        ...options,
        ...(options.resolvedMetricSinks ? { resolvedMetricSinks: options.resolvedMetricSinks.map(sinkOf) } : {}),
      } as RenderBootstrapOptions);
      return resolved.ok ? { ok: true, yaml: renderBootstrapYaml(resolved.options) } : resolved;
    }
    case "apply":
      return applyBootstrapConfig(input.bootstrap, input.defaultBootstrap);
    case "validate": {
      const problem = bootstrapConfigProblem(input.bootstrap);
      return problem === undefined ? { ok: true } : { ok: false, error: problem };
    }
  }
}

/** Runs @egts/bootstrap on every bootstrap case: input.json -> actual.json (the YAML parsed) or error.txt. */
export function runBootstrapSuite(corpus: string, out: string): SuiteReport {
  let written = 0;
  for (const name of caseNames(corpus, "bootstrap")) {
    const actualDir = join(out, "bootstrap", name);
    rmSync(actualDir, { recursive: true, force: true });
    try {
      const result = run(readJson(join(corpus, "bootstrap", name, "input.json")) as BootstrapCase);
      if (!result.ok) writeText(join(actualDir, "error.txt"), result.error);
      else if (result.yaml !== undefined) writeJson(join(actualDir, "actual.json"), parse(result.yaml, { maxAliasCount: 100 }));
    } catch (e) {
      writeText(join(actualDir, "error.txt"), errorText(e));
    }
    written++;
  }
  return { suite: "bootstrap", written, skipped: 0 };
}
