import { createLuaValidator, type LuaValidator } from "@egts/lua-validator";

/**
 * The Lua VM the corpus is translated with: the product's validator with its default bounds, as upstream's
 * golden tests validate with its gopher-lua validator. Loaded once, when the runner starts.
 */
export const referenceLuaValidator: LuaValidator = await createLuaValidator();
