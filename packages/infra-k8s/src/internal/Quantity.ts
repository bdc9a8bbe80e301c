const binary: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/**
 * The value of a Kubernetes resource quantity ("512Mi", "1.5G", "2e3", "100m"), rounded up to a whole number as
 * resource.Quantity.Value() does; undefined when it is not a quantity.
 */
export function quantityValue(text: string | number): number | undefined {
  if (typeof text === "number") return Math.ceil(text);
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(text.trim());
  if (match === null) return undefined;
  const number = Number(match[1]);
  const suffix = match[2];
  const scale = suffix !== undefined ? (binary[suffix] ?? decimal[suffix] ?? 1) : match[3] !== undefined ? 10 ** Number(match[3]) : 1;
  return Math.ceil(number * scale);
}
