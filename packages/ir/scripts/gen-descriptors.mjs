#!/usr/bin/env node
// Generates packages/ir/src/internal/descriptors.ts (the IR codec descriptor table) from the IR type declarations.
// Usage: node packages/ir/scripts/gen-descriptors.mjs [--check]
// The TypeScript types give the structure (fields and their order, optionality, lists, maps, enums, embedding);
// what they cannot say (integer width, Go nil-vs-empty, upstream JSON names) comes from descriptor-overrides.mjs.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve, basename } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { aliasCodecs, embedAfter, fieldModes, jsonNames, numberKinds } from "./descriptor-overrides.mjs";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = resolve(pkgDir, "src");
const outFile = resolve(srcDir, "internal/descriptors.ts");

/** Which module a declaration comes from decides the codec prefix and how the type is named in the output. */
const modules = {
  "GatewayApi.ts": { prefix: "gw_", ns: "gwapiv1" },
  "EnvoyGatewayApi.ts": { prefix: "eg_", ns: "egv1a1" },
};

/** Types with a codec of their own in codec.ts, keyed by "<file>:<name>". */
const builtins = {
  "Json.ts:JsonValue": "c.json",
  "Json.ts:JsonObject": "c.jsonObject",
  "Json.ts:Duration": "c.duration",
  "Json.ts:Quantity": "c.quantity",
  "GatewayApi.ts:Duration": "c.str",
};

