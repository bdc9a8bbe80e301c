// Generates the TypeScript for Envoy's xDS v3 API.
//
// Sources, all from npm (nothing is downloaded): Envoy, xds, googleapis and protoc-gen-validate protos from
// @grpc/grpc-js-xds; OpenTelemetry's from @opentelemetry/otlp-grpc-exporter-base; protos this package writes
// itself under proto/ (Envoy packages missing from those copies, and fields added since) overlay them.
// Steps: stage the protos in gen/proto, build a descriptor set (read at run time for the validation rules),
// then run ts-proto through buf into src/generated.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

const pkgDir = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const xdsDeps = join(dirname(require.resolve("@grpc/grpc-js-xds/package.json")), "deps");
const otelProtos = join(dirname(require.resolve("@opentelemetry/otlp-grpc-exporter-base/package.json")), "build", "protos");
const bufBin = join(dirname(require.resolve("@bufbuild/buf/package.json")), "bin", "buf");
const tsProtoPlugin = join(dirname(require.resolve("ts-proto/package.json")), "protoc-gen-ts_proto");

const genDir = join(pkgDir, "gen");
const stage = join(genDir, "proto");
// Code is generated into gen/ts and swapped into src/generated at the end, so that readers of the old
// code (a test run, a type check) never see a half-written tree.
const finalDir = join(pkgDir, "src", "generated");
const outDir = join(genDir, "ts");
rmSync(genDir, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// The v2 API in those copies does not compile and is not served by anything we talk to.
const isV2 = (path) => /\/v2(alpha\d*)?(\/|$)/.test(path);
const copyTree = (from) => cpSync(from, stage, { recursive: true, filter: (src) => !isV2(relative(from, src)) });
copyTree(join(xdsDeps, "envoy-api"));
copyTree(join(xdsDeps, "xds"));
copyTree(join(xdsDeps, "protoc-gen-validate"));
cpSync(join(xdsDeps, "googleapis", "google", "api"), join(stage, "google", "api"), {
  recursive: true,
  filter: (src) => !/\/(expr\/v1alpha1|expr\/v1beta1|servicecontrol|servicemanagement)/.test(src),
});
cpSync(join(xdsDeps, "googleapis", "google", "api", "expr", "v1alpha1"), join(stage, "google", "api", "expr", "v1alpha1"), { recursive: true });
cpSync(join(xdsDeps, "googleapis", "google", "rpc"), join(stage, "google", "rpc"), { recursive: true });
cpSync(join(otelProtos, "opentelemetry"), join(stage, "opentelemetry"), { recursive: true });
cpSync(join(pkgDir, "proto"), stage, { recursive: true });

// protoc-gen-validate's copy predates StringRules.ignore_empty, which newer Envoy protos set.
const validateProto = join(stage, "validate", "validate.proto");
const validateText = readFileSync(validateProto, "utf8");
if (!validateText.includes("ignore_empty = 26")) {
  writeFileSync(validateProto, validateText.replace(/(message StringRules \{)/, "$1\n    optional bool ignore_empty = 26;"));
}

// Apply proto/patches.json: additions newer than the copies above, each naming a `file` and where its `lines` go:
//   - `message`: the message's dotted path from the file's top level ("Outer.Inner"), or a bare name when that
//     is unique at any depth; lines go at the top of its body (fields, nested messages and enums alike), or
//     at the top of its `oneof` (a oneof name), or at the end of its `enum` (an enum name: values) when given;
//   - `enum` without `message`: a top-level enum's values;
//   - neither: lines are appended to the file as top-level declarations.
// With `message` and `field` (a field name), `rules` replaces that field's protoc-gen-validate rules, e.g.
// ["(validate.rules).string = {min_len: 1}"] or [] to drop them, keeping its other options.
// `remove` lists messages, enums or fields declared directly in `message` (or at the file's top level without
// it) that upstream has since deleted.
// Optional: `replace`, [from, to] pairs applied first, each `from` occurring exactly once in the file (a patch
// may consist of only these); `imports`, added to the file when absent.
const patchFile = join(pkgDir, "proto", "patches.json");
if (existsSync(patchFile)) {
  rmSync(join(stage, "patches.json"));
  for (const patch of JSON.parse(readFileSync(patchFile, "utf8"))) {
    const file = join(stage, patch.file);
    const where = `proto patch ${patch.file}${patch.message ? ` ${patch.message}` : ""}`;
    let text = readFileSync(file, "utf8").replace(/\r\n/g, "\n");
    for (const [from, to] of patch.replace ?? []) {
      const count = text.split(from).length - 1;
      if (count !== 1) throw new Error(`${where}: ${JSON.stringify(from)} occurs ${count} times, expected once`);
      text = text.replace(from, () => to);
    }
    if (patch.field !== undefined) text = setFieldRules(text, patch, where);
    for (const name of patch.remove ?? []) text = removeDeclaration(text, patch, name, where);
    const lines = patch.lines ?? [];
    if (lines.length === 0) {
      // a patch of replacements only
    } else if (patch.message === undefined && patch.enum === undefined) {
      text = `${text.replace(/\s*$/, "")}\n\n${lines.join("\n")}\n`;
    } else {
      const scope = patch.message === undefined ? { open: -1, close: text.length } : findMessage(text, patch.message, where);
      const inner = patch.oneof !== undefined ? ["oneof", patch.oneof] : patch.enum !== undefined ? ["enum", patch.enum] : undefined;
      const target = inner ? findBlock(text, scope, inner[0], inner[1], where) : scope;
      const lineStart = text.lastIndexOf("\n", target.open) + 1;
      const indent = `${/^\s*/.exec(text.slice(lineStart))[0].replace(/\n/g, "")}  `;
      // An enum's first value must stay its zero, so values go at the end of its body.
      const at = inner?.[0] === "enum" ? text.lastIndexOf("\n", target.close) + 1 : text.indexOf("\n", target.open) + 1;
      text = text.slice(0, at) + lines.map((l) => (l === "" ? "" : indent + l)).join("\n") + "\n" + text.slice(at);
    }
    for (const imp of patch.imports ?? []) {
      if (!text.includes(`import "${imp}";`)) text = text.replace(/(\nimport )/, `\nimport "${imp}";$1`);
    }
    writeFileSync(file, text);
  }
}

/**
 * The `message`/`enum`/`oneof` blocks declared directly inside [from, to) of a proto text, skipping comments
 * and string literals: each with `open` (index of its `{`) and `close` (index of its `}`).
 */
function childBlocks(text, from, to) {
  const blocks = [];
  let depth = 0;
  let current;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? to : end;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? to : end + 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < to && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "{") {
      if (depth === 0) {
        const decl = /(?:^|[\s;{}])(message|enum|oneof)\s+(\w+)\s*$/.exec(text.slice(Math.max(from, i - 200), i));
        current = decl ? { kind: decl[1], name: decl[2], open: i, close: -1 } : undefined;
      }
      depth++;
    } else if (c === "}") {
      depth--;
      if (depth === 0 && current) {
        current.close = i;
        blocks.push(current);
        current = undefined;
      }
    }
  }
  return blocks;
}

