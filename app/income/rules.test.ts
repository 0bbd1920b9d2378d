import { describe, expect, it } from "vitest";
import { Decimal } from "~/lib/money";
import {
  CATEGORIES,
  categoryOfKind,
  distribution,
  divRound,
  ENTRY_KINDS,
  FIXED_BUCKET_KEYS,
  fellSharply,
  householdMemberDays,
  LINE_BUCKET_KEYS,
  lineFlag,
  memberDays,
  memberShare,
  memberYears,
  memberYearsText,
  NOT_INCOME_KINDS,
  percentOfLine,
  perCapitaFen,
  ratioText,
} from "./rules";
import { dateOfDay, dayNumber, daysInYear } from "~/lib/dates";

const always = { joinedOn: null, leftOn: null };

describe("categories and kinds", () => {
  it("has the four survey categories and every kind in exactly one", () => {
    expect(CATEGORIES).toEqual(["WAGE", "OPERATING", "PROPERTY", "TRANSFER"]);
    const all = CATEGORIES.flatMap((c) => ENTRY_KINDS[c]);
    expect(new Set(all).size).toBe(all.length);
    expect(categoryOfKind("DIBAO")).toBe("TRANSFER");
    expect(categoryOfKind("ASSET_DIVIDEND")).toBe("PROPERTY");
    for (const k of NOT_INCOME_KINDS) expect(categoryOfKind(k)).toBeNull();
  });
});

describe("dates", () => {
  it("counts days like the calendar, leap years included", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("2024-03-01") - dayNumber("2024-02-28")).toBe(2);
    expect(dayNumber("2023-03-01") - dayNumber("2023-02-28")).toBe(1);
    expect(dayNumber("2000-03-01") - dayNumber("2000-02-28")).toBe(2);
    expect(dayNumber("1900-03-01") - dayNumber("1900-02-28")).toBe(1);
    for (const d of ["2024-02-29", "1999-12-31", "2025-07-04", "1969-12-31"]) expect(dateOfDay(dayNumber(d))).toBe(d);
    expect(dayNumber("2025-06-15")).toBe(Date.UTC(2025, 5, 15) / 86_400_000);
  });
  it("refuses impossible dates", () => {
    for (const d of ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "24-01-01", "2024-1-1", ""]) expect(() => dayNumber(d)).toThrow(RangeError);
  });
  it("knows the leap years", () => {
    expect([2023, 2024, 1900, 2000].map(daysInYear)).toEqual([365, 366, 365, 366]);
  });
});

