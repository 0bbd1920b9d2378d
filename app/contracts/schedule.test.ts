import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allocateFen } from "~/lib/allocate";
import { Decimal } from "~/lib/money";
import {
  addYears,
  agingBucket,
  annualRentFen,
  daysBetween,
  generateSchedule,
  latePenaltyFen,
  parseRateNote,
  type PaymentTiming,
  type ScheduleInput,
} from "./schedule";

const cash = (yuanPerMu: string) => ({ kind: "CASH" as const, yuanPerMu });
const one = (areaMu: string, householdId = 1) => [{ householdId, areaMu }];
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

function input(over: Partial<ScheduleInput>): ScheduleInput {
  return {
    startDate: "2026-01-01",
    endDate: "2030-12-31",
    rent: cash("800"),
    payment: { timing: "ADVANCE" },
    parties: one("10"),
    ...over,
  };
}

describe("date helpers", () => {
  it("addYears keeps the day and maps Feb 29 to Feb 28 in common years", () => {
    expect(addYears("2026-04-01", 1)).toBe("2027-04-01");
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(addYears("2024-02-29", -4)).toBe("2020-02-29");
    expect(addYears("2096-02-29", 4)).toBe("2100-02-28"); // 2100 is not a leap year
  });

  it("daysBetween counts b − a in calendar days", () => {
    expect(daysBetween("2026-01-01", "2026-01-31")).toBe(30);
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2025-01-01", "2026-01-01")).toBe(365);
    expect(daysBetween("2000-02-28", "2000-03-01")).toBe(2);
    expect(daysBetween("2100-02-28", "2100-03-01")).toBe(1);
    expect(daysBetween("2026-03-01", "2026-02-01")).toBe(-28);
  });

  it("rejects impossible dates", () => {
    expect(() => addYears("2026-02-30", 1)).toThrow(RangeError);
    expect(() => daysBetween("2026-1-1", "2026-01-02")).toThrow(/schedule.badDate/);
  });
});

describe("generateSchedule: cash rent", () => {
  it("ADVANCE: one full contract year per period, due on its first day", () => {
    const r = generateSchedule(input({}));
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.fraction, p.totalFen])).toEqual([
      ["2026-01-01", "2026-12-31", "2026-01-01", "1", 800000n],
      ["2027-01-01", "2027-12-31", "2027-01-01", "1", 800000n],
      ["2028-01-01", "2028-12-31", "2028-01-01", "1", 800000n],
      ["2029-01-01", "2029-12-31", "2029-01-01", "1", 800000n],
      ["2030-01-01", "2030-12-31", "2030-01-01", "1", 800000n],
    ]);
    expect(r.totalFen).toBe(4000000n);
    expect(r.missingPriceYears).toEqual([]);
    expect(r.installments[0]).toEqual({
      householdId: 1,
      seq: 1,
      periodStart: "2026-01-01",
      periodEnd: "2026-12-31",
      dueDate: "2026-01-01",
      areaMu: "10.00",
      yearlyRateYuanPerMu: "800.00",
      rateNote: "CASH 800.00",
      amountFen: 800000n,
    });
  });

  it("YEARLY 12-31 from 2026-04-01: the first rent year is prorated 275/365", () => {
    const r = generateSchedule(
      input({ startDate: "2026-04-01", endDate: "2029-03-31", payment: { timing: "YEARLY", monthDay: "12-31" } }),
    );
    const first = r.periods[0]!;
    expect(first).toEqual({
      periodStart: "2026-04-01",
      periodEnd: "2026-12-31",
      dueDate: "2026-12-31",
      // 10 mu × 800 × 275/365 = 6,027.397… → 6,027.40
      totalFen: 602740n,
      fraction: "275/365",
    });
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.fraction])).toEqual([
      ["2026-04-01", "2026-12-31", "2026-12-31", "275/365"],
      ["2027-01-01", "2027-12-31", "2027-12-31", "1"],
      ["2028-01-01", "2028-12-31", "2028-12-31", "1"],
      // the last rent year is cut at the end date and due then; 2029 has 365 days
      ["2029-01-01", "2029-03-31", "2029-03-31", "90/365"],
    ]);
    // 8000 × 90/365 = 1,972.602… → 1,972.60
    expect(r.periods[3]!.totalFen).toBe(197260n);
    expect(r.totalFen).toBe(602740n + 800000n + 800000n + 197260n);
  });

  it("YEARLY: a start the day after the month-day gives full years", () => {
    const r = generateSchedule(
      input({ startDate: "2026-07-01", endDate: "2028-06-30", payment: { timing: "YEARLY", monthDay: "06-30" } }),
    );
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.fraction])).toEqual([
      ["2026-07-01", "2027-06-30", "1"],
      ["2027-07-01", "2028-06-30", "1"],
    ]);
  });
});

