import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createFileRegistry, fromBinary, fromJson, type JsonValue, type Registry, toBinary, toJson } from "@bufbuild/protobuf";
import { DescriptorProtoSchema, FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { xdsResourceTypeNames, type XdsResourceKind } from "../XdsResourceTypes.js";
import { createLazyFileRegistry } from "./LazyFileRegistry.js";
import { Validator } from "./validate/validator.js";

const setBytes = readFileSync(new URL("../generated/descriptors.binpb", import.meta.url));
const full = createFileRegistry(fromBinary(FileDescriptorSetSchema, setBytes));
const xdsCorpus = resolve(import.meta.dirname, "../../../../../shared/reference/xds");

describe("createLazyFileRegistry", () => {
  it("gives every type of the whole set, built as the whole set builds it, whatever the order of lookups", () => {
    const lazy = createLazyFileRegistry(setBytes);
    // Last file first, so most files are built as someone's import before they are asked for.
    const all = [...full].reverse();
    expect(all.length).toBeGreaterThan(1500);
    for (const desc of all) {
      const found = lazy.get(desc.typeName);
      expect(found?.kind, desc.typeName).toBe(desc.kind);
      expect(found?.file.proto.name).toBe(desc.file.proto.name);
      if (desc.kind === "message" && found?.kind === "message") {
        expect(toBinary(DescriptorProtoSchema, found.proto)).toEqual(toBinary(DescriptorProtoSchema, desc.proto));
        expect(found.fields.map((f) => [f.name, f.number, f.fieldKind, f.message?.typeName ?? f.enum?.typeName])).toEqual(
          desc.fields.map((f) => [f.name, f.number, f.fieldKind, f.message?.typeName ?? f.enum?.typeName]),
        );
      }
    }
    expect(lazy.get("envoy.config.listener.v3.NoSuchType")).toBeUndefined();
    expect(lazy.getMessage("validate.rules")).toBeUndefined();
    expect(lazy.getExtension("validate.rules")?.typeName).toBe("validate.rules");
  });

  it("lists the files and types in the set's order, with the same contents", () => {
    const lazy = createLazyFileRegistry(setBytes);
    expect([...lazy.files].map((f) => toBinary(FileDescriptorProtoSchema, f.proto))).toEqual(
      [...full.files].map((f) => toBinary(FileDescriptorProtoSchema, f.proto)),
    );
    expect([...lazy].map((d) => `${d.kind} ${d.typeName}`)).toEqual([...full].map((d) => `${d.kind} ${d.typeName}`));
    expect(lazy.getFile("envoy/config/listener/v3/listener.proto")?.proto.name).toBe("envoy/config/listener/v3/listener.proto");
  });

  it("finds an extension by the message it extends before anything else is built", () => {
    const lazy = createLazyFileRegistry(setBytes);
    const fieldOptions = lazy.getMessage("google.protobuf.FieldOptions");
    expect(fieldOptions).toBeDefined();
    if (fieldOptions === undefined) return;
    const rulesNumber = full.getExtension("validate.rules")?.number ?? -1;
    expect(lazy.getExtensionFor(fieldOptions, rulesNumber)?.typeName).toBe("validate.rules");
    expect(createLazyFileRegistry(setBytes).getExtensionFor(fieldOptions, 999_999)).toBeUndefined();
  });

  it("builds only what a listener needs for a listener", () => {
    const lazy = createLazyFileRegistry(setBytes);
    expect(lazy.builtFileCount()).toBe(0);
    lazy.getMessage("envoy.config.listener.v3.Listener");
    expect(lazy.builtFileCount()).toBeGreaterThan(10);
    expect(lazy.builtFileCount()).toBeLessThan([...full.files].length / 4);
  });

  // The reference corpus's resources, through proto3 JSON, binary and protoc-gen-validate rules, with the lazy
  // registry and with one built from the whole set: same bytes, same JSON, same violations.
  describe.runIf(existsSync(xdsCorpus))("on the reference corpus, the same results as the whole set", () => {
    const lazy = createLazyFileRegistry(setBytes);
    const validators = new Map<Registry, Validator>([
      [lazy, new Validator(lazy)],
      [full, new Validator(full)],
    ]);
    const run = (registry: Registry, typeName: string, json: JsonValue) => {
      const desc = registry.getMessage(typeName);
      if (desc === undefined) throw new Error(`no ${typeName}`);
      const message = fromJson(desc, json, { registry });
      const bytes = toBinary(desc, message);
      const again = toJson(desc, fromBinary(desc, bytes), { registry });
      return { bytes, again, violations: validators.get(registry)?.validate(desc, message) };
    };
    const cases = existsSync(xdsCorpus) ? readdirSync(xdsCorpus).sort() : [];
    it.each(cases)("%s", (name) => {
      const dir = join(xdsCorpus, name, "expected");
      if (!existsSync(dir)) return;
      for (const file of readdirSync(dir)) {
        const typeName = xdsResourceTypeNames[file.replace(/\.json$/, "") as XdsResourceKind];
        if (typeName === undefined) continue;
        for (const resource of JSON.parse(readFileSync(join(dir, file), "utf8")) as JsonValue[]) {
          expect(run(lazy, typeName, resource), `${name}/${file}`).toEqual(run(full, typeName, resource));
        }
      }
    });
  });
});
