import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dayNumber } from "~/lib/dates";
import { accruedPenaltyFen, overdueFenDays, standingPayments, type PenaltyPayment } from "./penalty";

const DUE = "2025-12-31";

describe("accruedPenaltyFen: the issue's example", () => {
  const base = { dueDate: DUE, amountFen: 288000n, perTenThousand: "5", asOf: "2026-12-03" };

  it("accrues 485.28 on 2,880.00 left unpaid for 337 days", () => {
    expect(accruedPenaltyFen({ ...base, payments: [] })).toBe(48528n);
  });

  it("a late part payment stops accrual on what it pays, and never lowers what had accrued", () => {
    // 2,880 × 324 days (to 2026-11-20) + 1,380 × 13 days, × 5/10,000 = 475.53 (was 232.53 before the fix).
    const paid = accruedPenaltyFen({ ...base, payments: [{ id: 1, paidOn: "2026-11-20", amountFen: 150000n }] });
    expect(paid).toBe(47553n);
    // The penalty accrued up to the payment's day is the same with or without it.
    expect(accruedPenaltyFen({ ...base, asOf: "2026-11-20", payments: [{ id: 1, paidOn: "2026-11-20", amountFen: 150000n }] })).toBe(
      accruedPenaltyFen({ ...base, asOf: "2026-11-20", payments: [] }),
    );
  });

  it("paying in full late leaves the penalty of the days it was late (was 0 before the fix)", () => {
    expect(accruedPenaltyFen({ ...base, payments: [{ id: 1, paidOn: "2026-11-20", amountFen: 288000n }] })).toBe(46656n);
  });

  it("paying on the due date is on time; the next day is one day late", () => {
    expect(accruedPenaltyFen({ ...base, payments: [{ paidOn: DUE, amountFen: 288000n }] })).toBe(0n);
    expect(accruedPenaltyFen({ ...base, payments: [{ paidOn: "2026-01-01", amountFen: 288000n }] })).toBe(144n); // 1.44
    expect(accruedPenaltyFen({ ...base, payments: [{ paidOn: "2025-06-01", amountFen: 288000n }] })).toBe(0n);
  });

  it("a reversal restores the accrual as if the payment had not been made", () => {
    const payments = [
      { id: 1, paidOn: "2026-02-01", amountFen: 288000n },
      { id: 2, paidOn: "2026-03-01", amountFen: -288000n, reversesId: 1 },
    ];
    expect(accruedPenaltyFen({ ...base, payments })).toBe(48528n);
  });

  it("rounds the exact fen-days once, half up", () => {
    expect(accruedPenaltyFen({ dueDate: DUE, amountFen: 1000n, perTenThousand: "5", asOf: "2026-01-01", payments: [] })).toBe(1n); // 0.5 fen
    expect(accruedPenaltyFen({ dueDate: DUE, amountFen: 999n, perTenThousand: "5", asOf: "2026-01-01", payments: [] })).toBe(0n); // 0.4995
    expect(accruedPenaltyFen({ dueDate: DUE, amountFen: 1224000n, perTenThousand: "0.5", asOf: "2026-01-03", payments: [] })).toBe(184n); // 1.836
    expect(accruedPenaltyFen({ dueDate: DUE, amountFen: 288000n, perTenThousand: "0", asOf: "2026-12-03", payments: [] })).toBe(0n);
  });

  it("refuses a malformed rate, amount or date", () => {
    expect(() => accruedPenaltyFen({ ...base, perTenThousand: "-5", payments: [] })).toThrow(RangeError);
    expect(() => accruedPenaltyFen({ ...base, amountFen: -1n, payments: [] })).toThrow(RangeError);
    expect(() => accruedPenaltyFen({ ...base, asOf: "2026-02-30", payments: [] })).toThrow(RangeError);
  });
});

// ─── Properties over random payment histories ──────────────────────────────

const day0 = dayNumber(DUE);
/** An offset in days from the due date (before it, within, and far after). */
const offset = fc.integer({ min: -60, max: 900 });
const dateAt = (o: number) => addDays(DUE, o);

const amountArb = fc.bigInt({ min: 1n, max: 5_000_000n });
const rateArb = fc.constantFrom("5", "0.5", "3", "10", "2.25", "100");
/** Positive payments as (offset, fraction of the amount in thousandths). */
const paymentsArb = fc.array(fc.record({ at: offset, part: fc.integer({ min: 1, max: 1200 }) }), { maxLength: 8 });

function build(amount: bigint, ps: { at: number; part: number }[]): PenaltyPayment[] {
  return ps.map((p, i) => ({ id: i + 1, paidOn: dateAt(p.at), amountFen: (amount * BigInt(p.part)) / 1000n || 1n }));
}

