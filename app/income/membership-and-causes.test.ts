/**
 * Property tests of the membership rule (入户日期 / 迁出日期), the work-day
 * overlap rule, the off-year causes of a sharp change and the review rule
 * (issue 11, items 5, 6 and 10).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateOfDay, dayNumber, daysInYear, daysInYear as diy, isLeapYear, yearEnd, yearStart } from "~/lib/dates";
import {
  firstOverlap,
  householdMemberDays,
  memberDays,
  offYearCauses,
  outsideMembership,
  periodsOverlap,
  reviewReason,
  reviewReasonNumber,
  roseSharply,
  type Membership,
  type OffYearPayment,
} from "./rules";

// Dates from 2018 to 2030, so that memberships start and end before, in and after the years asked about.
const FIRST = dayNumber("2018-01-01");
const LAST = dayNumber("2030-12-31");
const date = fc.integer({ min: FIRST, max: LAST }).map(dateOfDay);
const year = fc.integer({ min: 2019, max: 2029 });
/** A membership with either date unknown; leftOn after joinedOn when both are known. */
const membership: fc.Arbitrary<Membership> = fc
  .tuple(fc.option(date, { nil: null }), fc.option(date, { nil: null }))
  .map(([a, b]) => (a && b && b < a ? { joinedOn: b, leftOn: a } : { joinedOn: a, leftOn: b }));

describe("the calendar is the app's one calendar (lib/dates)", () => {
  it("keeps the old names working", () => {
    expect(dateOfDay(dayNumber("2024-02-29"))).toBe("2024-02-29");
    expect(daysInYear(2024)).toBe(366);
    expect(isLeapYear(1900)).toBe(false);
    expect(() => dayNumber("2025-02-29")).toThrow(RangeError);
  });

  it("dateOfDay does not depend on the process's TZ", () => {
    fc.assert(fc.property(fc.integer({ min: -100_000, max: 100_000 }), (z) => dayNumber(dateOfDay(z)) === z));
  });
});

describe("memberDays", () => {
  it("a member with unknown dates counts the whole year", () => {
    fc.assert(fc.property(year, (y) => memberDays({ joinedOn: null, leftOn: null }, y) === diy(y)));
  });

  it("a household's member-days in a year are at most members × days in the year", () => {
    fc.assert(
      fc.property(fc.array(membership, { maxLength: 8 }), year, (ms, y) => {
        const total = householdMemberDays(ms, y);
        return total >= 0 && total <= ms.length * diy(y) && ms.every((m) => memberDays(m, y) <= diy(y));
      }),
    );
  });

  it("splitting a membership at any date into two adjacent ones gives the same days", () => {
    fc.assert(
      fc.property(membership, date, year, (m, at, y) => {
        // the split date must lie inside the membership for the two parts to be adjacent
        if ((m.joinedOn && at < m.joinedOn) || (m.leftOn && at > m.leftOn)) return true;
        const before = { joinedOn: m.joinedOn, leftOn: at };
        const after = { joinedOn: at, leftOn: m.leftOn };
        return memberDays(before, y) + memberDays(after, y) === memberDays(m, y);
      }),
    );
  });

  it("counts exactly the days of the year on which a record would be accepted", () => {
    fc.assert(
      fc.property(membership, fc.integer({ min: 2019, max: 2029 }), (m, y) => {
        let inside = 0;
        for (let d = yearStart(y); d <= yearEnd(y); d = addDays(d, 1)) if (outsideMembership(m, d) === null) inside++;
        return inside === memberDays(m, y);
      }),
      { numRuns: 40 },
    );
  });

  it("a person registered on 12月3日 counts 29 days of the year, never the time the record was typed", () => {
    expect(memberDays({ joinedOn: "2025-12-03", leftOn: null }, 2025)).toBe(29);
    expect(memberDays({ joinedOn: "2025-12-03", leftOn: null }, 2026)).toBe(365);
  });
});

describe("outsideMembership", () => {
  it("refuses a record before joining or on or after leaving, and names the date", () => {
    const m = { joinedOn: "2025-03-10", leftOn: "2025-09-01" };
    expect(outsideMembership(m, "2025-03-09")).toEqual({ key: "beforeJoined", date: "2025-03-10" });
    expect(outsideMembership(m, "2025-03-10", "2025-08-31")).toBeNull();
    expect(outsideMembership(m, "2025-08-01", "2025-09-01")).toEqual({ key: "afterLeft", date: "2025-09-01" });
    expect(outsideMembership({ joinedOn: null, leftOn: null }, "2015-01-01", "2030-12-31")).toBeNull();
  });

  it("a period is inside iff each of its days is", () => {
    fc.assert(
      fc.property(membership, date, fc.integer({ min: 0, max: 40 }), (m, start, len) => {
        const end = addDays(start, len);
        let every = true;
        for (let d = start; d <= end; d = addDays(d, 1)) if (outsideMembership(m, d) !== null) every = false;
        return (outsideMembership(m, start, end) === null) === every;
      }),
    );
  });
});

