// Value parsing shared by the policies: Kubernetes quantities, Go durations and string matches as upstream's
// IR carries them.
import { formatGoDuration, parseGoDuration } from "@egts/ir";
import type * as ir from "@egts/ir";

const binarySuffixes: Readonly<Record<string, bigint>> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const decimalExponents: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const quantityPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/**
 * The integer value of a Kubernetes quantity ("1Mi", "100G", 1024), or undefined when it is not a valid
 * quantity or not a whole number (Quantity.AsInt64 fails for "500m").
 */
export function quantityAsInteger(value: number | string): bigint | undefined {
  const text = String(value).trim();
  if (text.length === 0 || text.length > 64) return undefined;
  const m = quantityPattern.exec(text);
  if (m === null) return undefined;
  const [, sign = "", number = "", suffix, exponent] = m;
  const [intPart = "", fracPart = ""] = number.split(".");
  let digits = BigInt((intPart || "0") + fracPart);
  let scale = -fracPart.length;
  if (suffix !== undefined && binarySuffixes[suffix] !== undefined) digits *= binarySuffixes[suffix] as bigint;
  else if (suffix !== undefined) scale += decimalExponents[suffix] ?? 0;
  else if (exponent !== undefined) scale += Number(exponent);
  if (scale > 30) return undefined;
  let result: bigint;
  if (scale >= 0) result = digits * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    if (digits % div !== 0n) return undefined;
    result = digits / div;
  }
  return sign === "-" ? -result : result;
}

/** The quantity as Kubernetes prints it in messages (the written form). */
export function quantityText(value: number | string): string {
  return String(value);
}

/** A Go duration string re-printed in Go's canonical form ("60s" -> "1m0s"), or undefined when invalid. */
export function canonicalDuration(text: string): ir.Duration | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : (formatGoDuration(ns) as ir.Duration);
}

/** An Envoy Gateway StringMatch as the IR's StringMatch, with an optional name (upstream irStringMatch). */
export function irStringMatch(name: string, match: { readonly type?: string; readonly value: string }): ir.StringMatch {
  const out: Record<string, string> = {};
  if (name !== "") out["name"] = name;
  switch (match.type ?? "Exact") {
    case "Prefix":
      out["prefix"] = match.value;
      break;
    case "Suffix":
      out["suffix"] = match.value;
      break;
    case "RegularExpression":
      out["safeRegex"] = match.value;
      break;
    default:
      out["exact"] = match.value;
  }
  return out as unknown as ir.StringMatch;
}