/** Index just past the bracket or string that opens at `i` (`[`/`{`/`"`/`'`), honouring nesting and strings. */
function skipBalanced(text, i) {
  const c = text[i];
  if (c === '"' || c === "'") {
    for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    return i + 1;
  }
  const close = c === "[" ? "]" : "}";
  for (i++; i < text.length && text[i] !== close; ) i = "[{\"'".includes(text[i]) ? skipBalanced(text, i) : i + 1;
  return i + 1;
}

/** Splits an options list (the text inside `[...]`) at its top-level commas. */
function splitOptions(inner) {
  const parts = [];
  let start = 0;
  for (let i = 0; i < inner.length; ) {
    if ("[{\"'".includes(inner[i])) i = skipBalanced(inner, i);
    else if (inner[i] === ",") {
      parts.push(inner.slice(start, i).trim());
      start = ++i;
    } else i++;
  }
  parts.push(inner.slice(start).trim());
  return parts.filter((p) => p !== "");
}

/** Replaces the validate rules of field `patch.field` of message `patch.message` with `patch.rules`. */
function setFieldRules(text, patch, where) {
  const scope = findMessage(text, patch.message, where);
  const nested = childBlocks(text, scope.open + 1, scope.close).filter((b) => b.kind !== "oneof");
  const decl = new RegExp(`(?:^|[\\s;{}])(?:repeated\\s+|optional\\s+)?[\\w.]+(?:<[^>]*>)?\\s+${patch.field}\\s*=\\s*\\d+`, "g");
  decl.lastIndex = scope.open + 1;
  let m;
  while ((m = decl.exec(text)) && m.index < scope.close) {
    if (nested.some((b) => m.index > b.open && m.index < b.close)) continue;
    let i = decl.lastIndex;
    while (/\s/.test(text[i])) i++;
    let options = [];
    let end = i;
    if (text[i] === "[") {
      end = skipBalanced(text, i);
      options = splitOptions(text.slice(i + 1, end - 1));
    }
    const kept = options.filter((o) => !o.startsWith("(validate.rules)"));
    const all = [...kept, ...patch.rules];
    const rendered = all.length === 0 ? "" : ` [${all.join(", ")}]`;
    return text.slice(0, decl.lastIndex) + rendered + text.slice(end);
  }
  throw new Error(`${where}: field ${patch.field} not found`);
}