describe("member-years", () => {
  it("counts a member of the whole year as one", () => {
    expect(memberDays(always, 2025)).toBe(365);
    expect(memberDays(always, 2024)).toBe(366);
    expect(memberShare(always, 2024).toString()).toBe("1");
    expect(memberDays({ joinedOn: "2010-05-01", leftOn: null }, 2025)).toBe(365);
    expect(memberDays({ joinedOn: "2025-01-01", leftOn: "2026-01-01" }, 2025)).toBe(365);
  });

  it("counts a member who joined mid-year from the day they joined", () => {
    // 2025-07-01 .. 2025-12-31 = 184 days
    expect(memberDays({ joinedOn: "2025-07-01", leftOn: null }, 2025)).toBe(184);
    expect(memberShare({ joinedOn: "2025-07-01", leftOn: null }, 2025).equals(new Decimal(184).div(365))).toBe(true);
    expect(memberDays({ joinedOn: "2025-12-31", leftOn: null }, 2025)).toBe(1);
  });

  it("counts a member who left mid-year until the day before they left", () => {
    // leftOn is the first day not a member: 2025-01-01 .. 2025-06-30 = 181 days
    expect(memberDays({ joinedOn: null, leftOn: "2025-07-01" }, 2025)).toBe(181);
    expect(memberDays({ joinedOn: null, leftOn: "2025-01-02" }, 2025)).toBe(1);
    expect(memberDays({ joinedOn: null, leftOn: "2025-12-31" }, 2025)).toBe(364);
  });

  it("counts nothing for a member who left on January 1, joined after or left before the year", () => {
    expect(memberDays({ joinedOn: null, leftOn: "2025-01-01" }, 2025)).toBe(0);
    expect(memberDays({ joinedOn: "2026-01-01", leftOn: null }, 2025)).toBe(0);
    expect(memberDays({ joinedOn: "2026-03-01", leftOn: null }, 2025)).toBe(0);
    expect(memberDays({ joinedOn: null, leftOn: "2024-08-01" }, 2025)).toBe(0);
    expect(memberDays({ joinedOn: "2019-01-01", leftOn: "2020-01-01" }, 2025)).toBe(0);
    // wrong way round: nothing, never a negative count
    expect(memberDays({ joinedOn: "2025-08-01", leftOn: "2025-03-01" }, 2025)).toBe(0);
    expect(memberDays({ joinedOn: "2025-03-01", leftOn: "2025-03-01" }, 2025)).toBe(0);
  });

  it("counts a leap year's 366 days, February 29 included", () => {
    // 2024-02-29 .. 2024-12-31 = 307 days of 366
    expect(memberDays({ joinedOn: "2024-02-29", leftOn: null }, 2024)).toBe(307);
    // 2024-01-01 .. 2024-02-29 = 60 days
    expect(memberDays({ joinedOn: null, leftOn: "2024-03-01" }, 2024)).toBe(60);
    // the same dates a year later: 2025-01-01 .. 2025-02-28 = 59 of 365
    expect(memberDays({ joinedOn: null, leftOn: "2025-03-01" }, 2025)).toBe(59);
    // half of a leap year is 183 days
    expect(memberShare({ joinedOn: "2024-07-02", leftOn: null }, 2024).toString()).toBe("0.5");
  });

  it("counts a member who joined and left within the year", () => {
    // 2025-03-10 .. 2025-09-19 = 194 days
    expect(memberDays({ joinedOn: "2025-03-10", leftOn: "2025-09-20" }, 2025)).toBe(194);
  });

  it("sums a household: two whole-year members, a newborn in July, a daughter married out in April", () => {
    const members = [
      always,
      always,
      { joinedOn: "2024-07-02", leftOn: null }, // 183 of 366
      { joinedOn: null, leftOn: "2024-04-01" }, // Jan 1 .. Mar 31 = 91 of 366
      { joinedOn: "2025-02-01", leftOn: null }, // after the year
      { joinedOn: null, leftOn: "2024-01-01" }, // before the year
    ];
    expect(householdMemberDays(members, 2024)).toBe(366 * 2 + 183 + 91);
    expect(memberYears(members, 2024).equals(new Decimal(366 * 2 + 183 + 91).div(366))).toBe(true);
    expect(memberYearsText(366 * 2 + 183 + 91, 366)).toBe("2.75");
    expect(memberYears([always, always, always, { joinedOn: "2024-07-02", leftOn: null }], 2024).toString()).toBe("3.5");
    expect(memberYears([], 2025).toString()).toBe("0");
  });
});

describe("integer helpers", () => {
  it("rounds half away from zero", () => {
    expect([divRound(5n, 2n), divRound(-5n, 2n), divRound(4n, 3n), divRound(5n, 3n), divRound(-5n, 3n), divRound(0n, 7n)]).toEqual([3n, -3n, 1n, 2n, -2n, 0n]);
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
    expect(ratioText(7n, 2n, 1)).toBe("3.5");
    expect(ratioText(-352n, 1000n, 1)).toBe("-0.4");
    expect(ratioText(-1n, 100n, 1)).toBe("0.0");
    expect(ratioText(1n, 3n, 2)).toBe("0.33");
    expect(ratioText(2n, 3n, 0)).toBe("1");
  });
});

