import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actualRatePerMu, scheduleTotals, seqInYear } from "./schedule-view";
import { generateSchedule } from "./schedule";

describe("schedule view", () => {
  it("shows the actual rate of a step-up year, never the formula", () => {
    expect(actualRatePerMu("CASH 1000.00 +5%×2")!.toFixed(2)).toBe("1102.50");
    expect(actualRatePerMu("CASH 800.00")!.toFixed(2)).toBe("800.00");
    expect(actualRatePerMu("IN_KIND WHEAT 950 jin × 1.18 @2027 +5%×1")!.toFixed(2)).toBe("1177.05");
    expect(actualRatePerMu("IN_KIND CORN 1100 jin × ? @2029")).toBeNull();
  });
  it("agrees with the schedule's own amounts for whole years", () => {
    const s = generateSchedule({ startDate: "2025-01-01", endDate: "2034-12-31", rent: { kind: "CASH", yuanPerMu: "1000" }, step: { percent: "5", everyYears: 2 }, payment: { timing: "YEARLY", monthDay: "12-31" }, parties: [{ householdId: 1, areaMu: "1.00" }] });
    for (const i of s.installments) expect(actualRatePerMu(i.rateNote)!.times(100).toFixed(0)).toBe(String(i.amountFen));
    expect(s.installments.map((i) => actualRatePerMu(i.rateNote)!.toFixed(2))).toContain("1102.50");
  });
  it("totals by household, by year and overall, leaving out cancelled installments", () => {
    const t = scheduleTotals(
      [
        { householdId: 2, dueDate: "2025-12-31", amountFen: 100n, cancelled: false },
        { householdId: 1, dueDate: "2025-12-31", amountFen: 50n, cancelled: false },
        { householdId: 1, dueDate: "2026-06-30", amountFen: 70n, cancelled: false },
        { householdId: 1, dueDate: "2026-12-31", amountFen: 30n, cancelled: false },
        { householdId: 2, dueDate: "2026-12-31", amountFen: 999n, cancelled: true },
      ],
      [1, 2],
    );
    expect(t.households).toEqual([1, 2]);
    expect(t.years).toEqual([2025, 2026]);
    expect(t.cell.get("2026:1")).toBe(100n);
    expect(t.byHousehold.get(2)).toBe(100n);
    expect(t.byYear.get(2026)).toBe(100n);
    expect(t.grandFen).toBe(250n);
  });
  it("per-household totals, per-year totals and the cells all add up to the grand total", () => {
    const inst = fc.record({ householdId: fc.integer({ min: 1, max: 5 }), dueDate: fc.constantFrom("2025-03-31", "2025-12-31", "2026-12-31", "2030-01-01"), amountFen: fc.option(fc.bigInt({ min: 0n, max: 10_000_000n })), cancelled: fc.boolean() });
    fc.assert(
      fc.property(fc.array(inst, { maxLength: 40 }), (list) => {
        const t = scheduleTotals(list);
        const sum = (m: Map<unknown, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
        expect(sum(t.byHousehold)).toBe(t.grandFen);
        expect(sum(t.byYear)).toBe(t.grandFen);
        expect(sum(t.cell)).toBe(t.grandFen);
        expect(t.grandFen).toBe(list.filter((i) => !i.cancelled && i.amountFen !== null).reduce((a, i) => a + i.amountFen!, 0n));
      }),
    );
  });
  it("numbers installments within their household's year", () => {
    const list = [
      { id: 1, householdId: 1, dueDate: "2026-06-30", amountFen: 1n, cancelled: false },
      { id: 2, householdId: 1, dueDate: "2026-12-31", amountFen: 1n, cancelled: false },
      { id: 3, householdId: 2, dueDate: "2026-03-31", amountFen: 1n, cancelled: false },
    ];
    expect(seqInYear(list, 2)).toEqual({ year: 2026, n: 2 });
    expect(seqInYear(list, 3)).toEqual({ year: 2026, n: 1 });
  });
});