describe("generateSchedule: rent in kind", () => {
  const wheat = (prices: Record<number, string>) => ({
    kind: "IN_KIND" as const,
    crop: "WHEAT" as const,
    jinPerMu: "950",
    prices,
  });

  it("converts jin per mu at the price of the due date's year", () => {
    const r = generateSchedule(
      input({
        startDate: "2026-07-01",
        endDate: "2028-06-30",
        rent: wheat({ 2027: "1.18", 2028: "1.20" }),
        payment: { timing: "YEARLY", monthDay: "06-30" },
        parties: one("5"),
      }),
    );
    expect(r.installments.map((i) => [i.dueDate, i.yearlyRateYuanPerMu, i.rateNote, i.amountFen])).toEqual([
      // 950 × 1.18 = 1,121.00 per mu × 5 mu
      ["2027-06-30", "1121.00", "IN_KIND WHEAT 950 jin × 1.18 @2027", 560500n],
      ["2028-06-30", "1140.00", "IN_KIND WHEAT 950 jin × 1.2 @2028", 570000n],
    ]);
    expect(r.totalFen).toBe(1130500n);
    expect(r.missingPriceYears).toEqual([]);
  });

  it("a missing year's price gives null amounts and is reported", () => {
    const r = generateSchedule(
      input({
        startDate: "2026-07-01",
        endDate: "2029-06-30",
        rent: wheat({ 2027: "1.18" }),
        payment: { timing: "YEARLY", monthDay: "06-30" },
        parties: [
          { householdId: 7, areaMu: "2.5" },
          { householdId: 8, areaMu: "2.5" },
        ],
      }),
    );
    expect(r.missingPriceYears).toEqual([2028, 2029]);
    expect(r.totalFen).toBeNull();
    expect(r.periods.map((p) => p.totalFen)).toEqual([560500n, null, null]);
    const y2028 = r.installments.filter((i) => i.seq === 2);
    expect(y2028).toHaveLength(2);
    for (const i of y2028) {
      expect(i.amountFen).toBeNull();
      expect(i.yearlyRateYuanPerMu).toBeNull();
      expect(i.rateNote).toBe("IN_KIND WHEAT 950 jin × ? @2028");
    }
    expect(parseRateNote("IN_KIND WHEAT 950 jin × ? @2028")).toMatchObject({ price: null, priceYear: 2028 });
  });

  it("rounds jin × price to the fen per mu", () => {
    const r = generateSchedule(
      input({
        startDate: "2026-01-01",
        endDate: "2026-12-31",
        rent: { kind: "IN_KIND", crop: "CORN", jinPerMu: "1100", prices: { 2026: "1.1235" } },
        parties: one("1"),
      }),
    );
    // 1100 × 1.1235 = 1,235.85
    expect(r.installments[0]!.yearlyRateYuanPerMu).toBe("1235.85");
    expect(r.totalFen).toBe(123585n);
  });
});

