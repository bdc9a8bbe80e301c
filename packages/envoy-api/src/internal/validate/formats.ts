/**
 * The well-known string formats of protoc-gen-validate, checked the way its Go validators (which Envoy Gateway
 * runs) check them, and Go's way of printing the values that appear in its messages.
 */

/** Why a hostname is not one (Go's wording), or undefined when it is one. */
export function hostnameError(host: string): string | undefined {
  const s = (host.endsWith(".") ? host.slice(0, -1) : host).toLowerCase();
  if (utf8Length(host) > 253) return "hostname cannot exceed 253 characters";
  for (const part of s.split(".")) {
    const length = utf8Length(part);
    if (length === 0 || length > 63) return "hostname part must be non-empty and cannot exceed 63 characters";
    if (part.startsWith("-")) return "hostname parts cannot begin with hyphens";
    if (part.endsWith("-")) return "hostname parts cannot end with hyphens";
    for (const r of part) {
      if (!((r >= "a" && r <= "z") || (r >= "0" && r <= "9") || r === "-")) {
        return `hostname parts can only contain alphanumeric characters or hyphens, got ${goQuote(r)}`;
      }
    }
  }
  return undefined;
}

/** Parses an IP address as Go's net.ParseIP does (dotted IPv4, IPv6 with optional embedded IPv4, no zone). */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const v4 = parseIpv4(text);
  if (v4 === undefined) return undefined;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out.set(v4, 12);
  return out;
}

/** True when a 16-byte address is an IPv4 address (Go's `To4() != nil`: IPv4-mapped, `::ffff:a.b.c.d`). */
export function isIpv4Bytes(ip: Uint8Array): boolean {
  if (ip.length === 4) return true;
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? "";
    // Go rejects empty parts, non-digits, values above 255 and leading zeros.
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === "") return [];
    const groups = part.split(":");
    const bytes: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] ?? "";
      if (i === groups.length - 1 && allowV4Tail && group.includes(".")) {
        const v4 = parseIpv4(group);
        if (v4 === undefined) return undefined;
        bytes.push(...v4);
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(group)) return undefined;
      const value = parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    }
    return bytes;
  };
  if (halves.length === 1) {
    const bytes = parseGroups(text, true);
    if (bytes === undefined || bytes.length !== 16) return undefined;
    out.set(bytes);
    return out;
  }
  const head = parseGroups(halves[0] ?? "", false);
  const tail = parseGroups(halves[1] ?? "", true);
  // `::` stands for at least one zero group.
  if (head === undefined || tail === undefined || head.length + tail.length > 14) return undefined;
  out.set(head, 0);
  out.set(tail, 16 - tail.length);
  return out;
}

/** Why a string is not an email address (Go's net/mail, roughly), or undefined when it is one. */
export function emailError(text: string): string | undefined {
  let address = text.trim();
  const angle = /<([^<>]*)>\s*$/.exec(address);
  if (angle !== null) address = angle[1] ?? "";
  const at = address.lastIndexOf("@");
  if (at <= 0 || at === address.length - 1) return "mail: missing '@' or angle-addr";
  const local = address.slice(0, at);
  if (!/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/.test(local) && !/^"[^"\\\r\n]*"$/.test(local)) {
    return "mail: invalid string";
  }
  if (utf8Length(address) > 254) return "email addresses cannot exceed 254 characters";
  if (utf8Length(local) > 64) return "email address local phrase cannot exceed 64 characters";
  return hostnameError(address.slice(at + 1));
}

/** Go's check of a UUID string; true when valid. */
export function isUuid(text: string): boolean {
  return /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(text);
}

/** The parts of a URL reference Go's url.Parse reads, or why it refuses it. */
export function parseUri(text: string): { readonly scheme: string } | { readonly error: string } {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return { error: `net/url: invalid control character in URL` };
  }
  const hashless = text.split("#", 1)[0] ?? "";
  const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(text);
  if (badEscape !== null) return { error: `invalid URL escape ${goQuote(text.slice(badEscape.index, badEscape.index + 3))}` };
  let rest = hashless;
  let scheme = "";
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (schemeMatch !== null) {
    scheme = schemeMatch[1] ?? "";
    rest = rest.slice(schemeMatch[0].length);
  } else if (/^[0-9+.-]*:/.test(rest) && rest.indexOf(":") < (rest.indexOf("/") < 0 ? Infinity : rest.indexOf("/"))) {
    if (rest.startsWith(":")) return { error: "missing protocol scheme" };
    return { error: "first path segment in URL cannot contain colon" };
  }
  rest = rest.split("?", 1)[0] ?? "";
  if (rest.startsWith("//")) {
    const authorityEnd = rest.indexOf("/", 2);
    const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd);
    const host = authority.slice(authority.lastIndexOf("@") + 1);
    if (host.startsWith("[")) {
      const close = host.indexOf("]");
      if (close < 0) return { error: "missing ']' in host" };
      const port = host.slice(close + 1);
      if (port !== "" && !/^:[0-9]*$/.test(port)) return { error: `invalid port ${goQuote(port)} after host` };
    } else {
      const colon = host.lastIndexOf(":");
      if (colon >= 0 && !/^[0-9]*$/.test(host.slice(colon + 1))) {
        return { error: `invalid port ${goQuote(host.slice(colon))} after host` };
      }
    }
  }
  return { scheme };
}

