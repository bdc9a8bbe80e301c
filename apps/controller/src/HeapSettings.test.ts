import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_HEAP_GROWING_PERCENT,
  DEFAULT_SEMI_SPACE_MIB,
  HEAP_GROWING_PERCENT_ENV,
  heapGrowingFlag,
  nodeFlagsOf,
  SEMI_SPACE_ENV,
  semiSpaceMiB,
} from "./HeapSettings.js";

describe("heapGrowingFlag", () => {
  it("asks for the default growth when nothing says otherwise", () => {
    expect(heapGrowingFlag({}, [])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
    expect(heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: "  " }, ["--enable-source-maps"])).toBe(`--heap-growing-percent=${DEFAULT_HEAP_GROWING_PERCENT}`);
  });

  it("takes the growth from the environment, or leaves V8 alone with off", () => {
    expect(heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: "100" }, [])).toBe("--heap-growing-percent=100");
    expect(heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: "off" }, [])).toBeUndefined();
    expect(heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: "OFF" }, [])).toBeUndefined();
  });

  it("leaves a growth given to Node itself as it is", () => {
    expect(heapGrowingFlag({}, ["--heap-growing-percent=80"])).toBeUndefined();
    expect(heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: "40" }, ["--heap_growing_percent=80"])).toBeUndefined();
    expect(heapGrowingFlag({}, nodeFlagsOf([], "--max-old-space-size=512  --heap-growing-percent=20"))).toBeUndefined();
  });

  it("names a flag this Node's V8 knows (Node refuses unknown V8 flags on its command line)", () => {
    const flag = heapGrowingFlag({}, []) as string;
    const run = spawnSync(process.execPath, [flag, "-e", ""], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(spawnSync(process.execPath, ["--heap-growing-percentage=30", "-e", ""], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("rejects values that are not a whole percentage from 1 to 1000", () => {
    for (const value of ["0", "-5", "1.5", "1001", "lots", "30%"])
      expect(() => heapGrowingFlag({ [HEAP_GROWING_PERCENT_ENV]: value }, [])).toThrow(HEAP_GROWING_PERCENT_ENV);
  });
});

describe("nodeFlagsOf", () => {
  it("joins the command line's flags and NODE_OPTIONS'", () => {
    expect(nodeFlagsOf(["--inspect"], " --max-old-space-size=512   --trace-gc ")).toEqual(["--inspect", "--max-old-space-size=512", "--trace-gc"]);
    expect(nodeFlagsOf([], undefined)).toEqual([]);
  });
});

describe("semiSpaceMiB", () => {
  it("asks for the default size when nothing says otherwise, or the environment's", () => {
    expect(semiSpaceMiB({}, [])).toBe(DEFAULT_SEMI_SPACE_MIB);
    expect(semiSpaceMiB({ [SEMI_SPACE_ENV]: " " }, ["--enable-source-maps"])).toBe(DEFAULT_SEMI_SPACE_MIB);
    expect(semiSpaceMiB({ [SEMI_SPACE_ENV]: "2" }, [])).toBe(2);
    expect(semiSpaceMiB({ [SEMI_SPACE_ENV]: "off" }, [])).toBeUndefined();
  });

  it("leaves a young generation sized on Node's command line or in NODE_OPTIONS as it is", () => {
    expect(semiSpaceMiB({}, ["--max-semi-space-size=32"])).toBeUndefined();
    expect(semiSpaceMiB({ [SEMI_SPACE_ENV]: "4" }, ["--max_semi_space_size=1"])).toBeUndefined();
    expect(semiSpaceMiB({}, nodeFlagsOf([], "--semi-space-growth-factor=4"))).toBeUndefined();
    expect(semiSpaceMiB({}, ["--max-semi-space-size", "32"])).toBeUndefined();
  });

  it("rejects values that are not a whole number of MiB from 2 to 1024", () => {
    for (const value of ["0", "1", "-1", "2.5", "1025", "big", "8M"]) expect(() => semiSpaceMiB({ [SEMI_SPACE_ENV]: value }, [])).toThrow(SEMI_SPACE_ENV);
  });
});
