// Kubernetes resource quantities (apimachinery resource.Quantity): parsing with the same rounding, the
// integer value (AsInt64) and the canonical text (Quantity.String) that upstream prints in messages.

/** How a quantity was written, which decides how it prints. */
type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** A parsed quantity: its value in units of 10^-9 (Kubernetes keeps nano precision) and its format. */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

const binaryPowers: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const decimalExponents: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalSuffixes: ReadonlyMap<number, string> = new Map(Object.entries(decimalExponents).map(([s, e]) => [e, s]));
const binarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const quantityPattern = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const nano = 10n ** 9n;
const int64Max = (1n << 63n) - 1n;
const int64Min = -(1n << 63n);
// Kubernetes caps binary quantities at 2^63-1 (its maxAllowed); decimal ones are not capped.
const maxAllowedNanos = int64Max * nano;

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Parses a quantity as Kubernetes does ("1Mi", "100G", "1.5", "1e3", or a JSON number); undefined when it is
 * not one. Fractions below a nano round up, as Kubernetes rounds them.
 */
export function parseQuantity(value: number | string): Quantity | undefined {
  // Objects that skipped validation may hold anything here.
  const text = typeof value === "number" ? (Number.isFinite(value) ? numberText(value) : "") : typeof value === "string" ? value : "";
  if (text.length === 0 || text.length > 64) return undefined;
  const m = quantityPattern.exec(text);
  if (m === null) return undefined;
  const [, sign = "", number = "", suffix = ""] = m;
  const [intPart = "", fracPart = ""] = number.split(".");
  const digits = BigInt((intPart || "0") + fracPart);
  let format: QuantityFormat;
  let nanos: bigint;
  if (binaryPowers[suffix] !== undefined) {
    format = "BinarySI";
    const scaled = digits * (1n << BigInt(10 * (binaryPowers[suffix] as number))) * nano;
    nanos = ceilDiv(scaled, 10n ** BigInt(fracPart.length));
    if (nanos > maxAllowedNanos) nanos = maxAllowedNanos;
    if (nanos > 0n && nanos < nano) format = "DecimalSI";
  } else {
    let exponent: number;
    if (decimalExponents[suffix] !== undefined) {
      format = "DecimalSI";
      exponent = decimalExponents[suffix] as number;
    } else {
      const e = /^[eE]([+-]?\d+)$/.exec(suffix);
      if (e === null) return undefined;
      format = "DecimalExponent";
      exponent = Number(e[1]);
      if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
    }
    const scale = exponent - fracPart.length + 9;
    nanos = scale >= 0 ? digits * 10n ** BigInt(scale) : ceilDiv(digits, 10n ** BigInt(-scale));
  }
  return { nanos: sign === "-" ? -nanos : nanos, format };
}

// A JSON number as Go's decoder hands it to Quantity (plain decimal digits, exponent kept as written).
function numberText(n: number): string {
  return String(n).replace("e+", "e");
}

/** The whole-number value of a quantity (Quantity.AsInt64), or undefined when fractional or beyond int64. */
export function quantityInt64(q: Quantity): bigint | undefined {
  if (q.nanos % nano !== 0n) return undefined;
  const v = q.nanos / nano;
  return v > int64Max || v < int64Min ? undefined : v;
}

/** The canonical text of a quantity (Quantity.String): "1000G" prints "1T", "1024Ki" prints "1Mi", "0.5" "500m". */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return "0";
  const negative = q.nanos < 0n;
  const abs = negative ? -q.nanos : q.nanos;
  const sign = negative ? "-" : "";
  let format = q.format;
  if (format === "BinarySI" && (abs < 1024n * nano || abs % nano !== 0n)) format = "DecimalSI";
  if (format === "BinarySI") {
    let amount = abs / nano;
    let power = 0;
    while (amount % 1024n === 0n && power < binarySuffixes.length - 1) {
      amount /= 1024n;
      power++;
    }
    return `${sign}${amount}${binarySuffixes[power] ?? ""}`;
  }
  let amount = abs;
  let exponent = -9;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  const rest = ((exponent % 3) + 3) % 3;
  amount *= 10n ** BigInt(rest);
  exponent -= rest;
  if (format === "DecimalExponent") return `${sign}${amount}${exponent === 0 ? "" : `e${exponent}`}`;
  // Exponents beyond E have no decimal suffix; Kubernetes then prints the bare number.
  return `${sign}${amount}${decimalSuffixes.get(exponent) ?? ""}`;
}
