import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays } from "~/lib/dates";
import { checkStatusDate, currentChange, historyNewestFirst } from "./status-history";

const TODAY = "2026-12-03";

describe("checkStatusDate", () => {
  it("refuses a date after today, and one before the current status's date", () => {
    expect(checkStatusDate("2026-12-04", null, TODAY)).toEqual({ key: "status.dateFuture", params: { today: TODAY } });
    expect(checkStatusDate("9999-12-31", "2020-01-01", TODAY)).toEqual({ key: "status.dateFuture", params: { today: TODAY } });
    expect(checkStatusDate("2019-12-31", "2020-01-01", TODAY)).toEqual({ key: "status.dateBeforeCurrent", params: { date: "2020-01-01" } });
    expect(checkStatusDate("2020-01-01", "2020-01-01", TODAY)).toBeNull();
    expect(checkStatusDate(TODAY, "2020-01-01", TODAY)).toBeNull();
  });
});

describe("status history invariant", () => {
  const STATUSES = ["ORDINARY", "ALLEVIATED", "MONITORED"] as const;
  const attempt = fc.record({ status: fc.constantFrom(...STATUSES), offset: fc.integer({ min: -4000, max: 40 }) });

  it("property: for any sequence of changes with random dates (out of order and future ones too), the current status is the latest change not after today and the history reads in date order", () => {
    fc.assert(
      fc.property(fc.array(attempt, { maxLength: 25 }), (attempts) => {
        // a household as the registry keeps it: recorded changes and the current status
        const history: { id: number; status: string; effectiveOn: string }[] = [{ id: 1, status: "ORDINARY", effectiveOn: "2014-01-01" }];
        let status = "ORDINARY";
        for (const a of attempts) {
          const date = addDays(TODAY, a.offset);
          const since = historyNewestFirst(history)[0]!.effectiveOn;
          const refused = checkStatusDate(date, since, TODAY);
          expect(refused !== null).toBe(date > TODAY || date < since);
          if (refused) continue;
          history.push({ id: history.length + 1, status: a.status, effectiveOn: date });
          status = a.status;
        }
        expect(currentChange(history, TODAY)!.status).toBe(status);
        // the order recorded is the date order: nothing recorded ever lands behind the current status
        const page = historyNewestFirst(history);
        expect(page.map((c) => c.id)).toEqual([...history].reverse().map((c) => c.id));
        for (const c of history) expect(c.effectiveOn <= TODAY).toBe(true);
      }),
    );
  });

  it("property: newest first is a permutation sorted by date, then by the order recorded", () => {
    const change = fc.record({ id: fc.nat(1000), effectiveOn: fc.integer({ min: -50, max: 50 }).map((d) => addDays(TODAY, d)) });
    fc.assert(
      fc.property(fc.uniqueArray(change, { selector: (c) => c.id, maxLength: 30 }), (history) => {
        const sorted = historyNewestFirst(history);
        expect([...sorted].sort((a, b) => a.id - b.id)).toEqual([...history].sort((a, b) => a.id - b.id));
        for (let i = 1; i < sorted.length; i++) {
          const [p, c] = [sorted[i - 1]!, sorted[i]!];
          expect(p.effectiveOn > c.effectiveOn || (p.effectiveOn === c.effectiveOn && p.id > c.id)).toBe(true);
        }
        const current = currentChange(history, TODAY);
        const eligible = history.filter((c) => c.effectiveOn <= TODAY);
        expect(current).toEqual(eligible.length ? historyNewestFirst(eligible)[0] : null);
      }),
    );
  });
});
