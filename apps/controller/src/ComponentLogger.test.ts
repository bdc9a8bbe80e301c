import { describe, expect, it } from "vitest";
import { componentLogger, levelFor } from "./ComponentLogger.js";

describe("componentLogger", () => {
  it("filters each entry by its component's level, falling back to xds, then default", () => {
    const lines: string[] = [];
    const log = componentLogger({ levels: { default: "warn", provider: "debug", xds: "error" }, encoder: "JSON", write: (l) => lines.push(l) });
    log.debug("watching", { component: "provider" });
    log.info("translated", { component: "gateway-api" });
    log.warn("slow", { component: "gateway-api" });
    log.warn("nack", { component: "xds-server" });
    log.error("cannot encode", { component: "xds-translator" });
    const entries = lines.map((l) => JSON.parse(l) as { level: string; msg: string; component: string });
    expect(entries.map((e) => `${e.component}:${e.level}:${e.msg}`)).toEqual([
      "provider:debug:watching",
      "gateway-api:warn:slow",
      "xds-translator:error:cannot encode",
    ]);
  });

  it("defaults to info; a value that is no level falls back", () => {
    expect(levelFor({}, "admin")).toBe("info");
    expect(levelFor({ default: "debug", admin: "error" }, "admin")).toBe("error");
    expect(levelFor({ default: "warn", provider: "verbose" }, "provider")).toBe("warn");
  });
});
