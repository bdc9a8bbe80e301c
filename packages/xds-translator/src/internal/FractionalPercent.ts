import { FractionalPercent_DenominatorType, type FractionalPercent } from "@egts/envoy-api/generated/envoy/type/v3/percent";
import type { gwapiv1 } from "@egts/ir";

/** A percentage (0-100, float32 precision as upstream) in millionths. */
export function fractionFromFloat32(p: number): FractionalPercent {
  return { numerator: Math.trunc(Math.fround(Math.fround(p) * 10000)), denominator: FractionalPercent_DenominatorType.MILLION };
}

/** A whole percentage. */
export const fractionFromPercent = (p: number): FractionalPercent => ({ numerator: p, denominator: FractionalPercent_DenominatorType.HUNDRED });

/** A Gateway API fraction in the nearest denominator Envoy supports (100, 10 000 or 1 000 000). */
export function fractionFromFraction(f: gwapiv1.Fraction | undefined): FractionalPercent | undefined {
  if (f === undefined) return undefined;
  const D = FractionalPercent_DenominatorType;
  switch (f.denominator) {
    case undefined:
    case 100:
      return { numerator: f.numerator, denominator: D.HUNDRED };
    case 1000:
      return { numerator: f.numerator * 10, denominator: D.TEN_THOUSAND };
    case 10000:
      return { numerator: f.numerator, denominator: D.TEN_THOUSAND };
    case 100000:
      return { numerator: f.numerator * 10, denominator: D.MILLION };
    case 1000000:
      return { numerator: f.numerator, denominator: D.MILLION };
    default:
      return { numerator: Math.trunc((f.numerator * 1000000) / f.denominator), denominator: D.MILLION };
  }
}

/** {@link fractionFromFraction}, or 0% when absent. */
export const fractionFromFractionOrZero = (f: gwapiv1.Fraction | undefined): FractionalPercent =>
  fractionFromFraction(f) ?? { numerator: 0, denominator: FractionalPercent_DenominatorType.HUNDRED };