/** Deletes the message, enum or field `name` declared directly in `patch.message` (or the file), whole lines. */
function removeDeclaration(text, patch, name, where) {
  const scope = patch.message === undefined ? { open: -1, close: text.length } : findMessage(text, patch.message, where);
  const children = childBlocks(text, scope.open + 1, scope.close);
  const block = children.find((b) => b.kind !== "oneof" && b.name === name);
  let start;
  let end;
  if (block) {
    start = new RegExp(`${block.kind}\\s+${name}\\s*$`).exec(text.slice(0, block.open)).index;
    end = block.close + 1;
  } else {
    const nested = children.filter((b) => b.kind !== "oneof");
    const decl = new RegExp(`(?:repeated\\s+|optional\\s+)?[\\w.]+(?:<[^>]*>)?\\s+${name}\\s*=\\s*\\d+`, "g");
    decl.lastIndex = scope.open + 1;
    let m;
    while ((m = decl.exec(text)) && m.index < scope.close) {
      if (nested.some((b) => m.index > b.open && m.index < b.close) || !/[\s;{}]/.test(text[m.index - 1])) continue;
      start = m.index;
      end = decl.lastIndex;
      while (/\s/.test(text[end])) end++;
      if (text[end] === "[") end = skipBalanced(text, end);
      end = text.indexOf(";", end) + 1;
      break;
    }
  }
  if (start === undefined) throw new Error(`${where}: ${name} not found to remove`);
  const lineStart = text.lastIndexOf("\n", start) + 1;
  const lineEnd = text.indexOf("\n", end);
  return text.slice(0, lineStart) + text.slice(lineEnd < 0 ? text.length : lineEnd + 1);
}

/** The block of `kind` named `name` directly inside `scope`; throws when absent. */
function findBlock(text, scope, kind, name, where) {
  const found = childBlocks(text, scope.open + 1, scope.close).find((b) => b.kind === kind && b.name === name);
  if (!found) throw new Error(`${where}: ${kind} ${name} not found`);
  return found;
}

/** A message by its dotted path from the file's top level, or by a bare name that is unique at any depth. */
function findMessage(text, name, where) {
  const fileScope = { open: -1, close: text.length };
  if (name.includes(".")) {
    return name.split(".").reduce((scope, part) => findBlock(text, scope, "message", part, where), fileScope);
  }
  const matches = [];
  const visit = (scope) => {
    for (const b of childBlocks(text, scope.open + 1, scope.close)) {
      if (b.kind !== "message") continue;
      if (b.name === name) matches.push(b);
      visit(b);
    }
  };
  visit(fileScope);
  if (matches.length !== 1) throw new Error(`${where}: ${matches.length} messages named ${name}; use its full path`);
  return matches[0];
}

