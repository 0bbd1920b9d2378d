/**
 * Splits an amount of fen among members in proportion to weights (shares,
 * mu, headcount) using the largest-remainder (Hamilton) method, so the parts
 * always add up to the total to the fen: a dividend sheet whose rows do not
 * sum to the approved pool cannot be signed off.
 *
 * 1. Each part is floor(total × wᵢ / Σw) fen.
 * 2. The leftover fen (fewer than the number of positive weights) go one
 *    each to the parts with the largest remainders.
 *
 * TIE RULE, so that the same sheet always produces the same payout and a
 * member can check it by hand:
 *   equal remainders → the larger weight gets the fen first;
 *   equal weights too → the lower index first, or, when `keys` are given,
 *   the key that is smaller by plain UTF-16 code-unit comparison first
 *   (not localeCompare, whose order depends on the runtime's ICU data);
 *   identical keys fall back to the lower index.
 * Keys let the result stay the same when the caller's rows arrive in a
 * different order (e.g. pass household codes).
 *
 * All arithmetic is exact: decimal weights are scaled to integers and the
 * remainders are compared as integers over a common denominator.
 *
 * Errors (RangeError): negative or non-finite weight, negative total,
 * keys of the wrong length, or a positive total with no positive weight.
 * A zero weight always receives 0.
 */
import type { Decimal } from "./money";

export function allocateFen(totalFen: bigint, weights: Decimal[], keys?: string[]): bigint[] {
  if (typeof totalFen !== "bigint") throw new RangeError("allocateFen: total must be a bigint");
  if (totalFen < 0n) throw new RangeError("allocateFen: negative total");
  if (keys !== undefined && keys.length !== weights.length) {
    throw new RangeError("allocateFen: keys and weights differ in length");
  }

  const scaled = scaleToIntegers(weights);
  const sum = scaled.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (totalFen === 0n) return weights.map(() => 0n);
    throw new RangeError("allocateFen: positive total but no positive weight");
  }

  const parts = scaled.map((w) => (totalFen * w) / sum);
  const remainders = scaled.map((w) => (totalFen * w) % sum);
  let leftover = totalFen - parts.reduce((a, b) => a + b, 0n);

  const order = scaled.map((_, i) => i).filter((i) => scaled[i]! > 0n);
  order.sort((a, b) => {
    const byRemainder = cmp(remainders[b]!, remainders[a]!);
    if (byRemainder !== 0) return byRemainder;
    const byWeight = cmp(scaled[b]!, scaled[a]!);
    if (byWeight !== 0) return byWeight;
    if (keys !== undefined) {
      const ka = keys[a]!;
      const kb = keys[b]!;
      if (ka !== kb) return ka < kb ? -1 : 1;
    }
    return a - b;
  });

  // leftover < number of positive weights, because each remainder < 1 fen.
  for (const i of order) {
    if (leftover === 0n) break;
    parts[i] = parts[i]! + 1n;
    leftover -= 1n;
  }
  return parts;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Multiplies every weight by the same power of ten so all become integers. */
function scaleToIntegers(weights: Decimal[]): bigint[] {
  let places = 0;
  for (const w of weights) {
    if (w === null || w === undefined || typeof w.isFinite !== "function" || !w.isFinite()) {
      throw new RangeError("allocateFen: weight is not a finite Decimal");
    }
    if (w.isNegative() && !w.isZero()) throw new RangeError("allocateFen: negative weight");
    places = Math.max(places, w.decimalPlaces());
  }
  // toFixed with at least as many places as the value has is exact, and it
  // never switches to exponent notation, unlike toString for tiny weights.
  return weights.map((w) => BigInt(w.abs().toFixed(places).replace(".", "")));
}
