import { LuaEngine, LuaFactory, type LuaWasm } from "wasmoon";
import { envoyMocksLua } from "./internal/EnvoyMocks.js";
import { gopherOnlyStop, gopherSyntaxError } from "./internal/GopherSyntax.js";
import { driverChunkName, sandboxDriverLua } from "./internal/SandboxLua.js";

/** Bounds on one validation run; each script is untrusted input. */
export interface LuaLimits {
  /** Lua VM instructions per run (counted in steps of 1000). Default 50 million. */
  readonly maxInstructions?: number;
  /** CPU seconds per run, measured by the VM's clock. Default 5 (upstream's execution timeout). */
  readonly maxSeconds?: number;
  /** Bytes the Lua allocator may hold per run. Default 32 MiB. */
  readonly maxMemoryBytes?: number;
  /** Length of a script in bytes. Default 1 MiB. */
  readonly maxCodeBytes?: number;
}

/**
 * Checks Lua scripts for Envoy's Lua HTTP filter. Synchronous once created; each check runs in a fresh Lua
 * state, and verdicts of recently checked scripts are remembered. Answers undefined when the script passes, else the error as upstream's validator (gopher-lua) words
 * it, as closely as a Lua 5.4 VM allows.
 */
export interface LuaValidator {
  /** Parses the script without running it (upstream's InsecureSyntax level). */
  readonly checkSyntax: (code: string) => string | undefined;
  /** Parses and runs the script against mocks of Envoy's stream handle API (upstream's Strict level). */
  readonly execute: (code: string) => string | undefined;
}

const defaults = { maxInstructions: 50_000_000, maxSeconds: 5, maxMemoryBytes: 32 * 1024 * 1024, maxCodeBytes: 1024 * 1024 };

/**
 * Loads the Lua VM (Lua 5.4 compiled to WebAssembly, from the `wasmoon` package) and answers a validator.
 * Loading is asynchronous (the WebAssembly module is compiled once); validating is not.
 */
export async function createLuaValidator(limits: LuaLimits = {}): Promise<LuaValidator> {
  const wasm = await new LuaFactory().getLuaModule();
  return luaValidatorFor(wasm, { ...defaults, ...limits });
}

function luaValidatorFor(wasm: LuaWasm, limits: Required<LuaLimits>): LuaValidator {
  const run = (code: string, mode: "load" | "run"): string | undefined => {
    if (Buffer.byteLength(code, "utf8") > limits.maxCodeBytes) return `lua code is longer than ${limits.maxCodeBytes} bytes`;
    // gopher-lua cannot parse some sources Lua 5.4 takes: then only a syntax check is run, for the position.
    const gopherStop = gopherOnlyStop(code).stop;
    const outcome = runInFreshState(wasm, limits, code, gopherStop !== undefined ? "load" : mode);
    switch (outcome.kind) {
      case "ok":
        return gopherStop !== undefined ? gopherSyntaxError(code, undefined) : undefined;
      case "syntax":
        return gopherSyntaxError(code, outcome.detail);
      case "runtime":
        return outcome.detail;
      case "limit":
        return limitMessage(outcome.detail, limits);
    }
  };
  // The controller translates again on every change, with mostly the same scripts: verdicts are remembered
  // (a bounded, least recently used memo). A run stopped by the clock is not, as it may pass on a quieter machine.
  const memo = new Map<string, string | undefined>();
  const remembered = (code: string, mode: "load" | "run"): string | undefined => {
    const key = `${mode}\n${code}`;
    if (memo.has(key)) {
      const verdict = memo.get(key);
      memo.delete(key);
      memo.set(key, verdict);
      return verdict;
    }
    const verdict = run(code, mode);
    if (verdict !== limitMessage("time", limits) && Buffer.byteLength(code) <= 64 * 1024) {
      memo.set(key, verdict);
      if (memo.size > 256) memo.delete(memo.keys().next().value as string);
    }
    return verdict;
  };
  return { checkSyntax: (code) => remembered(code, "load"), execute: (code) => remembered(code, "run") };
}

function limitMessage(kind: string, limits: Required<LuaLimits>): string {
  if (kind === "time") return `lua execution timeout: code took longer than ${limits.maxSeconds}s`;
  if (kind === "memory") return `lua execution stopped: code used more than ${limits.maxMemoryBytes} bytes of memory`;
  return `lua execution stopped: code ran more than ${limits.maxInstructions} instructions`;
}

type Outcome = { readonly kind: "ok" | "syntax" | "runtime" | "limit"; readonly detail: string };

function runInFreshState(wasm: LuaWasm, limits: Required<LuaLimits>, code: string, mode: "load" | "run"): Outcome {
  const engine = new LuaEngine(wasm, { openStandardLibs: true, injectObjects: false, enableProxy: false, traceAllocations: true });
  try {
    engine.global.setMemoryMax(limits.maxMemoryBytes);
    engine.global.set("egts_code", code);
    engine.global.set("egts_mode", mode);
    engine.global.set("egts_mocks", envoyMocksLua);
    engine.global.set("egts_max_instructions", limits.maxInstructions);
    engine.global.set("egts_max_seconds", limits.maxSeconds);
    engine.global.set("egts_driver", sandboxDriverLua);
    const answer = String(engine.doStringSync(`local d = egts_driver; egts_driver = nil; return load(d, "${driverChunkName}")()`));
    const newline = answer.indexOf("\n");
    const kind = answer.slice(0, newline);
    const detail = answer.slice(newline + 1);
    if (kind === "ok" || kind === "syntax" || kind === "runtime" || kind === "limit") return { kind, detail };
    return { kind: "runtime", detail: answer };
  } catch (e) {
    // Only the driver's own work runs outside its protected call; what fails there is the memory bound.
    const message = e instanceof Error ? e.message : String(e);
    return /not enough memory/.test(message) ? { kind: "limit", detail: "memory" } : { kind: "runtime", detail: message };
  } finally {
    engine.global.close();
  }
}
