// Value parsing shared by the policies: Kubernetes quantities, Go durations and string matches as upstream's
// IR carries them.
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import type * as ir from "@egts/ir";
import type { Mutable } from "../Mutable.js";
import { formatQuantity, parseQuantity, quantityInt64 } from "../Quantity.js";

/**
 * The integer value of a Kubernetes quantity ("1Mi", "100G", 1024), or undefined when it is not a valid
 * quantity or not a whole number (Quantity.AsInt64 fails for "500m").
 */
export function quantityAsInteger(value: number | string): bigint | undefined {
  const q = parseQuantity(value);
  return q === undefined ? undefined : quantityInt64(q);
}

/** The quantity as Kubernetes prints it in messages (canonical: "1000G" is "1T"); invalid input as written. */
export function quantityText(value: number | string): string {
  const q = parseQuantity(value);
  return q === undefined ? String(value) : formatQuantity(q);
}

/** A Go duration string re-printed in Go's canonical form ("60s" -> "1m0s"), or undefined when invalid. */
export function canonicalDuration(text: string): ir.Duration | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : (formatGoDuration(ns) as ir.Duration);
}

/**
 * An IR StringMatch from the fields that are set. `name` and `distinct` may be left out: absent, they read as
 * their zero values ("" and false), which upstream's JSON shows and the IR codec treats as unset.
 */
export function stringMatch(fields: Partial<ir.StringMatch>): ir.StringMatch {
  return fields as ir.StringMatch;
}

/** An Envoy Gateway StringMatch as the IR's StringMatch, with an optional name (upstream irStringMatch). */
export function irStringMatch(name: string, match: { readonly type?: string; readonly value: string }): ir.StringMatch {
  const out: Mutable<ir.StringMatch> = stringMatch({});
  if (name !== "") out.name = name;
  switch (match.type ?? "Exact") {
    case "Prefix":
      out.prefix = match.value;
      break;
    case "Suffix":
      out.suffix = match.value;
      break;
    case "RegularExpression":
      out.safeRegex = match.value;
      break;
    default:
      out.exact = match.value;
  }
  return out;
}

const goDurationUnits = new Set(["ns", "us", "µs", "μs", "ms", "s", "m", "h"]);

/**
 * The error Go's time.ParseDuration gives for a text (`time: invalid duration "x"`, `time: missing unit in
 * duration "1"`, `time: unknown unit "d" in duration "1d"`), or undefined when the text parses.
 */
export function goDurationError(text: string): string | undefined {
  const q = JSON.stringify;
  const invalid = `time: invalid duration ${q(text)}`;
  let s = text;
  if (s.startsWith("-") || s.startsWith("+")) s = s.slice(1);
  if (s === "0") return undefined;
  if (s === "") return invalid;
  while (s !== "") {
    if (!/^[0-9.]/.test(s)) return invalid;
    const m = /^(\d*)(?:\.(\d*))?/.exec(s) as RegExpExecArray;
    if ((m[1] ?? "") === "" && (m[2] ?? "") === "") return invalid;
    s = s.slice(m[0].length);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? "";
    if (unit === "") return `time: missing unit in duration ${q(text)}`;
    if (!goDurationUnits.has(unit)) return `time: unknown unit ${q(unit)} in duration ${q(text)}`;
    s = s.slice(unit.length);
  }
  return parseGoDuration(text) === undefined ? invalid : undefined;
}

/** Go's time.ParseDuration error for a text that did not parse (see {@link goDurationError}). */
export function goDurationMessage(text: unknown): string {
  return goDurationError(String(text)) ?? `time: invalid duration ${JSON.stringify(String(text))}`;
}