describe("generateSchedule: step-ups", () => {
  it("+5% every 3 years, compounding, rate rounded half-up to the fen", () => {
    const r = generateSchedule(
      input({ endDate: "2038-12-31", step: { percent: "5", everyYears: 3 }, parties: one("1") }),
    );
    expect(r.installments.map((i) => i.yearlyRateYuanPerMu)).toEqual([
      "800.00", "800.00", "800.00",
      "840.00", "840.00", "840.00",
      "882.00", "882.00", "882.00",
      "926.10", "926.10", "926.10",
      "972.41", // 800 × 1.05^4 = 972.405 → 972.41
    ]);
    expect(r.installments[3]!.rateNote).toBe("CASH 800.00 +5%×1");
    expect(r.installments[12]!.rateNote).toBe("CASH 800.00 +5%×4");
    expect(r.installments[12]!.amountFen).toBe(97241n);
    expect(parseRateNote("CASH 800.00 +5%×4")).toEqual({
      kind: "CASH",
      baseYuanPerMu: "800.00",
      stepPercent: "5",
      steps: 4,
    });
  });

  it("uses the contract year in which the period starts (YEARLY rent years)", () => {
    const r = generateSchedule(
      input({
        startDate: "2026-04-01",
        endDate: "2029-03-31",
        step: { percent: "10", everyYears: 1 },
        payment: { timing: "YEARLY", monthDay: "12-31" },
      }),
    );
    // 2027-01-01 still lies in contract year 0 (2026-04-01..2027-03-31)
    expect(r.installments.map((i) => [i.periodStart, i.yearlyRateYuanPerMu])).toEqual([
      ["2026-04-01", "800.00"],
      ["2027-01-01", "800.00"],
      ["2028-01-01", "880.00"],
      ["2029-01-01", "968.00"],
    ]);
  });

  it("a zero step is no step", () => {
    const r = generateSchedule(input({ step: { percent: "0", everyYears: 3 } }));
    expect(new Set(r.installments.map((i) => i.rateNote))).toEqual(new Set(["CASH 800.00"]));
  });
});