// These import protos (OpenCensus, Prometheus client) that no npm package here ships; nothing we emit uses them.
const unbuildable = new Set([
  "envoy/config/trace/v3/opencensus.proto",
  "envoy/service/metrics/v3/metrics_service.proto",
  "envoy/service/trace/v3/trace_service.proto",
]);
for (const file of unbuildable) rmSync(join(stage, file));
const traceAggregate = join(stage, "envoy", "config", "trace", "v3", "trace.proto");
writeFileSync(traceAggregate, readFileSync(traceAggregate, "utf8").replace(/^import public "envoy\/config\/trace\/v3\/opencensus.proto";\r?\n/m, ""));
const protoFiles = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (entry.endsWith(".proto")) protoFiles.push(relative(stage, path));
  }
};
walk(join(stage, "envoy"));
walk(join(stage, "xds"));
walk(join(stage, "opentelemetry"));
// envoyproxy/ratelimit's configuration protos (proto/ratelimit), served to the rate limit service over xDS.
walk(join(stage, "ratelimit"));
// Envoy Gateway's extension server protocol (proto/envoygateway), served over gRPC.
walk(join(stage, "envoygateway"));

writeFileSync(join(stage, "buf.yaml"), "version: v2\nlint:\n  use: []\nbreaking:\n  use: []\n");
const tsProtoOpts = [
  "outputServices=grpc-js",
  "esModuleInterop=true",
  "useOptionals=messages",
  "oneof=unions-value",
  "env=node",
  "useDate=false",
  "outputTypeAnnotations=static-only",
  "importSuffix=.js",
  "forceLong=string",
  "useExactTypes=false",
  "exportCommonSymbols=true",
  // proto3 JSON comes from @bufbuild/protobuf's conformance-tested codec over the descriptor set instead.
  "outputJsonMethods=false",
];
writeFileSync(
  join(genDir, "buf.gen.yaml"),
  [
    "version: v2",
    "plugins:",
    `  - local: ${tsProtoPlugin}`,
    `    out: ${outDir}`,
    "    strategy: all",
    "    opt:",
    ...tsProtoOpts.map((o) => `      - ${o}`),
    "",
  ].join("\n"),
);

const run = (args) => {
  const res = spawnSync(bufBin, args, { cwd: stage, stdio: "inherit" });
  if (res.status !== 0) throw new Error(`buf ${args[0]} failed (exit ${res.status})`);
};
const pathArgs = protoFiles.flatMap((f) => ["--path", f]);
run(["build", "--exclude-source-info", "-o", join(genDir, "descriptors.binpb"), ...pathArgs]);
run(["generate", "--template", join(genDir, "buf.gen.yaml"), ...pathArgs]);
// A registry of every generated message by full name, written as one module of imports rather than
// ts-proto's import-time registration, so that importing a message module has no side effects.
const registryEntries = [];
const collect = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) collect(path);
    else if (entry.endsWith(".ts")) {
      const text = readFileSync(path, "utf8");
      for (const m of text.matchAll(/^export const (\w+): MessageFns<\s*\w+,\s*"([\w.]+)"\s*>/gm)) {
        registryEntries.push({ module: "./" + relative(outDir, path).replace(/\.ts$/, ".js"), name: m[1], type: m[2] });
      }
    }
  }
};
collect(outDir);
registryEntries.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
const lines = ["// Code generated by scripts/generate.mjs. DO NOT EDIT.", 'import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";'];
registryEntries.forEach((e, i) => lines.push(`import { ${e.name} as m${i} } from "${e.module}";`));
lines.push(
  "",
  "/** The encode/decode functions ts-proto generates for one message type. */",
  "export interface MessageType<T = unknown> {",
  "  readonly $type: string;",
  "  encode(message: T, writer?: BinaryWriter): BinaryWriter;",
  "  decode(input: BinaryReader | Uint8Array, length?: number): T;",
  "  fromPartial(object: any): T;",
  "}",
  "",
  "/** Every generated message type, keyed by its full protobuf name. */",
  "export const messageTypes: ReadonlyMap<string, MessageType> = new Map<string, MessageType>([",
  ...registryEntries.map((e, i) => `  ["${e.type}", m${i} as MessageType],`),
  "]);",
  "",
);
writeFileSync(join(outDir, "registry.ts"), lines.join("\n"));
cpSync(join(genDir, "descriptors.binpb"), join(outDir, "descriptors.binpb"));
console.log(`envoy-api: ${registryEntries.length} message types`);
rmSync(finalDir, { recursive: true, force: true });
renameSync(outDir, finalDir);
console.log(`envoy-api: generated ${protoFiles.length} proto files into ${relative(pkgDir, finalDir)}`);
