import { describe, expect, it } from "vitest";
import type { EnvoyProxy } from "@egts/api";
import { luaValidationLevel, validateLua, type LuaScriptValidator } from "./LuaValidation.js";

/** A test double for the Lua VM: records what it was asked and fails scripts that contain "bad". */
function fakeLuaValidator(): LuaScriptValidator & { calls: string[] } {
  const calls: string[] = [];
  const verdict = (kind: string) => (code: string) => {
    calls.push(`${kind}:${code.split("\n").at(-1)}`);
    return code.includes("bad") ? `${kind} says no` : undefined;
  };
  return { calls, checkSyntax: verdict("syntax"), execute: verdict("execute") };
}

const proxy = (spec: Record<string, unknown>): EnvoyProxy =>
  ({ apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: { name: "p" }, spec }) as EnvoyProxy;

describe("luaValidationLevel", () => {
  it("is Strict unless the EnvoyProxy asks otherwise", () => {
    expect(luaValidationLevel(undefined)).toBe("Strict");
    expect(luaValidationLevel(proxy({}))).toBe("Strict");
    expect(luaValidationLevel(proxy({ luaValidation: "InsecureSyntax" }))).toBe("InsecureSyntax");
    expect(luaValidationLevel(proxy({ luaValidation: "Disabled" }))).toBe("Disabled");
    expect(luaValidationLevel(proxy({ lua: { validationType: "Disabled" }, luaValidation: "Strict" }))).toBe("Disabled");
  });
});

describe("validateLua", () => {
  it("requires an entry point at every level, with or without a VM", () => {
    const vm = fakeLuaValidator();
    for (const level of ["Strict", "InsecureSyntax", "Disabled"] as const) {
      expect(validateLua("function other() end", level, vm)).toBe("expected one of envoy_on_request() or envoy_on_response() to be defined");
    }
    expect(validateLua("function other() end", "Strict", undefined)).toContain("expected one of");
    expect(vm.calls).toEqual([]);
  });

  it("calls each defined entry point on the mock stream handle, running it when Strict", () => {
    const vm = fakeLuaValidator();
    const code = "function envoy_on_request(h) end\nfunction envoy_on_response(h) end";
    expect(validateLua(code, "Strict", vm)).toBeUndefined();
    expect(vm.calls).toEqual(["execute:envoy_on_request(StreamHandle)", "execute:envoy_on_response(StreamHandle)"]);
  });

  it("only parses at InsecureSyntax and does nothing when Disabled", () => {
    const vm = fakeLuaValidator();
    const code = "function envoy_on_response(h) bad() end";
    expect(validateLua(code, "InsecureSyntax", vm)).toBe("failed to validate with envoy_on_response: syntax says no");
    expect(validateLua(code, "Disabled", vm)).toBeUndefined();
    expect(validateLua(code, "Strict", vm)).toBe("failed to validate with envoy_on_response: execute says no");
    expect(vm.calls).toEqual(["syntax:envoy_on_response(StreamHandle)", "execute:envoy_on_response(StreamHandle)"]);
  });

  it("reports the first failing entry point", () => {
    const vm = fakeLuaValidator();
    expect(validateLua("function envoy_on_request(h) bad() end function envoy_on_response(h) end", "Strict", vm)).toBe(
      "failed to validate with envoy_on_request: execute says no",
    );
    expect(vm.calls).toHaveLength(1);
  });
});
