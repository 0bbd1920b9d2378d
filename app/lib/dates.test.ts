import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import {
  addDays,
  addMonths,
  addYears,
  chinaDate,
  chinaDateTime,
  chineseMonthDay,
  currentYear,
  dateOfDay,
  dayNumber,
  daysBetween,
  daysInYear,
  formatInstant,
  inclusiveDays,
  isValidDate,
  lastDayOfPeriod,
  startOfChinaDay,
  today,
} from "./dates";

afterEach(() => {
  vi.useRealTimers();
  delete process.env.CUNSHE_FAKE_NOW;
});

describe("the China-time clock", () => {
  it("is a day ahead of UTC at 00:30 Beijing time, whatever TZ the process has", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z")); // 2026-12-03 00:30 in Beijing
    expect(today()).toBe("2026-12-03");
    expect(chinaDateTime(new Date())).toBe("2026-12-03 00:30");
    expect(formatInstant(new Date().toISOString())).toBe("2026-12-03 00:30");
  });

  it("turns the year at Beijing midnight on 31 December", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-31T15:59:59Z"));
    expect(currentYear()).toBe(2026);
    vi.setSystemTime(new Date("2026-12-31T16:00:00Z"));
    expect(currentYear()).toBe(2027);
    expect(today()).toBe("2027-01-01");
  });

  it("can be pinned for a whole process by CUNSHE_FAKE_NOW", () => {
    process.env.CUNSHE_FAKE_NOW = "2026-12-02T16:30:00Z";
    expect(today()).toBe("2026-12-03");
  });

  it("starts a China day at 16:00 UTC the day before", () => {
    expect(startOfChinaDay("2026-12-03").toISOString()).toBe("2026-12-02T16:00:00.000Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (z) => {
        const d = dateOfDay(z);
        expect(chinaDate(startOfChinaDay(d))).toBe(d);
        expect(chinaDate(new Date(startOfChinaDay(d).getTime() - 1))).toBe(dateOfDay(z - 1));
      }),
    );
  });
});

describe("the calendar", () => {
  const day = fc.integer({ min: -1000, max: 60_000 });

  it("round-trips day numbers and dates", () => {
    fc.assert(
      fc.property(day, (z) => {
        const d = dateOfDay(z);
        expect(isValidDate(d)).toBe(true);
        expect(dayNumber(d)).toBe(z);
      }),
    );
  });

  it("agrees with the UTC calendar of Date for every day", () => {
    fc.assert(
      fc.property(day, (z) => {
        expect(dateOfDay(z)).toBe(new Date(z * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });

  it("adds days consistently with daysBetween", () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -5000, max: 5000 }), (z, n) => {
        const a = dateOfDay(z);
        expect(daysBetween(a, addDays(a, n))).toBe(n);
      }),
    );
  });

  it("refuses dates that do not exist", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "2026-00-10", "2026-4-1", "", "2026-04-31", "9999-99-99"]) {
      expect(isValidDate(bad)).toBe(false);
    }
    expect(isValidDate("2024-02-29")).toBe(true);
    expect(() => dayNumber("2026-02-30")).toThrow(RangeError);
  });

  it("clamps month ends when adding months and years", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
    expect(addYears("2024-02-29", 4)).toBe("2028-02-29");
    expect(daysInYear(2024)).toBe(366);
    expect(daysInYear(2100)).toBe(365);
  });

  it("counts an N-day period as N calendar days, both ends included", () => {
    expect(lastDayOfPeriod("2026-12-03", 7)).toBe("2026-12-09");
    expect(chineseMonthDay(lastDayOfPeriod("2026-12-03", 7))).toBe("12月9日");
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 400 }), (z, n) => {
        const start = dateOfDay(z);
        expect(inclusiveDays(start, lastDayOfPeriod(start, n))).toBe(n);
      }),
    );
  });
});
