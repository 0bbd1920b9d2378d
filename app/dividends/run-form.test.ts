import { describe, expect, it } from "vitest";
import { grouped, shortWeight } from "./run-view";
import { parseRunForm } from "./run-form";

describe("run form", () => {
  const base = { year: "2025", income: "100000", cost: "20000", providentPercent: "10", riskPercent: "5", guaranteePerShare: "1000", noticeDays: "7" };
  it("reads yuan into fen and keeps percents as text", () => {
    const r = parseRunForm(base, "LAND_SHARE", 2026);
    expect(r.ok && r.value.incomeFen).toBe(10_000_000n);
    expect(r.ok && r.value.guaranteePerShare).toBe("1000.00");
  });
  it("refuses under 60% by transactions for professional cooperatives", () => {
    const r = parseRunForm({ ...base, transactionPercent: "59.99" }, "PROFESSIONAL", 2026);
    expect(r.ok ? null : r.errors.transactionPercent).toEqual({ key: "dividend.transactionPercentTooLow" });
  });
  it("refuses a future year, bad money and a missing guarantee", () => {
    const r = parseRunForm({ ...base, year: "2027", income: "-1", guaranteePerShare: "" }, "LAND_SHARE", 2026);
    expect(r.ok ? null : Object.keys(r.errors).sort()).toEqual(["guaranteePerShare", "income", "year"]);
  });
  it("refuses every amount above 10亿元 with money.tooLarge, and a year of 20 digits (regression: a 500)", () => {
    const huge = "99999999999999999999";
    const r = parseRunForm({ ...base, income: huge, cost: huge, guaranteePerShare: huge, year: huge }, "LAND_SHARE", 2026);
    expect(r.ok ? null : r.errors).toMatchObject({ income: { key: "money.tooLarge" }, cost: { key: "money.tooLarge" }, guaranteePerShare: { key: "money.tooLarge" }, year: { key: "dividend.yearInvalid" } });
    const edge = parseRunForm({ ...base, income: "1000000000", cost: "1000000000.01" }, "LAND_SHARE", 2026);
    expect(edge.ok ? null : edge.errors).toEqual({ cost: { key: "money.tooLarge" } });
  });
});

describe("display", () => {
  it("groups thousands and shortens weights", () => {
    expect(grouped("1200000.00")).toBe("1,200,000.00");
    expect(grouped("-1234.50")).toBe("-1,234.50");
    expect(shortWeight("2.506849315068")).toBe("2.5068…");
    expect(shortWeight("16")).toBe("16");
  });
});
