// Go's time.Duration text form, as metav1.Duration reads and writes it.

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const PART = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;

/**
 * Parses a Go duration string ("1h30m", "1.5s", "300ms", "0") into nanoseconds;
 * `undefined` when the text is not a valid Go duration.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text.length === 0 || text.length > 64) return undefined;
  let rest = text;
  let sign = 1;
  if (rest[0] === "-" || rest[0] === "+") {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest.length === 0) return undefined;
  let total = 0;
  while (rest.length > 0) {
    const m = PART.exec(rest);
    if (m === null) return undefined;
    const [whole, intPart = "", fracPart, unit = ""] = m;
    if (intPart === "" && (fracPart === undefined || fracPart === "")) return undefined;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return undefined;
    total += Number(intPart || "0") * scale;
    if (fracPart) total += Math.round(Number(`0.${fracPart}`) * scale);
    rest = rest.slice(whole.length);
  }
  return sign * total;
}

/** Formats nanoseconds the way Go's `Duration.String` does ("1m0s", "1.5s", "300ms", "0s"). */
export function formatGoDuration(nanoseconds: number): string {
  if (nanoseconds === 0) return "0s";
  const neg = nanoseconds < 0;
  const ns = Math.abs(Math.round(nanoseconds));
  let out: string;
  if (ns < 1e3) out = `${ns}ns`;
  else if (ns < 1e6) out = `${fraction(ns, 1e3)}µs`;
  else if (ns < 1e9) out = `${fraction(ns, 1e6)}ms`;
  else {
    const hours = Math.floor(ns / 3600e9);
    const minutes = Math.floor((ns % 3600e9) / 60e9);
    const seconds = fraction(ns % 60e9, 1e9);
    out = hours > 0 ? `${hours}h${minutes}m${seconds}s` : minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
  }
  return neg ? `-${out}` : out;
}

/** `value / unit` in decimal with trailing zeros trimmed, computed without floating-point error. */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rem = value - whole * unit;
  if (rem === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rem).padStart(digits, "0").replace(/0+$/, "")}`;
}
