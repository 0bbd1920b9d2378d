import { describe, expect, it } from "vitest";
import { prefillIncome } from "./dividend-income";
import { groupFigures, reportYears, yearFigures, type HarvestFact } from "./yield-report";

const fact = (over: Partial<HarvestFact>): HarvestFact => ({ plotId: 1, year: 2025, crop: "PEACH", variety: "黄桃", cooperativeId: 1, quantityKg: "0", salesFen: 0n, ...over });
const areas: Record<number, string> = { 1: "10.00", 2: "5.50", 3: "4.50" };
const areaOf = (id: number) => areas[id] ?? "0";

describe("yield figures", () => {
  const facts = [
    // Plot 1 picked twice in 2025: its area counts once.
    fact({ plotId: 1, quantityKg: "800.00", salesFen: 120000n }),
    fact({ plotId: 1, quantityKg: "700.50", salesFen: 105075n }),
    fact({ plotId: 2, quantityKg: "1000.00", salesFen: 300000n, crop: "PEAR", variety: "酥梨", cooperativeId: null }),
    fact({ plotId: 1, year: 2024, quantityKg: "1200.00", salesFen: 180000n }),
    fact({ plotId: 3, year: 2023, quantityKg: "450.00", salesFen: 0n, variety: "" }),
    fact({ plotId: 1, year: 2019, quantityKg: "9999.00" }),
  ];

  it("sums kg, sales and the area of each plot once, per year", () => {
    const [y25, y24, y23] = yearFigures(facts, areaOf, reportYears(2025));
    expect(y25).toMatchObject({ year: 2025, records: 3, kg: "2500.50", areaMu: "15.50", plots: 2, kgPerMu: "161.32", jinPerMu: "322.65", salesFen: 525075n });
    expect(y24).toMatchObject({ year: 2024, records: 1, kg: "1200.00", areaMu: "10.00", kgPerMu: "120.00", salesFen: 180000n });
    expect(y23).toMatchObject({ year: 2023, records: 1, kg: "450.00", areaMu: "4.50", kgPerMu: "100.00" });
    // 161.32… / 120 = +34.4%; 2023 has no year before it in the report.
    expect(y25!.change).toBe("+34.4");
    expect(y24!.change).toBe("+20.0");
    expect(y23!.change).toBeNull();
  });

  it("shows an empty year as nothing, not as zero yield", () => {
    const [y27, y26] = yearFigures(facts, areaOf, reportYears(2027));
    expect(y27).toMatchObject({ records: 0, kg: "0.00", areaMu: "0.00", kgPerMu: null, change: null });
    expect(y26!.kgPerMu).toBeNull();
  });

  it("groups by plot, by crop and variety, and by cooperative", () => {
    const years = reportYears(2025);
    expect([...groupFigures("plot", facts, areaOf, years).keys()].sort()).toEqual(["1", "2", "3"]);
    const byVariety = groupFigures("variety", facts, areaOf, years);
    expect([...byVariety.keys()].sort()).toEqual(["PEACH|", "PEACH|黄桃", "PEAR|酥梨"]);
    expect(byVariety.get("PEACH|黄桃")![0]).toMatchObject({ kg: "1500.50", areaMu: "10.00", kgPerMu: "150.05" });
    const byCoop = groupFigures("cooperative", facts, areaOf, years);
    expect(byCoop.get("none")![0]).toMatchObject({ kg: "1000.00", salesFen: 300000n, kgPerMu: "181.82" });
    expect(byCoop.get("1")![0]).toMatchObject({ records: 2, kg: "1500.50" });
  });
});

describe("the dividend run's income from harvest sales", () => {
  const harvest = { sales: "52500.75", records: 3 };

  it("pre-fills an income the accountant has not typed", () => {
    expect(prefillIncome({}, harvest)).toEqual({ income: "52500.75", harvestIncome: "52500.75" });
    expect(prefillIncome({ income: " " }, harvest)).toEqual({ income: "52500.75", harvestIncome: "52500.75" });
  });

  it("keeps a typed income", () => {
    expect(prefillIncome({ income: "60000", harvestIncome: "52500.75" }, harvest)).toEqual({ income: "60000", harvestIncome: "" });
  });

  it("refreshes its own pre-fill when the year changes", () => {
    expect(prefillIncome({ income: "40000.00", harvestIncome: "40000.00" }, harvest)).toEqual({ income: "52500.75", harvestIncome: "52500.75" });
    // A year without harvests drops the other year's figure rather than pass it off as this year's.
    expect(prefillIncome({ income: "40000.00", harvestIncome: "40000.00" }, { sales: "0.00", records: 0 })).toEqual({ income: "", harvestIncome: "" });
    expect(prefillIncome({}, { sales: "0.00", records: 0 })).toEqual({ income: undefined, harvestIncome: "" });
  });
});
