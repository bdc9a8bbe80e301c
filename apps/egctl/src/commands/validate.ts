// `egctl x validate`: loads manifests and reports every invalid document, one line per problem, with the
// same checks upstream's local validator applies (CRD OpenAPI schemas and CEL rules).
import { isAbsolute, relative, resolve } from "node:path";
import { formatProblem, isBuiltinKubernetesApiVersion, loadPaths, type LoadProblem } from "@egts/api";
import { EXIT_USAGE, type Command } from "../cli.js";

function displayPath(cwd: string, source: string): string {
  if (!isAbsolute(source)) return source;
  const rel = relative(cwd, source);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : source;
}

/** Problems that make validation fail: all but warnings and unmodelled built-in Kubernetes kinds. */
function fails(p: LoadProblem): boolean {
  if (p.code === "warning") return false;
  if (p.code === "unknown-kind" && p.identity.apiVersion !== undefined && isBuiltinKubernetesApiVersion(p.identity.apiVersion)) return false;
  return true;
}

/** The `x validate` command. */
export const validateCommand: Command = {
  path: ["x", "validate"],
  summary: "Validate Gateway API and Envoy Gateway resources in files, directories or stdin (-); print every problem.",
  usage: "--file FILE [--file FILE...] [--warnings]",
  options: {
    file: { type: "string", short: "f", multiple: true },
    warnings: { type: "boolean" },
  },
  allowPositionals: true,
  async run(args, io) {
    const files = [...((args.values["file"] as ReadonlyArray<string> | undefined) ?? []), ...args.positionals];
    if (files.length === 0) {
      io.stderr("egctl x validate: -f/--file must be specified\n");
      return EXIT_USAGE;
    }
    const absolute = files.map((f) => (f === "-" ? f : resolve(io.cwd, f)));
    const result = await loadPaths(absolute, {}, io.stdin);
    const shown = (p: LoadProblem): LoadProblem => ({ ...p, source: displayPath(io.cwd, p.source) });
    const failing = result.problems.filter(fails);
    for (const p of failing) io.stdout(`${formatProblem(shown(p))}\n`);
    if (args.values["warnings"] === true) {
      for (const p of result.problems.filter((q) => !fails(q))) io.stderr(`${formatProblem(shown(p))}\n`);
    }
    if (failing.length > 0) return 1;
    io.stdout(`OK: ${result.objects.length} object${result.objects.length === 1 ? "" : "s"} valid\n`);
    return 0;
  },
};