describe("per-capita income", () => {
  it("divides the total by member-years and rounds half-up to the fen", () => {
    expect(perCapitaFen(2_400_000n, new Decimal(3))).toBe(800_000n);
    expect(perCapitaFen(1_000_000n, new Decimal("3.5"))).toBe(285_714n); // 285,714.2857…
    expect(perCapitaFen(1_000_001n, new Decimal(2))).toBe(500_001n); // 500,000.5 → up
    expect(perCapitaFen(1_000_001n, { memberDays: 730, daysInYear: 365 })).toBe(500_001n);
    expect(perCapitaFen(1_000_000n, { memberDays: 365 * 3 + 183, daysInYear: 366 })).toBe(286_385n); // 1e6 × 366 / 1278 = 286,384.97…
    // a loss rounds away from zero too, as toFen does
    expect(perCapitaFen(-1_000_001n, { memberDays: 730, daysInYear: 365 })).toBe(-500_001n);
  });

  it("is exact with member-days where a decimal divisor would not be", () => {
    // 4 member-days of 365 has no finite decimal; 1 fen ÷ (4/365) = 91.25 exactly
    expect(perCapitaFen(1n, { memberDays: 4, daysInYear: 365 })).toBe(91n);
    expect(perCapitaFen(2n, { memberDays: 4, daysInYear: 365 })).toBe(183n); // 182.5 → 183
  });

  it("gives the same figure from member-years and from member-days", () => {
    const members = [always, { joinedOn: "2025-05-17", leftOn: null }, { joinedOn: null, leftOn: "2025-10-03" }];
    const days = householdMemberDays(members, 2025);
    for (const total of [0n, 1n, 999_999n, 3_456_789n, 12_345_678n]) {
      expect(perCapitaFen(total, memberYears(members, 2025))).toBe(perCapitaFen(total, { memberDays: days, daysInYear: 365 }));
    }
  });

  it("is null without members", () => {
    expect(perCapitaFen(1_000_000n, new Decimal(0))).toBeNull();
    expect(perCapitaFen(1_000_000n, { memberDays: 0, daysInYear: 365 })).toBeNull();
  });
});

describe("flags against the line", () => {
  const L = 600_000n; // 6,000.00 yuan
  it("is BELOW one fen under the line and NEAR exactly at it", () => {
    expect(lineFlag(599_999n, L)).toBe("BELOW");
    expect(lineFlag(600_000n, L)).toBe("NEAR");
    expect(lineFlag(600_001n, L)).toBe("NEAR");
  });
  it("is NEAR at exactly 110 % and ABOVE one fen over it", () => {
    expect(lineFlag(659_999n, L)).toBe("NEAR");
    expect(lineFlag(660_000n, L)).toBe("NEAR");
    expect(lineFlag(660_001n, L)).toBe("ABOVE");
  });
  it("handles a line whose 110 % is not a whole fen", () => {
    const odd = 760_005n; // × 1.1 = 836,005.5
    expect(lineFlag(836_005n, odd)).toBe("NEAR");
    expect(lineFlag(836_006n, odd)).toBe("ABOVE");
  });
  it("is BELOW for a loss and null without a line or members", () => {
    expect(lineFlag(-100n, L)).toBe("BELOW");
    expect(lineFlag(0n, L)).toBe("BELOW");
    expect(lineFlag(null, L)).toBeNull();
    expect(lineFlag(500_000n, null)).toBeNull();
  });
  it("gives the share of the line", () => {
    expect(percentOfLine(591_000n, L)).toBe("98.5");
    expect(percentOfLine(660_000n, L)).toBe("110.0");
    expect(percentOfLine(null, L)).toBeNull();
    expect(percentOfLine(1n, null)).toBeNull();
  });
});

