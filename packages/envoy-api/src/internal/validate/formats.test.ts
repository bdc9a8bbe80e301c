import { describe, expect, it } from "vitest";
import {
  emailError,
  goDuration,
  goTimestamp,
  goValue,
  hostnameError,
  isHeaderName,
  isHeaderString,
  isHeaderValue,
  isIpv4Bytes,
  isUuid,
  parseIp,
  parseUri,
  runeCount,
  utf8Length,
} from "./formats.js";

describe("formats", () => {
  it("hostnames as Go checks them", () => {
    expect(hostnameError("example.com")).toBeUndefined();
    expect(hostnameError("Example.COM.")).toBeUndefined();
    expect(hostnameError("a..b")).toBe("hostname part must be non-empty and cannot exceed 63 characters");
    expect(hostnameError(`${"a".repeat(64)}.com`)).toBe("hostname part must be non-empty and cannot exceed 63 characters");
    expect(hostnameError("a-.com")).toBe("hostname parts cannot end with hyphens");
    expect(hostnameError("a_b.com")).toBe('hostname parts can only contain alphanumeric characters or hyphens, got "_"');
    expect(hostnameError(`${"a.".repeat(127)}ab`)).toBe("hostname cannot exceed 253 characters");
  });

  it("IP addresses as Go's net.ParseIP reads them", () => {
    expect(parseIp("10.0.0.1")).toBeDefined();
    expect(parseIp("010.0.0.1")).toBeUndefined();
    expect(parseIp("1.2.3")).toBeUndefined();
    expect(parseIp("::")).toBeDefined();
    expect(parseIp("2001:db8::1")).toBeDefined();
    expect(parseIp("2001:db8:0:0:0:0:0:1")).toBeDefined();
    expect(parseIp("1:2:3:4:5:6:7:8:9")).toBeUndefined();
    expect(parseIp("1::2::3")).toBeUndefined();
    expect(parseIp("fe80::1%eth0")).toBeUndefined();
    expect(isIpv4Bytes(parseIp("::ffff:1.2.3.4") as Uint8Array)).toBe(true);
    expect(isIpv4Bytes(parseIp("::1.2.3.4") as Uint8Array)).toBe(false);
  });

  it("emails, UUIDs and URIs", () => {
    expect(emailError("a@example.com")).toBeUndefined();
    expect(emailError("Jane Doe <jane.doe@example.com>")).toBeUndefined();
    expect(emailError("a@-x.com")).toBe("hostname parts cannot begin with hyphens");
    expect(emailError(`${"a".repeat(65)}@example.com`)).toBe("email address local phrase cannot exceed 64 characters");
    expect(isUuid("123e4567-e89b-12d3-a456-426614174000")).toBe(true);
    expect(isUuid("123e4567-e89b-12d3-a456-42661417400g")).toBe(false);
    expect(parseUri("https://user@host:8080/p?q#f")).toEqual({ scheme: "https" });
    expect(parseUri("//host/p")).toEqual({ scheme: "" });
    expect(parseUri("http://host:port/")).toEqual({ error: 'invalid port ":port" after host' });
    expect(parseUri("http://[::1/")).toEqual({ error: "missing ']' in host" });
    expect(parseUri("a b\u0001")).toEqual({ error: "net/url: invalid control character in URL" });
    expect(parseUri(":foo")).toEqual({ error: "missing protocol scheme" });
  });

  it("HTTP header names and values (PGV's well-known regexes)", () => {
    expect(isHeaderName("x-request-id")).toBe(true);
    expect(isHeaderName(":authority")).toBe(true);
    expect(isHeaderName(":")).toBe(false);
    expect(isHeaderName("bad header")).toBe(false);
    expect(isHeaderName("bad:header")).toBe(false);
    expect(isHeaderName("a,b")).toBe(true);
    expect(isHeaderValue("text/html; charset=utf-8\t")).toBe(true);
    expect(isHeaderValue("a\nb")).toBe(false);
    expect(isHeaderValue("a\u007fb")).toBe(false);
    expect(isHeaderString("any thing \u0001")).toBe(true);
    expect(isHeaderString("a\rb")).toBe(false);
  });

  it("lengths in runes and UTF-8 bytes", () => {
    expect(runeCount("a😀é")).toBe(3);
    expect(utf8Length("a😀é")).toBe(7);
  });

  it("values printed as Go prints them", () => {
    expect(goDuration(0n)).toBe("0s");
    expect(goDuration(1_000_000n)).toBe("1ms");
    expect(goDuration(1_500_000_000n)).toBe("1.5s");
    expect(goDuration(90_000_000_000n)).toBe("1m30s");
    expect(goDuration(3_600_000_000_000n)).toBe("1h0m0s");
    expect(goDuration(-2_000n)).toBe("-2µs");
    expect(goTimestamp(1_577_836_800n, 500_000_000)).toBe("2020-01-01 00:00:00.5 +0000 UTC");
    expect(goValue(0.5)).toBe("0.5");
    expect(goValue(1e-7)).toBe("1e-07");
    expect(goValue(18446744073709551615n)).toBe("18446744073709551615");
  });
});
