import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeRun } from "./compute";
import { parseDeduction, withDeduction } from "./deduction";

describe("a deduction on a draft's line", () => {
  it("takes an amount up to the gross with a reason; empty or 0 clears it", () => {
    expect(parseDeduction({ amount: "120.50", note: " 代扣代缴医保 " }, 4_800_000n)).toEqual({ ok: true, fen: 12_050n, note: "代扣代缴医保" });
    expect(parseDeduction({ amount: "48000", note: "代扣" }, 4_800_000n)).toEqual({ ok: true, fen: 4_800_000n, note: "代扣" });
    expect(parseDeduction({ amount: "", note: "x" }, 100n)).toEqual({ ok: true, fen: 0n, note: "" });
    expect(parseDeduction({ amount: "0", note: "" }, 100n)).toEqual({ ok: true, fen: 0n, note: "" });
  });

  it("refuses more than the gross, no reason, a long reason, a sign and amounts above the bound, next to the field", () => {
    expect(parseDeduction({ amount: "48000.01", note: "代扣" }, 4_800_000n)).toEqual({ ok: false, errors: { deduction: { key: "dividend.deductionTooLarge", params: { gross: "48,000.00" } } } });
    expect(parseDeduction({ amount: "10", note: "  " }, 4_800_000n)).toEqual({ ok: false, errors: { deductionNote: { key: "dividend.deductionNoteRequired" } } });
    expect(parseDeduction({ amount: "10", note: "扣".repeat(41) }, 4_800_000n)).toMatchObject({ ok: false, errors: { deductionNote: { key: "dividend.deductionNoteTooLong" } } });
    expect(parseDeduction({ amount: "-1", note: "代扣" }, 4_800_000n)).toMatchObject({ ok: false, errors: { deduction: { key: "money.negative" } } });
    expect(parseDeduction({ amount: "1000000001", note: "代扣" }, 4_800_000n)).toMatchObject({ ok: false, errors: { deduction: { key: "money.tooLarge" } } });
    expect(() => withDeduction(100n, 101n)).toThrow("dividend.deductionTooLarge");
  });

  it("keeps the run adding up to the fen: Σ net + Σ deductions = Σ gross = distributed, and no net below zero (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ area: fc.integer({ min: 1, max: 4000 }), days: fc.integer({ min: 1, max: 365 }), deduction: fc.bigInt({ min: 0n, max: 5_000_000n }) }), { minLength: 1, maxLength: 40 }),
        fc.bigInt({ min: 1_000_000n, max: 900_000_000n }),
        (members, incomeFen) => {
          const run = computeRun({
            method: "LAND_SHARE",
            incomeFen,
            costFen: 0n,
            providentPercent: "10",
            riskPercent: "5",
            guaranteePerShare: "100",
            members: members.map((m, i) => {
              const shares = (m.area / 100).toFixed(2);
              return { householdId: i + 1, shares, areaMu: shares, weight: ((m.area / 100) * m.days / 365).toFixed(6), deductionFen: m.deduction, key: `k${i}` };
            }),
          });
          const gross = run.lines.reduce((s, l) => s + l.grossFen, 0n);
          expect(run.netTotalFen + run.deductionTotalFen).toBe(gross);
          expect(gross).toBe(run.distributedFen);
          for (const l of run.lines) {
            expect(l.netFen).toBeGreaterThanOrEqual(0n);
            expect(l.netFen + l.deductionFen).toBe(l.grossFen);
            // A deduction taken on the page afterwards (withDeduction) keeps the same sums.
            const after = withDeduction(l.grossFen, l.deductionFen);
            expect(after.netFen).toBe(l.netFen);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
