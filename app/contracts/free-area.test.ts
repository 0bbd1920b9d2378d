import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, dateOfDay, dayNumber } from "~/lib/dates";
import { Decimal } from "~/lib/money";
import { freeArea, takenArea, type Holding } from "./free-area";

const h = (area: string, startDate: string, endDate: string, status = "FILED", terminatedOn: string | null = null): Holding => ({ area, status, startDate, endDate, terminatedOn });

describe("free area of a plot", () => {
  it("subtracts live contracts overlapping the period, and only those", () => {
    const hs = [
      h("1.50", "2020-01-01", "2029-12-31"),
      h("1.00", "2030-01-01", "2039-12-31"),
      h("0.70", "2020-01-01", "2039-12-31", "DRAFT"),
      h("0.60", "2020-01-01", "2039-12-31", "SUPERSEDED"),
      h("0.40", "2020-01-01", "2039-12-31", "TERMINATED", "2024-06-30"),
      h("0.30", "2025-01-01", "2026-12-31", "SIGNED"),
    ];
    expect(freeArea("5.00", hs, { start: "2026-01-01", end: "2028-12-31" }).toFixed(2)).toBe("3.20");
    expect(freeArea("5.00", hs, { start: "2024-01-01", end: "2024-12-31" }).toFixed(2)).toBe("3.10");
    expect(freeArea("5.00", hs, { start: "2029-12-31", end: "2030-01-01" }).toFixed(2)).toBe("2.50");
    expect(freeArea("5.00", hs, { start: "2040-01-01", end: "2049-12-31" }).toFixed(2)).toBe("5.00");
  });
  it("is never negative, even for a plot over-transferred by old data", () => {
    expect(freeArea("1.00", [h("2.00", "2020-01-01", "2030-12-31")], { start: "2021-01-01", end: "2021-12-31" }).toFixed(2)).toBe("0.00");
  });

  // Random contracts on one plot: each is accepted only when its area is at
  // most the free area for its period; some are then terminated early.
  const BASE = dayNumber("2024-01-01");
  const event = fc.oneof(
    fc.record({ kind: fc.constant("contract" as const), start: fc.integer({ min: 0, max: 3000 }), days: fc.integer({ min: 1, max: 3000 }), hundredths: fc.integer({ min: 1, max: 800 }), status: fc.constantFrom("SIGNED", "FILED", "DRAFT", "RENEWED", "SUPERSEDED") }),
    fc.record({ kind: fc.constant("terminate" as const), which: fc.nat(), after: fc.integer({ min: 0, max: 3000 }) }),
  );
  it("keeps what live contracts hold on any day within the plot's area, after any sequence of contracts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(event, { maxLength: 25 }), (areaHundredths, events) => {
        const plotArea = new Decimal(areaHundredths).dividedBy(100).toFixed(2);
        const held: Holding[] = [];
        for (const e of events) {
          if (e.kind === "contract") {
            const start = dateOfDay(BASE + e.start);
            const end = addDays(start, e.days);
            const area = new Decimal(e.hundredths).dividedBy(100);
            const free = freeArea(plotArea, held, { start, end });
            expect(free.isNegative()).toBe(false);
            // drafts and superseded versions may be written freely; they hold nothing
            if (area.lte(free) || e.status === "DRAFT" || e.status === "SUPERSEDED") held.push(h(area.toFixed(2), start, end, e.status));
          } else if (held.length) {
            const c = held[e.which % held.length]!;
            if (c.status === "SIGNED" || c.status === "FILED") {
              const on = addDays(c.startDate, e.after);
              if (on < c.endDate) Object.assign(c, { status: "TERMINATED", terminatedOn: on });
            }
          }
        }
        // every day on which some contract starts is the worst case of its neighbourhood
        for (const c of held) {
          for (const day of [c.startDate, c.endDate]) {
            expect(takenArea(held, { start: day, end: day }).lte(plotArea)).toBe(true);
            expect(freeArea(plotArea, held, { start: day, end: day }).isNegative()).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
