import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import type { TrendPoint } from "./audit";
import { bucketRange, CompositionChart, DistributionChart, textWidth, TrendChart } from "./charts";
import { distribution } from "./rules";

const t = translator("zh-CN");
const en = translator("en");
const render = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el);
const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
const texts = (html: string) => [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));

describe("CompositionChart", () => {
  const totals = { WAGE: 1_050_000_000n, OPERATING: 370_000_000n, PROPERTY: 123_000_100n, TRANSFER: 118_000_000n };

  it("prints every category with its amount and share, and the total", () => {
    const html = render(createElement(CompositionChart, { totals, t }));
    expect(html).toMatch(/^<div class="income-chart-box"[^>]*><svg[^>]*role="img"/);
    expect(html).toContain("<title");
    expect(texts(html)).toEqual([
      "工资性收入",
      "10,500,000.00 元 · 63.2%",
      "经营净收入",
      "3,700,000.00 元 · 22.3%",
      "财产净收入",
      "1,230,001.00 元 · 7.4%",
      "转移净收入",
      "1,180,000.00 元 · 7.1%",
      "合计 16,610,001.00 元",
    ]);
    // the description repeats the figures for screen readers
    expect(html).toMatch(/<desc[^>]*>工资性收入 10,500,000\.00 元，占 63\.2%；/);
    // hatching patterns so that a black-and-white print tells the bars apart
    expect(html.match(/<pattern /g)!.length).toBeGreaterThanOrEqual(4);
  });

  it("draws a loss as a dashed bar and says so", () => {
    const html = render(createElement(CompositionChart, { totals: { ...totals, OPERATING: -20_000n }, t }));
    expect(html).toContain("-200.00 元");
    expect(html).toContain('stroke-dasharray="3 2"');
    expect(html).toContain("虚线框为负数");
  });

  it("takes a given total and survives an empty household", () => {
    const html = render(createElement(CompositionChart, { totals: { WAGE: 0n, OPERATING: 0n, PROPERTY: 0n, TRANSFER: 0n, total: 0n }, t }));
    expect(texts(html)).toContain("0.00 元");
    expect(html).not.toContain("NaN");
  });

  it("speaks English", () => {
    const html = render(createElement(CompositionChart, { totals, t: en }));
    expect(html).toContain("Wage income");
    expect(html).toContain("10,500,000.00 yuan · 63.2%");
  });
});

describe("DistributionChart", () => {
  it("marks the line and prints each bucket's count and range", () => {
    const buckets = distribution([150_000n, 250_000n, 566_667n, 600_000n, 659_639n, 660_001n, 700_000n, 1_000_000n, 1_200_000n], 600_000n);
    const html = render(createElement(DistributionChart, { buckets, lineFen: 600_000n, t }));
    const x = texts(html);
    expect(x).toContain("监测线 6,000 元");
    expect(x).toContain("共 9 户");
    for (const label of ["低于 50%", "50%–100%", "100%–110%", "110%–150%", "150%–200%", "200% 及以上"]) expect(x).toContain(label);
    for (const range of ["< 3,000", "3,000–6,000", "6,000–6,600", "6,600–9,000", "9,000–12,000", "≥ 12,000"]) expect(x).toContain(range);
    expect(x.filter((s) => /^\d+ 户$/.test(s))).toEqual(["2 户", "1 户", "2 户", "2 户", "1 户", "1 户"]);
    expect(html).toContain('stroke-dasharray="5 3"');
    expect(html).toContain("人均纯收入占监测线的比例");
  });

  it("says when there is no line and uses the yuan bands", () => {
    const buckets = distribution([150_000n, 1_250_000n], null);
    const html = render(createElement(DistributionChart, { buckets, lineFen: null, t }));
    expect(texts(html)).toContain("本年度未设置监测线，按固定金额分档");
    expect(texts(html)).toContain("5千元以下");
    expect(html).not.toContain('stroke-dasharray="5 3"');
  });

  it("gives the ranges of open buckets", () => {
    expect(bucketRange({ fromFen: null, toFen: 300_000n })).toBe("< 3,000");
    expect(bucketRange({ fromFen: 1_200_000n, toFen: null })).toBe("≥ 12,000");
    expect(bucketRange({ fromFen: 380_003n, toFen: 760_005n })).toBe("3,800.03–7,600.05");
  });
});