export function generate() {
  const program = ts.createProgram([resolve(srcDir, "IRTypeMap.ts")], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const emitted = new Map(); // decl -> codec name
  const emittedNames = new Set();
  const blocks = []; // text, or { fields, struct, name } for a struct whose codec may only serve as a base
  const used = new Set();
  const fieldKeys = new Set(); // "<codec>.<field>" of every field, to catch stale overrides // named codecs that something refers to (a struct only embedded needs its fields alone)
  const irImports = new Map(); // file -> Set(names)
  const fileOf = (decl) => basename(decl.getSourceFile().fileName);

  const resolveDecl = (node) => {
    let sym = checker.getSymbolAtLocation(node);
    if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym?.declarations?.[0];
    if (!decl) throw new Error(`cannot resolve ${node.getText()}`);
    return decl;
  };
  const typeText = (decl) => {
    const file = fileOf(decl);
    const name = decl.name.text;
    const mod = modules[file];
    if (mod) return `${mod.ns}.${name}`;
    if (!irImports.has(file)) irImports.set(file, new Set());
    irImports.get(file).add(name);
    return name;
  };
  const codecName = (decl) => `${modules[fileOf(decl)]?.prefix ?? "ir_"}${decl.name.text}`;

  /** The codec expression for a type node, emitting the named codecs it depends on first. */
  function codecFor(node) {
    if (ts.isParenthesizedTypeNode(node)) return codecFor(node.type);
    if (ts.isTypeOperatorNode(node)) return codecFor(node.type); // readonly T[]
    if (ts.isArrayTypeNode(node)) return `c.array(${codecFor(node.elementType)})`;
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return "c.str";
      case ts.SyntaxKind.BooleanKeyword:
        return "c.bool";
      case ts.SyntaxKind.NumberKeyword:
        return "c.int64";
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === "Uint8Array") return "c.bytes";
      if (name === "Readonly" || name === "Record") {
        const arg = node.typeArguments[node.typeArguments.length - 1];
        return name === "Readonly" ? codecFor(arg) : `c.record(${codecFor(arg)})`;
      }
      const codec = emitDecl(resolveDecl(node.typeName));
      used.add(codec);
      return codec;
    }
    throw new Error(`unsupported type node ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
  }

  /** Emits the named codec of a declaration (once) and returns the expression that refers to it. */
  function emitDecl(decl) {
    const key = `${fileOf(decl)}:${decl.name.text}`;
    if (builtins[key]) return builtins[key];
    if (emitted.has(decl)) return emitted.get(decl);
    const name = codecName(decl);
    emitted.set(decl, name);
    emittedNames.add(name);
    const tText = typeText(decl);
    if (ts.isInterfaceDeclaration(decl)) {
      const spreads = [];
      for (const clause of decl.heritageClauses ?? []) {
        for (const base of clause.types) {
          const baseDecl = resolveDecl(base.expression);
          emitDecl(baseDecl);
          // A field the interface declares again replaces the inherited one.
          const own = new Set(decl.members.map((m) => m.name?.getText()));
          const baseFields = ts.isInterfaceDeclaration(baseDecl) ? baseDecl.members.map((m) => m.name?.getText()) : [];
          const redeclared = baseFields.filter((f) => own.has(f)).map((f) => JSON.stringify(f));
          const baseName = codecName(baseDecl);
          spreads.push(redeclared.length ? `  ...c.omit(${baseName}_fields, [${redeclared.join(", ")}]),` : `  ...${baseName}_fields,`);
        }
      }
      const lines = embedAfter[name] === undefined ? [...spreads] : [];
      for (const m of decl.members) {
        if (!ts.isPropertySignature(m)) continue;
        const field = m.name.getText();
        const key = `${name}.${field}`;
        fieldKeys.add(key);
        const inner = codecFor(m.type).replace("c.int64", `c.${numberKinds[key] ?? "int64"}`);
        const isList = /^c\.(array|record|bytes|privateBytes)\b/.test(aliasCodecs[inner] ?? inner);
        const mode = fieldModes[key] ?? (m.questionToken ? (isList ? "opt" : "ptr") : "req");
        const json = jsonNames[key] === undefined ? "" : `, ${JSON.stringify(jsonNames[key])}`;
        lines.push(`  ${field}: c.${mode}(${inner}${json}),`);
        if (embedAfter[name] === field) lines.push(...spreads);
      }
      blocks.push({
        name,
        fields: `const ${name}_fields = c.fields<${tText}>({\n${lines.join("\n")}\n});`,
        struct: `const ${name} = c.struct<${tText}>("${decl.name.text}", ${name}_fields);`,
      });
      return name;
    }
    if (ts.isTypeAliasDeclaration(decl)) {
      const t = decl.type;
      if (aliasCodecs[name] !== undefined) {
        blocks.push(`const ${name}: c.Codec<${tText}> = ${aliasCodecs[name]};`);
        return name;
      }
      if (/^Readonly<Record<never, never>>$/.test(t.getText())) {
        blocks.push(`const ${name}_fields = c.fields<${tText}>({});\nconst ${name} = c.struct<${tText}>("${decl.name.text}", ${name}_fields);`);
        return name;
      }
      const members = ts.isUnionTypeNode(t) ? t.types : [t];
      if (members.every((u) => ts.isLiteralTypeNode(u) && ts.isStringLiteral(u.literal))) {
        const values = members.map((u) => JSON.stringify(u.literal.text));
        blocks.push(`const ${name} = c.literal<${tText}>([${values.join(", ")}]);`);
        return name;
      }
      if (ts.isTypeReferenceNode(t) && /^Omit$/.test(t.typeName.getText())) {
        const baseDecl = resolveDecl(t.typeArguments[0].typeName);
        const base = emitDecl(baseDecl);
        const keys = literalKeys(t.typeArguments[1]);
        blocks.push(
          `const ${name}_fields = c.fields<${tText}>({\n  ...c.omit(${base}_fields, [${keys.join(", ")}]),\n});\nconst ${name} = c.struct<${tText}>("${decl.name.text}", ${name}_fields);`,
        );
        return name;
      }
      blocks.push(`const ${name}: c.Codec<${tText}> = ${codecFor(t)};`);
      return name;
    }
    throw new Error(`unsupported declaration ${key}`);
  }
  const literalKeys = (node) => (ts.isUnionTypeNode(node) ? node.types.map((u) => JSON.stringify(u.literal.text)) : [JSON.stringify(node.literal.text)]);

  const mapFile = program.getSourceFile(resolve(srcDir, "IRTypeMap.ts"));
  const mapDecl = mapFile.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === "IRTypeMap");
  const entries = [];
  for (const m of mapDecl.members) {
    entries.push(`  ${m.name.getText()}: ${codecFor(m.type)},`);
  }

  const importLines = [...irImports.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, names]) => `import type { ${[...names].sort().join(", ")} } from "../${file.replace(/\.ts$/, ".js")}";`);
  // An override that matches no field (renamed or removed in the types) is an error, not silently dropped.
  const known = new Set([...fieldKeys, ...used, ...blocks.map((b) => (typeof b === "string" ? "" : b.name))]);
  for (const [table, keys] of Object.entries({ fieldModes, numberKinds, jsonNames, embedAfter, aliasCodecs })) {
    for (const key of Object.keys(keys)) {
      if (!known.has(key) && !emittedNames.has(key)) throw new Error(`descriptor-overrides.mjs: ${table}["${key}"] matches no IR field or codec`);
    }
  }
  const text = [
    "// Generated by packages/ir/scripts/gen-descriptors.mjs from the IR type declarations and",
    "// packages/ir/scripts/descriptor-overrides.mjs. Do not edit: change the types or the overrides and rerun it.",
    'import * as c from "./codec.js";',
    'import type { IRTypeMap } from "../IRTypeMap.js";',
    'import type * as egv1a1 from "../EnvoyGatewayApi.js";',
    'import type * as gwapiv1 from "../GatewayApi.js";',
    ...importLines,
    "",
    blocks.map((b) => (typeof b === "string" ? b : used.has(b.name) ? `${b.fields}\n${b.struct}` : b.fields)).join("\n\n"),
    "",
    "/** The codec of every IR type, by name. */",
    "export const irCodecs: { readonly [K in keyof IRTypeMap]: c.Codec<IRTypeMap[K]> } = {",
    ...entries,
    "};",
    "",
  ].join("\n");
  return formatWithBiome(text);
}

/** Formats like the rest of the repository, so that the committed file is exactly the generator's output. */
function formatWithBiome(text) {
  const biome = resolve(pkgDir, "../../node_modules/.bin/biome");
  return execFileSync(biome, ["format", `--stdin-file-path=${outFile}`], { input: text, encoding: "utf8", cwd: pkgDir });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generate();
  if (process.argv.includes("--check")) {
    if (readFileSync(outFile, "utf8") !== text) {
      console.error(`${outFile} is out of date: run node packages/ir/scripts/gen-descriptors.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, text);
  }
}