/** The rule written out day by day, as the oracle. */
function dayByDay(amount: bigint, rate: string, payments: PenaltyPayment[], asOf: string): bigint {
  const standing = standingPayments(payments);
  let fenDays = 0n;
  for (let d = day0 + 1; d <= dayNumber(asOf); d++) {
    let paid = 0n;
    for (const p of standing) if (dayNumber(p.paidOn) < d) paid += p.amountFen;
    const unpaid = amount - paid;
    fenDays += unpaid < 0n ? 0n : unpaid > amount ? amount : unpaid;
  }
  const [i, f = ""] = rate.split(".");
  const num = BigInt(i! + f);
  const den = 10000n * 10n ** BigInt(f.length);
  return (2n * fenDays * num + den) / (2n * den);
}

describe("accruedPenaltyFen: invariants", () => {
  it("equals the day-by-day sum of the unpaid amount", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, fc.integer({ min: -10, max: 400 }), (amount, rate, ps, asOfAt) => {
        const payments = build(amount, ps);
        const asOf = dateAt(asOfAt);
        expect(accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments, asOf })).toBe(dayByDay(amount, rate, payments, asOf));
      }),
      { numRuns: 150 },
    );
  });

  it("paying later never gives a smaller penalty, paying earlier never a larger one", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, fc.nat(), fc.integer({ min: 0, max: 500 }), offset, (amount, rate, ps, which, delay, asOfAt) => {
        fc.pre(ps.length > 0);
        const payments = build(amount, ps);
        const k = which % payments.length;
        const later = payments.map((p, i) => (i === k ? { ...p, paidOn: addDays(p.paidOn, delay) } : p));
        const asOf = dateAt(asOfAt);
        const at = (list: PenaltyPayment[]) => accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments: list, asOf });
        expect(at(later)).toBeGreaterThanOrEqual(at(payments));
      }),
      { numRuns: 300 },
    );
  });

  it("never decreases as the as-of date advances", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, offset, fc.integer({ min: 0, max: 400 }), (amount, rate, ps, asOfAt, step) => {
        const payments = build(amount, ps);
        const at = (o: number) => accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments, asOf: dateAt(o) });
        expect(at(asOfAt + step)).toBeGreaterThanOrEqual(at(asOfAt));
      }),
      { numRuns: 300 },
    );
  });

  it("does not depend on the order in which payments were recorded", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, offset, fc.infiniteStream(fc.nat()), (amount, rate, ps, asOfAt, rnd) => {
        const payments = build(amount, ps);
        const shuffled = payments
          .map((p) => ({ p, k: rnd.next().value as number }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.p);
        const at = (list: PenaltyPayment[]) => accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments: list, asOf: dateAt(asOfAt) });
        expect(at(shuffled)).toBe(at(payments));
        expect(at([...payments].reverse())).toBe(at(payments));
      }),
      { numRuns: 200 },
    );
  });

  it("a reversal, dated whenever, restores the accrual as if the payment had not been made", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, fc.nat(), offset, offset, (amount, rate, ps, which, reversedAt, asOfAt) => {
        fc.pre(ps.length > 0);
        const payments = build(amount, ps);
        const k = which % payments.length;
        const victim = payments[k]!;
        const reversal: PenaltyPayment = { id: 1000, paidOn: dateAt(reversedAt), amountFen: -victim.amountFen, reversesId: victim.id };
        const at = (list: PenaltyPayment[]) => accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments: list, asOf: dateAt(asOfAt) });
        expect(at([reversal, ...payments])).toBe(at(payments.filter((_, i) => i !== k)));
      }),
      { numRuns: 200 },
    );
  });

  it("a payment never removes what had accrued up to its date", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, fc.integer({ min: -10, max: 700 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 1000 }), (amount, rate, ps, payAt, back, part) => {
        const payments = build(amount, ps);
        const extra: PenaltyPayment = { id: 999, paidOn: dateAt(payAt), amountFen: (amount * BigInt(part)) / 1000n || 1n };
        const asOf = dateAt(payAt - back); // on or before the new payment's day
        const at = (list: PenaltyPayment[]) => accruedPenaltyFen({ dueDate: DUE, amountFen: amount, perTenThousand: rate, payments: list, asOf });
        expect(at([...payments, extra])).toBe(at(payments));
      }),
      { numRuns: 200 },
    );
  });

  it("lies between nothing paid and everything paid on the due date", () => {
    fc.assert(
      fc.property(amountArb, rateArb, paymentsArb, offset, (amount, rate, ps, asOfAt) => {
        const payments = build(amount, ps);
        const asOf = dateAt(asOfAt);
        const fenDays = overdueFenDays({ dueDate: DUE, amountFen: amount, payments, asOf });
        expect(fenDays).toBeGreaterThanOrEqual(0n);
        expect(fenDays).toBeLessThanOrEqual(amount * BigInt(Math.max(0, asOfAt)));
      }),
      { numRuns: 150 },
    );
  });
});