describe("income fell sharply", () => {
  it("flags a fall of more than 30 % and not exactly 30 %", () => {
    expect(fellSharply(700_000n, 1_000_000n)).toEqual({ fell: false, changePercent: "-30.0" });
    expect(fellSharply(699_999n, 1_000_000n)).toEqual({ fell: true, changePercent: "-30.0" });
    expect(fellSharply(648_000n, 1_000_000n)).toEqual({ fell: true, changePercent: "-35.2" });
    expect(fellSharply(700_001n, 1_000_000n).fell).toBe(false);
  });
  it("compares exactly when 70 % of last year is not a whole fen", () => {
    // 0.7 × 1,001 = 700.7
    expect(fellSharply(700n, 1_001n).fell).toBe(true);
    expect(fellSharply(701n, 1_001n).fell).toBe(false);
  });
  it("reports rises and a loss", () => {
    expect(fellSharply(1_200_000n, 1_000_000n)).toEqual({ fell: false, changePercent: "20.0" });
    expect(fellSharply(-50_000n, 1_000_000n)).toEqual({ fell: true, changePercent: "-105.0" });
    expect(fellSharply(0n, 1_000_000n)).toEqual({ fell: true, changePercent: "-100.0" });
  });
  it("says nothing without a previous record or a positive previous total", () => {
    expect(fellSharply(100n, null)).toEqual({ fell: false, changePercent: null });
    expect(fellSharply(100n, 0n)).toEqual({ fell: false, changePercent: null });
    expect(fellSharply(-100n, -50n)).toEqual({ fell: false, changePercent: null });
  });
});

describe("distribution", () => {
  const L = 600_000n;
  const count = (buckets: ReturnType<typeof distribution>) => buckets.map((b) => b.count);

  it("buckets against the line with edges matching the flags", () => {
    const values = [
      -5_000n, 0n, 299_999n, // < 50 %
      300_000n, 599_999n, // 50–100 %
      600_000n, 660_000n, // 100–110 % (both ends)
      660_001n, 899_999n, // 110–150 %
      900_000n, 1_199_999n, // 150–200 %
      1_200_000n, 99_000_000n, // ≥ 200 %
    ];
    const b = distribution(values, L);
    expect(b.map((x) => x.key)).toEqual([...LINE_BUCKET_KEYS]);
    expect(count(b)).toEqual([3, 2, 2, 2, 2, 2]);
    expect(b.map((x) => [x.fromFen, x.toFen])).toEqual([
      [null, 300_000n],
      [300_000n, 600_000n],
      [600_000n, 660_000n],
      [660_000n, 900_000n],
      [900_000n, 1_200_000n],
      [1_200_000n, null],
    ]);
  });

  it("puts every value in exactly one bucket and agrees with lineFlag", () => {
    const values: bigint[] = [];
    for (let v = -1000n; v < 1_300_000n; v += 997n) values.push(v);
    for (const e of [300_000n, 600_000n, 660_000n, 900_000n, 1_200_000n]) values.push(e - 1n, e, e + 1n);
    const b = distribution(values, L);
    expect(b.reduce((s, x) => s + x.count, 0)).toBe(values.length);
    expect(b[0]!.count + b[1]!.count).toBe(values.filter((v) => lineFlag(v, L) === "BELOW").length);
    expect(b[2]!.count).toBe(values.filter((v) => lineFlag(v, L) === "NEAR").length);
  });

  it("rounds the printed edges of an odd line, never its membership", () => {
    const b = distribution([380_002n, 380_003n], 760_005n); // 50 % = 380,002.5
    expect(b[0]!.toFen).toBe(380_003n);
    expect(count(b).slice(0, 2)).toEqual([1, 1]);
  });

  it("uses fixed yuan bands without a line", () => {
    const b = distribution([-1n, 0n, 499_999n, 500_000n, 999_999n, 1_000_000n, 1_500_000n, 1_999_999n, 2_000_000n, 2_999_999n, 3_000_000n, 10_000_000n], null);
    expect(b.map((x) => x.key)).toEqual([...FIXED_BUCKET_KEYS]);
    expect(count(b)).toEqual([3, 2, 1, 2, 2, 2]);
    expect(b[0]).toMatchObject({ fromFen: null, toFen: 500_000n });
    expect(b[5]).toMatchObject({ fromFen: 3_000_000n, toFen: null });
  });

  it("gives six empty buckets for no households", () => {
    expect(count(distribution([], L))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(count(distribution([], null))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
