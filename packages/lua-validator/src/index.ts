/**
 * Validation of Lua scripts for Envoy's Lua HTTP filter (upstream v1.9 `internal/gatewayapi/luavalidator`):
 * a sandboxed Lua VM (Lua 5.4 in WebAssembly) runs each script against mocks of Envoy's stream handle API,
 * bounded in instructions, CPU time and memory, and reports errors in the words of upstream's gopher-lua.
 *
 * @packageDocumentation
 */
export { createLuaValidator, type LuaLimits, type LuaValidator } from "./LuaValidator.js";
