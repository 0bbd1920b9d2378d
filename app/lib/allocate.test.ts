import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocateFen } from "./allocate";
import { Decimal } from "./money";

const d = (...xs: (string | number)[]) => xs.map((x) => new Decimal(x));
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

describe("allocateFen", () => {
  it("splits exactly when the total divides evenly", () => {
    expect(allocateFen(600n, d(1, 2, 3))).toEqual([100n, 200n, 300n]);
  });

  it("gives leftover fen to the largest remainders", () => {
    // quotas 50.5, 30.3, 20.2
    expect(allocateFen(101n, d("5", "3", "2"))).toEqual([51n, 30n, 20n]);
    // quotas 3.4, 3.3, 3.3 of 10 with weights 34, 33, 33
    expect(allocateFen(10n, d(34, 33, 33))).toEqual([4n, 3n, 3n]);
    // quotas 2.2 and 2.8: remainder 0.8 beats 0.2 despite the higher index
    expect(allocateFen(5n, d("2.2", "2.8"))).toEqual([2n, 3n]);
  });

  it("ties on remainder: larger weight first", () => {
    // quotas 0.5 and 1.5: remainders tie at 0.5, weight 3 wins regardless of position
    expect(allocateFen(2n, d(1, 3))).toEqual([0n, 2n]);
    expect(allocateFen(2n, d(3, 1))).toEqual([2n, 0n]);
  });

  it("ties on remainder and weight: lower index first", () => {
    // quotas 0.5, 0.5, 1: the one leftover fen goes to index 0
    expect(allocateFen(2n, d(1, 1, 2))).toEqual([1n, 0n, 1n]);
    expect(allocateFen(1n, d(1, 1, 1))).toEqual([1n, 0n, 0n]);
    expect(allocateFen(2n, d(1, 1, 1))).toEqual([1n, 1n, 0n]);
  });

  it("ties on remainder and weight: smaller key first when keys given", () => {
    expect(allocateFen(1n, d(1, 1, 1), ["c", "a", "b"])).toEqual([0n, 1n, 0n]);
    expect(allocateFen(2n, d(1, 1, 1), ["c", "a", "b"])).toEqual([0n, 1n, 1n]);
    // code-unit order, not locale order: "B" < "a"
    expect(allocateFen(1n, d(1, 1), ["a", "B"])).toEqual([0n, 1n]);
    // identical keys fall back to index
    expect(allocateFen(1n, d(1, 1), ["x", "x"])).toEqual([1n, 0n]);
  });

  it("is independent of row order when keys are given", () => {
    const w = d(2, 1, 1, 2, 1);
    const k = ["h05", "h01", "h03", "h02", "h04"];
    const a = allocateFen(10n, w, k);
    const perm = [4, 2, 0, 3, 1];
    const b = allocateFen(10n, perm.map((i) => w[i]!), perm.map((i) => k[i]!));
    perm.forEach((from, to) => expect(b[to]).toBe(a[from]));
  });

  it("gives zero weights nothing", () => {
    expect(allocateFen(7n, d(0, 1, 0, 1))).toEqual([0n, 4n, 0n, 3n]);
    expect(allocateFen(1n, d(0, 0, 5))).toEqual([0n, 0n, 1n]);
  });

  it("handles decimal weights exactly", () => {
    // 12.35 + 7.65 = 20 mu; 1000 fen → 617.5 and 382.5, tie → larger weight
    expect(allocateFen(1000n, d("12.35", "7.65"))).toEqual([618n, 382n]);
    expect(allocateFen(3n, d("0.1", "0.2"))).toEqual([1n, 2n]);
    expect(allocateFen(100n, d("1e-30", "1e-30"))).toEqual([50n, 50n]);
    expect(allocateFen(3n, d("1e+50", "2e+50"))).toEqual([1n, 2n]);
  });

  it("allows a zero total and empty input", () => {
    expect(allocateFen(0n, d(1, 2))).toEqual([0n, 0n]);
    expect(allocateFen(0n, d(0, 0))).toEqual([0n, 0n]);
    expect(allocateFen(0n, [])).toEqual([]);
  });

  it("rejects invalid input with RangeError", () => {
    expect(() => allocateFen(10n, d(1, -1))).toThrow(RangeError);
    expect(() => allocateFen(10n, d(0, 0))).toThrow(RangeError);
    expect(() => allocateFen(10n, [])).toThrow(RangeError);
    expect(() => allocateFen(-1n, d(1))).toThrow(RangeError);
    expect(() => allocateFen(10n, d(1, 1), ["a"])).toThrow(RangeError);
    expect(() => allocateFen(10n, [new Decimal(NaN)])).toThrow(RangeError);
    expect(() => allocateFen(10n, [new Decimal(Infinity)])).toThrow(RangeError);
  });

  it("accepts -0 as a zero weight", () => {
    expect(allocateFen(3n, d("-0", 1))).toEqual([0n, 3n]);
  });

  // Weights as they occur in practice: shares or mu with up to 4 decimals.
  const weightArb = fc
    .integer({ min: 0, max: 10_000_000 })
    .map((n) => new Decimal(n).dividedBy(10_000));
  const caseArb = fc
    .array(weightArb, { minLength: 1, maxLength: 40 })
    .filter((ws) => ws.some((w) => w.greaterThan(0)));
  const totalArb = fc.bigInt({ min: 0n, max: 10n ** 12n });

  it("property: parts sum exactly to the total and are never negative", () => {
    fc.assert(
      fc.property(totalArb, caseArb, (total, ws) => {
        const parts = allocateFen(total, ws);
        expect(parts).toHaveLength(ws.length);
        expect(sum(parts)).toBe(total);
        for (const p of parts) expect(p >= 0n).toBe(true);
      }),
    );
  });

  it("property: each part is within 1 fen of its exact quota, zero weights get 0", () => {
    fc.assert(
      fc.property(totalArb, caseArb, (total, ws) => {
        const parts = allocateFen(total, ws);
        const s = ws.reduce((a, b) => a.plus(b), new Decimal(0));
        parts.forEach((p, i) => {
          const quota = new Decimal(total.toString()).times(ws[i]!).dividedBy(s);
          expect(quota.floor().lessThanOrEqualTo(p.toString())).toBe(true);
          expect(quota.floor().plus(1).greaterThanOrEqualTo(p.toString())).toBe(true);
          if (ws[i]!.isZero()) expect(p).toBe(0n);
        });
      }),
    );
  });

  it("property: equal weights receive amounts differing by at most 1 fen", () => {
    fc.assert(
      fc.property(totalArb, weightArb.filter((w) => w.greaterThan(0)), fc.integer({ min: 1, max: 50 }), (total, w, n) => {
        const parts = allocateFen(total, Array.from({ length: n }, () => w));
        const min = parts.reduce((a, b) => (b < a ? b : a));
        const max = parts.reduce((a, b) => (b > a ? b : a));
        expect(max - min <= 1n).toBe(true);
        expect(sum(parts)).toBe(total);
      }),
    );
  });

  it("property: a larger weight never receives less", () => {
    fc.assert(
      fc.property(totalArb, caseArb, (total, ws) => {
        const parts = allocateFen(total, ws);
        for (let i = 0; i < ws.length; i++) {
          for (let j = 0; j < ws.length; j++) {
            if (ws[i]!.greaterThan(ws[j]!)) expect(parts[i]! >= parts[j]!).toBe(true);
          }
        }
      }),
    );
  });

  it("property: deterministic, and keyed results do not depend on row order", () => {
    fc.assert(
      fc.property(
        totalArb,
        caseArb.chain((ws) =>
          fc.tuple(
            fc.constant(ws),
            fc.uniqueArray(fc.string({ maxLength: 6 }), { minLength: ws.length, maxLength: ws.length }),
            fc.shuffledSubarray(
              ws.map((_, i) => i),
              { minLength: ws.length, maxLength: ws.length },
            ),
          ),
        ),
        (total, [ws, keys, perm]) => {
          expect(allocateFen(total, ws, keys)).toEqual(allocateFen(total, ws, keys));
          expect(allocateFen(total, ws)).toEqual(allocateFen(total, ws));
          const base = allocateFen(total, ws, keys);
          const permuted = allocateFen(
            total,
            perm.map((i) => ws[i]!),
            perm.map((i) => keys[i]!),
          );
          perm.forEach((from, to) => expect(permuted[to]).toBe(base[from]));
        },
      ),
    );
  });
});