describe("TrendChart", () => {
  const points: TrendPoint[] = [
    { year: 2025, households: 10, memberDays: 3650, daysInYear: 365, totals: { WAGE: 5_000_000n, OPERATING: -100_000n, PROPERTY: 300_000n, TRANSFER: 800_000n }, lineFen: 720_000n },
    { year: 2024, households: 10, memberDays: 3843, daysInYear: 366, totals: { WAGE: 4_000_000n, OPERATING: 500_000n, PROPERTY: 0n, TRANSFER: 700_000n }, lineFen: 690_000n },
  ];

  it("prints each year's per-capita total, in year order, with the line", () => {
    const html = render(createElement(TrendChart, { points, t }));
    const x = texts(html);
    expect(x.indexOf("2024")).toBeLessThan(x.indexOf("2025"));
    expect(x).toContain("4,952.38");
    expect(x).toContain("6,000.00");
    expect(x).toContain("监测线");
    expect(html).toMatch(/<desc[^>]*>2024 年人均 4,952\.38 元（工资性收入 3,809\.52/);
    expect(html).toContain("监测线 7,200.00 元");
  });

  it("renders an empty trend", () => {
    const html = render(createElement(TrendChart, { points: [], t }));
    expect(texts(html)).toContain("暂无数据");
    expect(html).not.toContain("NaN");
  });

  it("gives every chart instance its own pattern ids", () => {
    const html = render(createElement("div", null, createElement(TrendChart, { points, t }), createElement(TrendChart, { points, t })));
    const ids = [...html.matchAll(/<pattern id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("textWidth", () => {
  it("counts Chinese as one em and digits as about half", () => {
    expect(textWidth("监测线", 10)).toBe(30);
    expect(textWidth("12", 10)).toBeCloseTo(11.2);
  });
});

describe("readable at the size shown (issue 15)", () => {
  const sizes = (html: string) => [...html.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  const many: TrendPoint[] = Array.from({ length: 14 }, (_, i) => ({
    year: 2012 + i,
    households: 10,
    memberDays: 3650,
    daysInYear: 365,
    totals: { WAGE: 123_456_789n * BigInt(i + 1), OPERATING: -1_000_000n, PROPERTY: 300_000n, TRANSFER: 800_000n },
    lineFen: 720_000n,
  }));
  const charts = [
    ["composition", createElement(CompositionChart, { totals: { WAGE: 99_999_999_999n, OPERATING: -20_000n, PROPERTY: 1n, TRANSFER: 0n }, t: en })],
    ["distribution", createElement(DistributionChart, { buckets: distribution([150_000n, 250_000n, 600_000n, 659_639n, 1_200_000n], 600_000n), lineFen: 600_000n, t: en })],
    ["trend", createElement(TrendChart, { points: many, t })],
  ] as const;
  for (const [name, el] of charts) {
    it(`${name}: every text is at least 12 px, and the SVG is drawn at its own size (viewBox = width × height)`, () => {
      const html = render(el);
      expect(sizes(html).length).toBeGreaterThan(3);
      for (const s of sizes(html)) expect(s).toBeGreaterThanOrEqual(12);
      const m = /<svg width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"/.exec(html)!;
      expect(m[1]).toBe(m[3]);
      expect(m[2]).toBe(m[4]);
      expect(Number(m[1])).toBeLessThanOrEqual(720);
      // a print style, scoped to the charts
      expect(html).toContain("@media print");
    });
  }
  it("trend: year labels and totals never overlap, even for many years", () => {
    const html = render(createElement(TrendChart, { points: many, t }));
    const years = [...html.matchAll(/<text x="([\d.]+)" y="[\d.]+" font-size="12" fill="#1f2328" text-anchor="middle">(\d{4})<\/text>/g)].map((m) => ({ x: Number(m[1]), w: textWidth(m[2]!, 12) }));
    expect(years.length).toBeGreaterThan(1);
    for (let i = 1; i < years.length; i++) expect(years[i - 1]!.x + years[i - 1]!.w / 2).toBeLessThan(years[i]!.x - years[i]!.w / 2);
  });
  it("has a legend for every series", () => {
    const trend = render(createElement(TrendChart, { points: many, t }));
    for (const k of ["WAGE", "OPERATING", "PROPERTY", "TRANSFER", "line"]) expect(trend).toContain(`data-legend="${k}"`);
    const dist = render(createElement(DistributionChart, { buckets: distribution([150_000n], 600_000n), lineFen: 600_000n, t }));
    for (const k of ["below", "near", "above", "line"]) expect(dist).toContain(`data-legend="${k}"`);
  });
});
