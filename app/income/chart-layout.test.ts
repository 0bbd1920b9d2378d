import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boxesOverlap, fitText, layoutLabelRow, layoutLegend, MIN_FONT_PX, textWidth } from "./chart-layout";

const label = fc.array(fc.constantFrom("低", "于", "监", "测", "线", "5", "0", "%", "–", " ", "2", "A", "≥", ","), { minLength: 1, maxLength: 14 }).map((cs) => cs.join(""));

describe("fitText", () => {
  it("keeps what fits and cuts the rest with an ellipsis", () => {
    expect(fitText("2025", 100, 12)).toBe("2025");
    expect(fitText("低于监测线百分之五十", 40, 12)).toBe("低于…");
    expect(fitText("低于", 5, 12)).toBe("");
  });
});

describe("layoutLabelRow", () => {
  it("labels every item in full when there is room", () => {
    const row = layoutLabelRow([0, 1, 2].map((i) => ({ x: 40 + i * 80, lines: [String(2024 + i)] })), { fontSize: 12, y: 0, minX: 0, maxX: 240 });
    expect(row).toMatchObject({ step: 1, shortened: false });
    expect(row.labels.map((l) => l.lines[0])).toEqual(["2024", "2025", "2026"]);
  });
  it("skips labels rather than shrink them when they cannot be shortened", () => {
    const row = layoutLabelRow(Array.from({ length: 10 }, (_, i) => ({ x: 10 + i * 20, lines: ["12,345.67"] })), { fontSize: 12, y: 0, minX: 0, maxX: 200, minChars: 99 });
    expect(row.step).toBeGreaterThan(1);
    expect(row.labels.every((l) => l.lines[0] === "12,345.67")).toBe(true);
  });

  it("property: no two label boxes overlap, each stays in the row, and each text is its label or a start of it with …", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.array(label, { minLength: 1, maxLength: 2 })), { maxLength: 25 }),
        fc.integer({ min: MIN_FONT_PX, max: 16 }),
        fc.integer({ min: 40, max: 720 }),
        fc.integer({ min: 1, max: 99 }),
        (raw, fontSize, width, minChars) => {
          const items = raw.map(([x, lines]) => ({ x: (x / 400) * width, lines })).sort((a, b) => a.x - b.x);
          const row = layoutLabelRow(items, { fontSize, y: 10, minX: 0, maxX: width, minChars });
          for (let i = 0; i < row.labels.length; i++) {
            const l = row.labels[i]!;
            expect(l.box.x0).toBeGreaterThanOrEqual(-1e-9);
            expect(l.box.x1).toBeLessThanOrEqual(width + 1e-9);
            for (const line of l.lines) expect(textWidth(line, fontSize)).toBeLessThanOrEqual(l.box.x1 - l.box.x0 + 1e-9);
            l.lines.forEach((line, j) => {
              const whole = items[l.index]!.lines[j]!;
              expect(line === whole || (line.endsWith("…") && whole.startsWith(line.slice(0, -1))) || line === "").toBe(true);
            });
            for (let k = i + 1; k < row.labels.length; k++) expect(boxesOverlap(l.box, row.labels[k]!.box)).toBe(false);
          }
          if (items.length > 0) expect(row.labels[0]!.index).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("layoutLegend", () => {
  it("property: legend items never overlap and stay inside the width", () => {
    fc.assert(
      fc.property(fc.array(label, { maxLength: 8 }), fc.integer({ min: 120, max: 720 }), (labels, width) => {
        const { items } = layoutLegend(labels.map((l, i) => ({ key: String(i), label: l })), width, 12);
        for (let i = 0; i < items.length; i++) {
          expect(items[i]!.box.x1).toBeLessThanOrEqual(width + 1e-9);
          for (let k = i + 1; k < items.length; k++) expect(boxesOverlap(items[i]!.box, items[k]!.box)).toBe(false);
        }
      }),
    );
  });
});