describe("work-day periods", () => {
  const period = fc.tuple(fc.integer({ min: 0, max: 360 }), fc.integer({ min: 0, max: 40 })).map(([s, n]) => ({ periodStart: addDays("2025-01-01", s), periodEnd: addDays("2025-01-01", s + n) }));

  it("overlap is symmetric and means a shared day", () => {
    fc.assert(
      fc.property(period, period, (a, b) => {
        let shared = false;
        for (let d = a.periodStart; d <= a.periodEnd; d = addDays(d, 1)) if (d >= b.periodStart && d <= b.periodEnd) shared = true;
        return periodsOverlap(a, b) === periodsOverlap(b, a) && periodsOverlap(a, b) === shared;
      }),
    );
  });

  it("the same period saved twice overlaps itself; adjacent periods do not", () => {
    const march = { periodStart: "2025-03-01", periodEnd: "2025-03-31" };
    expect(firstOverlap([march], { ...march })).toBe(march);
    expect(firstOverlap([march], { periodStart: "2025-04-01", periodEnd: "2025-04-30" })).toBeNull();
    expect(firstOverlap([march], { periodStart: "2025-02-20", periodEnd: "2025-03-01" })).toBe(march);
  });
});

describe("off-year payments name the cause of a sharp change", () => {
  // rent of 2,880.00 due 2025-12-31, paid in January 2026
  const late: OffYearPayment = { kind: "RENT", receivedYear: 2026, belongsYear: 2025, amountFen: 288_000n };

  it("the example: −70.9 % in 2025 and +413.9 % in 2026 both name the late rent", () => {
    expect(offYearCauses([late], 2025, 115_800n, 398_000n)).toEqual([late]);
    expect(offYearCauses([late], 2026, 595_100n, 115_800n)).toEqual([late]);
    expect(roseSharply(595_100n, 115_800n)).toBe(true);
  });

  it("says nothing when the change is within 30 %, without a previous year, or for payments far from the two years", () => {
    expect(offYearCauses([late], 2026, 120_000n, 100_000n)).toEqual([]);
    expect(offYearCauses([late], 2026, 130_000n, 100_000n)).toEqual([]); // exactly +30 %
    expect(offYearCauses([late], 2026, 500_000n, null)).toEqual([]);
    expect(offYearCauses([late], 2028, 500_000n, 100_000n)).toEqual([]);
    expect(offYearCauses([{ ...late, belongsYear: 2026 }], 2026, 500_000n, 100_000n)).toEqual([]);
  });

  it("names only payments received in another year than they belong to, touching the compared years, and only on a sharp change", () => {
    const pay = fc.record({
      kind: fc.constantFrom("RENT" as const, "DIVIDEND" as const),
      receivedYear: fc.integer({ min: 2022, max: 2028 }),
      belongsYear: fc.integer({ min: 2022, max: 2028 }),
      amountFen: fc.bigInt({ min: 1n, max: 10_000_000n }),
    });
    fc.assert(
      fc.property(fc.array(pay, { maxLength: 6 }), fc.integer({ min: 2023, max: 2027 }), fc.bigInt({ min: 0n, max: 10_000_000n }), fc.option(fc.bigInt({ min: 0n, max: 10_000_000n }), { nil: null }), (ps, y, cur, prev) => {
        const named = offYearCauses(ps, y, cur, prev);
        const sharp = prev !== null && prev > 0n && (cur * 10n < prev * 7n || cur * 10n > prev * 13n);
        if (!sharp) return named.length === 0;
        const touches = (p: OffYearPayment) => [p.receivedYear, p.belongsYear].some((x) => x === y || x === y - 1);
        return named.every((p) => p.receivedYear !== p.belongsYear && touches(p)) && named.length === ps.filter((p) => p.receivedYear !== p.belongsYear && touches(p)).length;
      }),
    );
  });
});

describe("figures set aside for review", () => {
  it("the 759,208.40-style case: a whole year's income over 29 member-days", () => {
    // 60,320 yuan over one member registered on 2025-12-03: 6,032,000 × 365 ÷ 29 = 75,920,000 fen (759,200.00 yuan)
    expect(reviewReason(75_920_000n, 700_000n, 29, 365)).toBe("FEW_MEMBER_DAYS");
    expect(reviewReasonNumber(75_920_000, 700_000, 29, 365)).toBe("FEW_MEMBER_DAYS");
  });

  it("above 10× the village median is reviewed; exactly 10× is not; no median, no such review", () => {
    expect(reviewReason(7_000_001n, 700_000n, 730, 365)).toBe("FAR_ABOVE_MEDIAN");
    expect(reviewReason(7_000_000n, 700_000n, 730, 365)).toBeNull();
    expect(reviewReason(7_000_001n, null, 730, 365)).toBeNull();
    expect(reviewReason(7_000_001n, 0n, 730, 365)).toBeNull();
    expect(reviewReason(null, 700_000n, 0, 365)).toBeNull();
  });

  it("the number form agrees with the bigint form", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 100_000_000 }), fc.option(fc.integer({ min: -1000, max: 10_000_000 }), { nil: null }), fc.integer({ min: 1, max: 3000 }), fc.constantFrom(365, 366), (pc, median, days, d) => {
        return reviewReasonNumber(pc, median, days, d) === reviewReason(BigInt(pc), median === null ? null : BigInt(median), days, d);
      }),
    );
  });
});