describe("generateSchedule: several households", () => {
  it("splits each period by area and adds up to the contract total exactly", () => {
    const parties = [
      { householdId: 11, areaMu: "3.25" },
      { householdId: 12, areaMu: "4.1" },
      { householdId: 13, areaMu: "2.67" },
    ];
    const r = generateSchedule(
      input({ startDate: "2026-04-01", endDate: "2036-03-31", parties, payment: { timing: "YEARLY", monthDay: "12-31" } }),
    );
    // 10.02 mu × 800 × 275/365 = 6,039.45…
    expect(r.periods[0]!.totalFen).toBe(603945n);
    const first = r.installments.filter((i) => i.seq === 1);
    expect(first.map((i) => [i.householdId, i.areaMu, i.amountFen])).toEqual([
      [11, "3.25", 195890n],
      [12, "4.10", 247123n],
      [13, "2.67", 160932n],
    ]);
    for (const p of r.periods) {
      const seq = r.periods.indexOf(p) + 1;
      expect(sum(r.installments.filter((i) => i.seq === seq).map((i) => i.amountFen!))).toBe(p.totalFen);
    }
    expect(sum(r.installments.map((i) => i.amountFen!))).toBe(r.totalFen);
    // every household has its own seq 1..n
    for (const h of [11, 12, 13]) {
      expect(r.installments.filter((i) => i.householdId === h).map((i) => i.seq)).toEqual(
        r.periods.map((_, k) => k + 1),
      );
    }
  });

  it("the split does not depend on the order of the parties", () => {
    const a = [
      { householdId: 5, areaMu: "1" },
      { householdId: 3, areaMu: "1" },
      { householdId: 40, areaMu: "1" },
    ];
    const b = [a[2]!, a[0]!, a[1]!];
    const amounts = (parties: typeof a) => {
      const r = generateSchedule(input({ rent: cash("0.01"), endDate: "2026-12-31", parties }));
      return Object.fromEntries(r.installments.map((i) => [i.householdId, i.amountFen]));
    };
    // 3 mu × 0.01 = 3 fen → 1 each; with 2 fen one household gets nothing: the smallest id wins the tie
    expect(amounts(a)).toEqual(amounts(b));
    const r = generateSchedule(
      input({ rent: cash("0.01"), endDate: "2026-12-31", parties: [{ householdId: 40, areaMu: "1" }, { householdId: 3, areaMu: "1" }, { householdId: 5, areaMu: "0.5" }] }),
    );
    expect(r.periods[0]!.totalFen).toBe(3n); // 2.5 mu × 1 fen → 2.5 → 3
    expect(Object.fromEntries(r.installments.map((i) => [i.householdId, i.amountFen]))).toEqual({ 3: 1n, 40: 1n, 5: 1n });
  });

  it("property: households add up to each period's total, which is area × rate × fraction rounded half-up", () => {
    const timing = fc.oneof(
      fc.constant<PaymentTiming>({ timing: "ADVANCE" }),
      fc.constant<PaymentTiming>({ timing: "ONCE" }),
      fc.constantFrom<PaymentTiming>(
        { timing: "YEARLY", monthDay: "12-31" },
        { timing: "YEARLY", monthDay: "06-30" },
        { timing: "YEARLY", monthDay: "02-29" },
      ),
      fc.constantFrom<PaymentTiming>(
        { timing: "INSTALMENTS", perYear: 2 },
        { timing: "INSTALMENTS", perYear: 3 },
        { timing: "INSTALMENTS", perYear: 4 },
        { timing: "INSTALMENTS", perYear: 12 },
      ),
    );
    const hundredths = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, "0")}`;
    fc.assert(
      fc.property(
        // equal areas now and then, so the tie rules are exercised
        fc.array(fc.oneof(fc.integer({ min: 1, max: 300000 }), fc.constantFrom(100, 250, 333)), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 400000 }),
        fc.integer({ min: 2020, max: 2030 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 6000 }),
        timing,
        fc.option(fc.record({ percent: fc.constantFrom("3", "5", "2.5"), everyYears: fc.integer({ min: 1, max: 5 }) })),
        (areas, rateFen, y, m, d, lengthDays, payment, step) => {
          const startDate = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const endDate = new Date(Date.UTC(y, m - 1, d + lengthDays - 1)).toISOString().slice(0, 10);
          // ids descending, so the tie key order differs from the input order
          const parties = areas.map((a, i) => ({ householdId: 1000 - 7 * i, areaMu: hundredths(a) }));
          const weights = areas.map((a) => new Decimal(hundredths(a)));
          const keys = parties.map((p) => String(p.householdId).padStart(16, "0"));
          const r = generateSchedule({ startDate, endDate, rent: cash(hundredths(rateFen)), step, payment, parties });
          const totalArea = areas.reduce((s, a) => s + a, 0);
          let grand = 0n;
          r.periods.forEach((p, k) => {
            const rows = r.installments.filter((i) => i.seq === k + 1);
            expect(rows).toHaveLength(areas.length);
            expect(sum(rows.map((i) => i.amountFen!))).toBe(p.totalFen);
            // exactly what allocateFen gives, household ids as tie keys
            expect(rows.map((i) => i.amountFen)).toEqual(allocateFen(p.totalFen!, weights, keys));
            // each share is the floor or the ceiling of the exact proportional share
            for (const [h, row] of rows.entries()) {
              const exact = p.totalFen! * BigInt(areas[h]!);
              const lo = exact / BigInt(totalArea);
              expect(row.amountFen! === lo || row.amountFen! === lo + 1n).toBe(true);
            }
            if (payment.timing !== "ONCE") {
              const [num, den = "1"] = p.fraction.split("/");
              const exact = new Decimal(hundredths(totalArea))
                .times(rows[0]!.yearlyRateYuanPerMu!)
                .times(num!)
                .dividedBy(den)
                .times(100);
              const rounded = exact.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
              if (payment.timing === "INSTALMENTS" && num === "1") {
                // full instalments are rounded cumulatively: within 1 fen of the exact share
                expect(exact.minus(p.totalFen!.toString()).abs().lt(1)).toBe(true);
              } else {
                expect(p.totalFen!.toString()).toBe(rounded.toFixed(0));
              }
              expect(new Decimal(num!).dividedBy(den).lte(1)).toBe(true);
            }
            grand += p.totalFen!;
          });
          expect(r.totalFen).toBe(grand);
          // periods tile the term without gaps or overlaps
          expect(r.periods[0]!.periodStart).toBe(startDate);
          expect(r.periods[r.periods.length - 1]!.periodEnd).toBe(endDate);
          for (let k = 1; k < r.periods.length; k++) {
            expect(daysBetween(r.periods[k - 1]!.periodEnd, r.periods[k]!.periodStart)).toBe(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("generateSchedule: early termination", () => {
  it("nothing after the termination day; the period containing it ends on it", () => {
    const r = generateSchedule(input({ endDate: "2035-12-31", terminatedOn: "2028-06-30", parties: one("1") }));
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.fraction, p.totalFen])).toEqual([
      ["2026-01-01", "2026-12-31", "2026-01-01", "1", 80000n],
      ["2027-01-01", "2027-12-31", "2027-01-01", "1", 80000n],
      // 2028 is a leap year: 182 of 366 days; 800 × 182/366 = 397.81
      ["2028-01-01", "2028-06-30", "2028-01-01", "182/366", 39781n],
    ]);
    expect(r.installments).toHaveLength(3);
  });

  it("YEARLY: the cut period falls due on the termination day", () => {
    const r = generateSchedule(
      input({ payment: { timing: "YEARLY", monthDay: "12-31" }, terminatedOn: "2027-03-31" }),
    );
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.fraction])).toEqual([
      ["2026-01-01", "2026-12-31", "2026-12-31", "1"],
      ["2027-01-01", "2027-03-31", "2027-03-31", "90/365"],
    ]);
  });

  it("a termination on or after the end date changes nothing; before the start leaves nothing", () => {
    expect(generateSchedule(input({ terminatedOn: "2031-05-01" }))).toEqual(generateSchedule(input({})));
    expect(generateSchedule(input({ terminatedOn: "2030-12-31" }))).toEqual(generateSchedule(input({})));
    const none = generateSchedule(input({ terminatedOn: "2025-12-31" }));
    expect(none).toEqual({ installments: [], periods: [], totalFen: 0n, missingPriceYears: [] });
  });
});

describe("generateSchedule: leap years", () => {
  it("contract years from Feb 29 run to the day before Feb 28 in common years", () => {
    const r = generateSchedule(input({ startDate: "2024-02-29", endDate: "2028-03-31", parties: one("1") }));
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.fraction])).toEqual([
      ["2024-02-29", "2025-02-27", "1"],
      ["2025-02-28", "2026-02-27", "1"],
      ["2026-02-28", "2027-02-27", "1"],
      ["2027-02-28", "2028-02-28", "1"], // 366 days: contains 2028-02-29's eve
      // rent year 2028-02-29..2029-02-27 has 365 days
      ["2028-02-29", "2028-03-31", "32/365"],
    ]);
    expect(r.periods[4]!.totalFen).toBe(7014n); // 800 × 32/365 = 70.136…
  });

  it("a partial calendar rent year in a leap year is over 366 days", () => {
    const r = generateSchedule(
      input({ startDate: "2028-07-01", endDate: "2029-12-31", payment: { timing: "YEARLY", monthDay: "12-31" }, parties: one("1") }),
    );
    expect(r.periods.map((p) => p.fraction)).toEqual(["184/366", "1"]);
    expect(r.periods[0]!.totalFen).toBe(40219n); // 800 × 184/366 = 402.185…
  });

  it("YEARLY 02-29 ends rent years on Feb 28 in common years", () => {
    const r = generateSchedule(
      input({ startDate: "2027-03-01", endDate: "2029-02-28", payment: { timing: "YEARLY", monthDay: "02-29" } }),
    );
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.fraction])).toEqual([
      ["2027-03-01", "2028-02-29", "1"],
      ["2028-03-01", "2029-02-28", "1"],
    ]);
  });
});

describe("generateSchedule: instalments", () => {
  it("quarterly: four periods of three months a year, 1/4 each, due on each first day", () => {
    const r = generateSchedule(
      input({ endDate: "2027-12-31", payment: { timing: "INSTALMENTS", perYear: 4 }, parties: one("2") }),
    );
    expect(r.periods.map((p) => [p.periodStart, p.periodEnd, p.dueDate, p.fraction, p.totalFen])).toEqual([
      ["2026-01-01", "2026-03-31", "2026-01-01", "1/4", 40000n],
      ["2026-04-01", "2026-06-30", "2026-04-01", "1/4", 40000n],
      ["2026-07-01", "2026-09-30", "2026-07-01", "1/4", 40000n],
      ["2026-10-01", "2026-12-31", "2026-10-01", "1/4", 40000n],
      ["2027-01-01", "2027-03-31", "2027-01-01", "1/4", 40000n],
      ["2027-04-01", "2027-06-30", "2027-04-01", "1/4", 40000n],
      ["2027-07-01", "2027-09-30", "2027-07-01", "1/4", 40000n],
      ["2027-10-01", "2027-12-31", "2027-10-01", "1/4", 40000n],
    ]);
  });

  it("a cut quarter is prorated over the rent year; a cut half-year never exceeds a full one", () => {
    const q = generateSchedule(
      input({ terminatedOn: "2026-05-15", payment: { timing: "INSTALMENTS", perYear: 4 }, parties: one("2") }),
    );
    expect(q.periods.map((p) => [p.periodEnd, p.fraction, p.totalFen])).toEqual([
      ["2026-03-31", "1/4", 40000n],
      ["2026-05-15", "45/365", 19726n], // 1600 × 45/365 = 197.26
    ]);
    const h = generateSchedule(
      input({ startDate: "2026-07-01", endDate: "2026-12-30", payment: { timing: "INSTALMENTS", perYear: 2 } }),
    );
    // 183 of 365 days would be more than half a year's rent
    expect(h.periods.map((p) => [p.periodEnd, p.fraction])).toEqual([["2026-12-30", "1/2"]]);
  });

  it("the full instalments of each contract year add up to its yearly rent exactly", () => {
    for (const perYear of [2, 3, 4, 12] as const) {
      const r = generateSchedule(
        input({ rent: cash("799.99"), parties: one("1.01"), payment: { timing: "INSTALMENTS", perYear } }),
      );
      expect(r.periods).toHaveLength(5 * perYear);
      for (let y = 0; y < 5; y++) {
        const year = r.periods.slice(y * perYear, (y + 1) * perYear);
        // 1.01 mu × 799.99 = 807.9899 → 807.99
        expect(sum(year.map((p) => p.totalFen!))).toBe(80799n);
      }
    }
  });

  it("monthly periods are anchored to the start date (Jan 31 → Feb 28 → Mar 31)", () => {
    const r = generateSchedule(
      input({ startDate: "2026-01-31", endDate: "2027-01-30", payment: { timing: "INSTALMENTS", perYear: 12 } }),
    );
    expect(r.periods.slice(0, 3).map((p) => [p.periodStart, p.periodEnd])).toEqual([
      ["2026-01-31", "2026-02-27"],
      ["2026-02-28", "2026-03-30"],
      ["2026-03-31", "2026-04-29"],
    ]);
    expect(r.periods).toHaveLength(12);
    // 8,000 / 12 = 666.666…: rounded cumulatively so the year adds up to 8,000.00 exactly
    expect(r.periods.slice(0, 3).map((p) => p.totalFen)).toEqual([66667n, 66666n, 66667n]);
    expect(r.totalFen).toBe(800000n);
  });
});

describe("generateSchedule: ONCE", () => {
  it("one installment per household due on the start date, summing stepped contract years", () => {
    const r = generateSchedule(
      input({
        step: { percent: "5", everyYears: 3 },
        payment: { timing: "ONCE" },
        parties: [
          { householdId: 1, areaMu: "1" },
          { householdId: 2, areaMu: "2" },
        ],
      }),
    );
    // per mu: 800 × 3 + 840 × 2 = 4,080; 3 mu → 12,240.00
    expect(r.periods).toEqual([
      { periodStart: "2026-01-01", periodEnd: "2030-12-31", dueDate: "2026-01-01", totalFen: 1224000n, fraction: "5" },
    ]);
    expect(r.installments.map((i) => [i.householdId, i.seq, i.dueDate, i.amountFen, i.yearlyRateYuanPerMu])).toEqual([
      [1, 1, "2026-01-01", 408000n, "800.00"],
      [2, 1, "2026-01-01", 816000n, "800.00"],
    ]);
    expect(r.installments[0]!.rateNote).toBe("CASH 800.00; CASH 800.00 +5%×1");
    expect(r.totalFen).toBe(1224000n);
  });

  it("a partial last contract year is prorated", () => {
    const r = generateSchedule(input({ endDate: "2030-06-30", payment: { timing: "ONCE" }, parties: one("1") }));
    // 4 × 800 + 800 × 181/365 = 3,200 + 396.71
    expect(r.periods[0]!.fraction).toBe("4+181/365");
    expect(r.totalFen).toBe(320000n + 39671n);
  });

  it("in kind, every year's price is needed", () => {
    const r = generateSchedule(
      input({
        endDate: "2028-12-31",
        payment: { timing: "ONCE" },
        rent: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", prices: { 2026: "1.18", 2028: "1.2" } },
      }),
    );
    expect(r.totalFen).toBeNull();
    expect(r.missingPriceYears).toEqual([2027]);
    expect(r.installments[0]!.amountFen).toBeNull();
  });
});

describe("annualRentFen and latePenaltyFen", () => {
  const stepped = input({ endDate: "2035-12-31", step: { percent: "5", everyYears: 3 } });

  it("is the whole contract's yearly rent in force at the date", () => {
    expect(annualRentFen(stepped, "2026-05-01")).toBe(800000n);
    expect(annualRentFen(stepped, "2028-12-31")).toBe(800000n);
    expect(annualRentFen(stepped, "2029-01-01")).toBe(840000n);
    expect(annualRentFen(stepped, "2020-01-01")).toBe(800000n); // before the start: first year
    expect(annualRentFen(stepped, "2040-01-01")).toBe(926100n); // after the end: last year
    const inKind = input({ rent: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", prices: { 2026: "1.18" } } });
    expect(annualRentFen(inKind, "2026-03-01")).toBe(1121000n);
    expect(annualRentFen(inKind, "2027-03-01")).toBeNull();
  });

  it("penalty = annual rent × N/10,000 per day, rounded half-up to the fen", () => {
    expect(latePenaltyFen(1224000n, "5", 10)).toBe(6120n); // 12,240 × 0.0005 × 10 = 61.20
    expect(latePenaltyFen(1224000n, "0.5", 3)).toBe(184n); // 1.836 → 1.84
    expect(latePenaltyFen(1000n, "5", 1)).toBe(1n); // 0.5 fen → 1 fen
    expect(latePenaltyFen(999n, "5", 1)).toBe(0n); // 0.4995 fen → 0
    expect(latePenaltyFen(1224000n, "5", 0)).toBe(0n);
    expect(latePenaltyFen(1224000n, "5", -3)).toBe(0n);
    expect(() => latePenaltyFen(-1n, "5", 1)).toThrow(RangeError);
    expect(() => latePenaltyFen(1n, "-5", 1)).toThrow(RangeError);
  });
});

describe("agingBucket", () => {
  const due = "2026-06-30";
  it.each([
    ["2026-06-29", "NOT_DUE"],
    ["2026-06-30", "DUE"], // 0 days
    ["2026-07-01", "D1_30"], // 1
    ["2026-07-30", "D1_30"], // 30
    ["2026-07-31", "D31_90"], // 31
    ["2026-09-28", "D31_90"], // 90
    ["2026-09-29", "D90_PLUS"], // 91
    ["2027-06-30", "D90_PLUS"],
  ])("today %s → %s", (today, bucket) => {
    expect(agingBucket(due, 100n, today)).toBe(bucket);
  });

  it("boundary dates are the day counts they claim", () => {
    expect(daysBetween(due, "2026-07-30")).toBe(30);
    expect(daysBetween(due, "2026-09-28")).toBe(90);
  });

  it("nothing outstanding is PAID, whatever the date", () => {
    expect(agingBucket(due, 0n, "2027-01-01")).toBe("PAID");
    expect(agingBucket(due, -5n, "2026-01-01")).toBe("PAID");
  });
});

describe("validation", () => {
  it.each<[string, Partial<ScheduleInput>, RegExp]>([
    ["end before start", { endDate: "2025-12-31" }, /schedule.endBeforeStart/],
    ["bad date", { startDate: "2026-02-30" }, /schedule.badDate/],
    ["bad date format", { endDate: "2026/12/31" }, /schedule.badDate/],
    ["negative rate", { rent: cash("-800") }, /schedule.badRate/],
    ["exponent rate", { rent: cash("8e2") }, /schedule.badRate/],
    ["rate below the fen", { rent: cash("800.001") }, /schedule.badRate/],
    ["zero area", { parties: one("0") }, /schedule.zeroArea/],
    ["area with 3 decimals", { parties: one("1.234") }, /schedule.badArea/],
    ["no parties", { parties: [] }, /schedule.noParties/],
    ["duplicate household", { parties: [...one("1", 4), ...one("2", 4)] }, /schedule.duplicateHousehold/],
    ["bad month-day", { payment: { timing: "YEARLY", monthDay: "13-01" } }, /schedule.badMonthDay/],
    ["bad month-day 04-31", { payment: { timing: "YEARLY", monthDay: "04-31" } }, /schedule.badMonthDay/],
    ["bad instalments", { payment: { timing: "INSTALMENTS", perYear: 5 as 4 } }, /schedule.badPerYear/],
    ["bad step", { step: { percent: "5", everyYears: 0 } }, /schedule.badStep/],
    ["negative step", { step: { percent: "-5", everyYears: 3 } }, /schedule.badStep/],
    ["bad price", { rent: { kind: "IN_KIND", crop: "WHEAT", jinPerMu: "950", prices: { 2026: "abc" } } }, /schedule.badPrice/],
    ["bad termination date", { terminatedOn: "2026-13-01" }, /schedule.badDate/],
  ])("%s", (_, over, code) => {
    expect(() => generateSchedule(input(over))).toThrow(RangeError);
    expect(() => generateSchedule(input(over))).toThrow(code);
  });

  it("accepts a zero rent and a one-day term", () => {
    const r = generateSchedule(input({ rent: cash("0"), endDate: "2026-01-01" }));
    expect(r.periods).toEqual([
      { periodStart: "2026-01-01", periodEnd: "2026-01-01", dueDate: "2026-01-01", totalFen: 0n, fraction: "1/365" },
    ]);
  });
});

describe("performance", () => {
  it("10,000 contracts of ~3 households over 10–15 years in well under 2 s", () => {
    // CPU time, not wall time: the test machines are shared and the other
    // test files run in parallel, which stretches the wall clock, not the work.
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let rows = 0;
    for (let i = 0; i < 10000; i++) {
      const years = 10 + (i % 6);
      const y = 2020 + (i % 7);
      const md = `0${1 + (i % 9)}-15`;
      const r = generateSchedule({
        startDate: `${y}-${md}`,
        endDate: addYears(`${y}-${md}`, years),
        rent: cash(`${600 + (i % 700)}.50`),
        step: i % 2 ? { percent: "5", everyYears: 3 } : null,
        payment: i % 3 ? { timing: "YEARLY", monthDay: "12-31" } : { timing: "ADVANCE" },
        parties: [
          { householdId: i * 3, areaMu: "3.25" },
          { householdId: i * 3 + 1, areaMu: `${1 + (i % 13)}.4` },
          { householdId: i * 3 + 2, areaMu: "2.67" },
        ],
      });
      rows += r.installments.length;
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(`schedule bench: 10,000 contracts, ${rows} installments in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`);
    expect(rows).toBeGreaterThan(300000);
    expect(cpuMs).toBeLessThan(2000);
  });
});
