import { describe, expect, it } from "vitest";
import { formatQuantity, parseQuantity, quantityInt64 } from "./Quantity.js";

const canonical = (v: string | number): string | undefined => {
  const q = parseQuantity(v);
  return q === undefined ? undefined : formatQuantity(q);
};

describe("Kubernetes quantities", () => {
  it("print decimal SI values with the largest suffix that keeps an integer", () => {
    expect(canonical("1000G")).toBe("1T");
    expect(canonical("1500M")).toBe("1500M");
    expect(canonical("0.5")).toBe("500m");
    expect(canonical("1000")).toBe("1k");
    expect(canonical(4294967296)).toBe("4294967296");
    expect(canonical("10000000000")).toBe("10G");
    expect(canonical("-2000")).toBe("-2k");
    expect(canonical("0k")).toBe("0");
  });

  it("print binary SI values in powers of 1024, falling back to decimal below 1Ki or when fractional", () => {
    expect(canonical("1024Ki")).toBe("1Mi");
    expect(canonical("1536Ki")).toBe("1536Ki");
    expect(canonical("0.5Gi")).toBe("512Mi");
    expect(canonical("1.5Ki")).toBe("1536");
    expect(canonical("0.5Ki")).toBe("512");
    expect(canonical("4096Mi")).toBe("4Gi");
  });

  it("keep exponent notation, normalised to a multiple of three", () => {
    expect(canonical("1e3")).toBe("1e3");
    expect(canonical("1000e0")).toBe("1e3");
    expect(canonical("1.5e3")).toBe("1500");
    expect(canonical("1E6")).toBe("1e6");
  });

  it("round values below a nano up, and reject what is not a quantity", () => {
    expect(canonical("0.0000000001")).toBe("1n");
    for (const bad of ["", "1Kb", "abc", "1..2", "1 Mi", "Mi"]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it("have an int64 value only when whole and in range", () => {
    const int = (v: string): bigint | undefined => {
      const q = parseQuantity(v);
      return q === undefined ? undefined : quantityInt64(q);
    };
    expect(int("1Mi")).toBe(1048576n);
    expect(int("100G")).toBe(100000000000n);
    expect(int("500m")).toBeUndefined();
    expect(int("100E")).toBeUndefined();
  });
});

describe("Go duration parse errors", () => {
  it("word errors as time.ParseDuration does", async () => {
    const { goDurationError } = await import("./policies/Values.js");
    expect(goDurationError("1h30m")).toBeUndefined();
    expect(goDurationError("0")).toBeUndefined();
    expect(goDurationError("5")).toBe('time: missing unit in duration "5"');
    expect(goDurationError("1d")).toBe('time: unknown unit "d" in duration "1d"');
    expect(goDurationError("1 s")).toBe('time: unknown unit " s" in duration "1 s"');
    expect(goDurationError("abc")).toBe('time: invalid duration "abc"');
    expect(goDurationError("")).toBe('time: invalid duration ""');
    expect(goDurationError(".s")).toBe('time: invalid duration ".s"');
  });
});