/** RFC 7230 header-name characters, with an optional leading `:` for pseudo-headers (PGV's strict regex). */
export const HEADER_NAME_PATTERN = "^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$";
/** RFC 7230 header-value characters (PGV's strict regex). */
export const HEADER_VALUE_PATTERN = "^[^\\x00-\\x08\\x0A-\\x1F\\x7F]*$";
/** Anything but NUL, CR and LF (PGV's non-strict regex for both header names and values). */
export const HEADER_STRING_PATTERN = "^[^\\x00\\n\\r]*$";

/** Checks `HEADER_NAME_PATTERN` without a regular expression. */
export function isHeaderName(text: string): boolean {
  let i = text.startsWith(":") ? 1 : 0;
  if (i === text.length) return false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      // ! # $ % & ' * and the range + , - . then ^ _ | ~ `
      c === 0x21 ||
      (c >= 0x23 && c <= 0x27) ||
      c === 0x2a ||
      (c >= 0x2b && c <= 0x2e) ||
      c === 0x5e ||
      c === 0x5f ||
      c === 0x7c ||
      c === 0x7e ||
      c === 0x60;
    if (!ok) return false;
  }
  return true;
}

/** Checks `HEADER_VALUE_PATTERN` without a regular expression. */
export function isHeaderValue(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x08 || (c >= 0x0a && c <= 0x1f) || c === 0x7f) return false;
  }
  return true;
}

/** Checks `HEADER_STRING_PATTERN` without a regular expression. */
export function isHeaderString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d) return false;
  }
  return true;
}

/** Number of Unicode code points (Go's runes) in a string. */
export function runeCount(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) count--;
    }
  }
  return count;
}

/** Length of a string in UTF-8 bytes. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** A pattern as Go's validators show it in a message: between double quotes, backslashes as written. */
export function quotePattern(source: string): string {
  return `"${source}"`;
}

/** A string quoted the way Go's `%q` does for printable text. */
export function goQuote(text: string): string {
  return JSON.stringify(text)
    .replace(/\\u00([0-9a-f]{2})/g, "\\x$1")
    .replace(/\\u007f/g, "\\x7f");
}

/** A list printed as Go's `%v` prints a slice: `[a b c]`. */
export function goList(values: readonly unknown[]): string {
  return `[${values.map((v) => goValue(v)).join(" ")}]`;
}

/** A float32 printed as Go's `%v` prints a float32: the shortest decimal that reads back as the same float32. */
export function goFloat32(value: number): string {
  if (!Number.isFinite(value)) return goValue(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return goValue(candidate);
  }
  return goValue(value);
}

/** A scalar printed as Go's `%v` prints it. */
export function goValue(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
    return String(value).replace(/e([+-])(\d)$/, "e$10$2");
  }
  if (value instanceof Uint8Array) return `[${Array.from(value).join(" ")}]`;
  return String(value);
}

const NANOS_PER_SECOND = 1_000_000_000n;

/** A duration in nanoseconds printed as Go's time.Duration.String() prints it (`1.5s`, `1m0s`, `100ms`, `0s`). */
export function goDuration(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const sign = negative ? "-" : "";
  const fraction = (value: bigint, unit: bigint): string => {
    const whole = value / unit;
    const rest = value % unit;
    if (rest === 0n) return String(whole);
    const digits = String(unit).length - 1;
    return `${whole}.${String(rest).padStart(digits, "0").replace(/0+$/, "")}`;
  };
  if (abs < 1000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${fraction(abs, 1000n)}µs`;
  if (abs < NANOS_PER_SECOND) return `${sign}${fraction(abs, 1_000_000n)}ms`;
  const hours = abs / (3600n * NANOS_PER_SECOND);
  const minutes = (abs / (60n * NANOS_PER_SECOND)) % 60n;
  const seconds = fraction(abs % (60n * NANOS_PER_SECOND), NANOS_PER_SECOND);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** A timestamp printed as Go's time.Time.String() prints a UTC time (`2006-01-02 15:04:05.5 +0000 UTC`). */
export function goTimestamp(seconds: bigint, nanos: number): string {
  const date = new Date(Number(seconds) * 1000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  const fractionText = nanos === 0 ? "" : `.${String(nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${fractionText} +0000 UTC`
  );
}
