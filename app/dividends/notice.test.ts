import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateOfDay, inclusiveDays } from "~/lib/dates";
import { noticeOver, noticePeriod, noticePeriodZh, storedNoticePeriod } from "./notice";

describe("the notice period", () => {
  it("of 7 days published on 12月3日 runs 12月3日至12月9日 and allows issuing from the 10th (regression: it printed 8 days and allowed the 10th as its last day)", () => {
    const p = noticePeriod("2026-12-03", 7);
    expect(p).toEqual({ from: "2026-12-03", to: "2026-12-09", days: 7, issueFrom: "2026-12-10" });
    expect(noticePeriodZh(p.from, p.to)).toBe("2026年12月3日至12月9日（共 7 天）");
    expect(noticeOver(p.to, "2026-12-09")).toBe(false);
    expect(noticeOver(p.to, "2026-12-10")).toBe(true);
  });

  it("prints both years when it crosses New Year", () => {
    const p = noticePeriod("2026-12-28", 7);
    expect(noticePeriodZh(p.from, p.to)).toBe("2026年12月28日至2027年1月3日（共 7 天）");
  });

  it("N days are N calendar days, printed and enforced alike, whatever the start", () => {
    const day = fc.integer({ min: 10_957, max: 25_000 }).map(dateOfDay); // 2000 … 2038
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 60 }), fc.integer({ min: -70, max: 70 }), (start, days, offset) => {
        const p = noticePeriod(start, days);
        expect(inclusiveDays(p.from, p.to)).toBe(days);
        expect(noticePeriodZh(p.from, p.to)).toContain(`（共 ${days} 天）`);
        const asOf = addDays(start, offset);
        // issuing is allowed exactly on the days after the printed last day
        expect(noticeOver(p.to, asOf)).toBe(offset >= days);
        expect(noticeOver(p.to, p.issueFrom)).toBe(true);
      }),
    );
  });
});

describe("a stored notice period", () => {
  it("is shown as stored, whatever its dates", () => {
    expect(storedNoticePeriod("2026-12-03", "2026-12-09")).toEqual({ from: "2026-12-03", to: "2026-12-09", days: 7, issueFrom: "2026-12-10" });
    expect(storedNoticePeriod("2026-12-03", "2000-01-01")?.issueFrom).toBe("2000-01-02");
    expect(storedNoticePeriod("", "2026-12-09")).toBeNull();
  });
});

describe("when a holding began (the notice's 入股日期)", () => {
  it("is the earliest start of the household's contracts holding shares in the year", async () => {
    const { holdingSince } = await import("./shares");
    const since = holdingSince(
      [
        { householdId: 1, areaMu: "4", startDate: "2020-01-01", endDate: "2025-06-30" },
        { householdId: 1, areaMu: "4", startDate: "2025-07-01", endDate: "2039-12-31" },
        { householdId: 2, areaMu: "2", startDate: "2025-07-01", endDate: "2039-12-31" },
        // ended before the year: not a holding of 2025
        { householdId: 3, areaMu: "2", startDate: "2010-01-01", endDate: "2024-12-31" },
        { householdId: 4, areaMu: "0", startDate: "2019-01-01", endDate: "2039-12-31" },
      ],
      2025,
    );
    expect([...since.entries()]).toEqual([
      [1, "2020-01-01"],
      [2, "2025-07-01"],
    ]);
  });
});
