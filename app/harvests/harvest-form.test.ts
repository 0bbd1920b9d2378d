import { describe, expect, it } from "vitest";
import { changePercent, checkHarvestDate, parseHarvestForm, parseQuantity, salesFromPrice, toKg, yieldPerMu, type RawHarvestForm } from "./harvest-form";

const ctx = { today: "2025-09-30", plot: { variety: "黄桃", areaMu: "10.00" } };
const form = (over: RawHarvestForm = {}): RawHarvestForm => ({ plotId: "7", harvestedOn: "2025-07-15", quantity: "3000", unit: "JIN", ...over });
const ok = (raw: RawHarvestForm, c = ctx) => {
  const r = parseHarvestForm(raw, c);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const errorKeys = (raw: RawHarvestForm) => {
  const r = parseHarvestForm(raw, ctx);
  return r.ok ? {} : Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.key]));
};

describe("quantities", () => {
  it("converts jin to kg exactly and keeps what was typed", () => {
    const v = ok(form({ quantity: "2,501.5", unit: "JIN" }));
    expect(v.quantityKg).toBe("1250.75");
    expect(v.enteredQuantity).toBe("2501.5");
    expect(v.enteredUnit).toBe("JIN");
    expect(toKg("0.1", "JIN").toFixed(2)).toBe("0.05");
  });

  it("stores kg with two decimals", () => {
    const v = ok(form({ quantity: "1500", unit: "KG" }));
    expect(v.quantityKg).toBe("1500.00");
    expect(v.enteredQuantity).toBe("1500");
    expect(ok(form({ quantity: "12.5公斤", unit: "KG" })).quantityKg).toBe("12.50");
  });

  it("refuses zero, negative, malformed and over-precise quantities", () => {
    expect(errorKeys(form({ quantity: "" })).quantity).toBe("harvest.field.quantity.required");
    expect(errorKeys(form({ quantity: "0" })).quantity).toBe("harvest.field.quantity.nonpositive");
    expect(errorKeys(form({ quantity: "-5" })).quantity).toBe("harvest.field.quantity.nonpositive");
    expect(errorKeys(form({ quantity: "1e3" })).quantity).toBe("harvest.field.quantity.malformed");
    expect(errorKeys(form({ quantity: "30,00" })).quantity).toBe("harvest.field.quantity.malformed");
    // Two decimals of jin would be a third decimal of kg.
    expect(errorKeys(form({ quantity: "10.25", unit: "JIN" })).quantity).toBe("harvest.field.quantity.precisionJIN");
    expect(errorKeys(form({ quantity: "10.125", unit: "KG" })).quantity).toBe("harvest.field.quantity.precisionKG");
    // Trailing zeros are no extra precision.
    expect(ok(form({ quantity: "10.50", unit: "JIN" })).quantityKg).toBe("5.25");
    expect(parseQuantity("1.230", 2)).toMatchObject({ ok: true, text: "1.230" });
  });

  it("refuses a quantity no orchard yields, which is a typo or the wrong unit", () => {
    // 10 mu at 10,000 kg/mu is the most; 200,001 jin is just above.
    expect(ok(form({ quantity: "100000", unit: "KG" })).quantityKg).toBe("100000.00");
    expect(errorKeys(form({ quantity: "200001", unit: "JIN" })).quantity).toBe("harvest.field.quantity.implausible");
    expect(errorKeys(form({ quantity: "x", unit: "TON" }))).toEqual({ unit: "harvest.field.unit.invalid" });
  });
});

describe("dates", () => {
  it("takes a real date up to today and derives the year", () => {
    const v = ok(form({ harvestedOn: "2024/8/3" }));
    expect(v.harvestedOn).toBe("2024-08-03");
    expect(v.year).toBe(2024);
    expect(ok(form({ harvestedOn: "2025-09-30" })).year).toBe(2025);
  });

  it("refuses the future, impossible days and missing dates", () => {
    expect(checkHarvestDate("2025-10-01", "2025-09-30").error).toEqual({ key: "harvest.field.date.future", params: { today: "2025-09-30" } });
    expect(checkHarvestDate("2025-02-29", "2025-09-30").error?.key).toBe("harvest.field.date.invalid");
    expect(checkHarvestDate("", "2025-09-30").error?.key).toBe("harvest.field.date.required");
    expect(checkHarvestDate("1999-07-01", "2025-09-30").error?.key).toBe("harvest.field.date.tooEarly");
    expect(checkHarvestDate("2024年7月8日", "2025-09-30").value).toBe("2024-07-08");
  });
});

describe("variety, grade and the rest", () => {
  it("defaults the variety to the plot's", () => {
    expect(ok(form()).variety).toBe("黄桃");
    expect(ok(form({ variety: "油桃" })).variety).toBe("油桃");
  });

  it("stores grades as codes and accepts no grade", () => {
    expect(ok(form({ grade: "FIRST" })).grade).toBe("FIRST");
    expect(ok(form()).grade).toBe("");
    expect(errorKeys(form({ grade: "一级" })).grade).toBe("harvest.field.grade.invalid");
  });

  it("names every problem at once, each under its field", () => {
    expect(errorKeys({ plotId: "abc", harvestedOn: "2025-13-01", quantity: "", unit: "JIN", price: "-1", sales: "1.234", buyer: "x".repeat(61) })).toEqual({
      plotId: "harvest.field.plot.required",
      harvestedOn: "harvest.field.date.invalid",
      quantity: "harvest.field.quantity.required",
      price: "harvest.field.price.negative",
      sales: "harvest.field.sales.precision",
      buyer: "harvest.field.buyer.tooLong",
    });
  });
});

describe("price and sales income", () => {
  it("computes the income from the price in the price's unit, half-up to the fen", () => {
    // 3000 jin at 1.5 yuan/jin
    expect(ok(form({ price: "1.5", priceUnit: "JIN" })).salesFen).toBe(450000n);
    // 3000 jin = 1500 kg at 3.1 yuan/kg
    expect(ok(form({ price: "3.1", priceUnit: "KG" })).salesFen).toBe(465000n);
    // 123.5 jin = 61.75 kg at 0.37 yuan/kg = 22.8475 → 22.85
    const v = ok(form({ quantity: "123.5", price: "0.37", priceUnit: "KG" }));
    expect(v.salesFen).toBe(2285n);
    expect(v.salesTyped).toBe(false);
    expect(salesFromPrice("0.25", "0.01", "KG")).toBe(0n);
    expect(salesFromPrice("0.5", "0.01", "KG")).toBe(1n);
  });

  it("keeps a typed income, as buyers pay round sums", () => {
    const v = ok(form({ price: "1.5", sales: "4,480" }));
    expect(v.salesFen).toBe(448000n);
    expect(v.salesTyped).toBe(true);
    expect(v.price).toBe("1.5");
  });

  it("has no income without a price or a typed sum, and a price of 0 is allowed", () => {
    expect(ok(form()).salesFen).toBe(0n);
    expect(ok(form()).price).toBe("");
    expect(ok(form({ price: "0" })).salesFen).toBe(0n);
    expect(ok(form({ price: "1.50元/斤" })).price).toBe("1.5");
  });
});

describe("yield per mu and year-over-year change", () => {
  it("divides kg by the plot's area, in kg and jin", () => {
    expect(yieldPerMu("1500", "10")).toEqual({ kgPerMu: "150.00", jinPerMu: "300.00" });
    expect(yieldPerMu("1000", "3")).toEqual({ kgPerMu: "333.33", jinPerMu: "666.67" });
    expect(yieldPerMu("1000", "0")).toBeNull();
  });

  it("gives the change in percent, and nothing when the earlier year had no harvest", () => {
    expect(changePercent("1650", "1500")).toBe("+10.0");
    expect(changePercent("1000", "1500")).toBe("-33.3");
    expect(changePercent("1500", "1500")).toBe("0.0");
    expect(changePercent("1500", null)).toBeNull();
    expect(changePercent(null, "1500")).toBeNull();
    expect(changePercent("1500", "0")).toBeNull();
  });
});

describe("amount bounds (issue 11, item 11)", () => {
  it("refuses a price or an income beyond its bound with a message next to the field", () => {
    expect(errorKeys(form({ price: "10000.01" }))).toEqual({ price: "harvest.field.price.tooLarge" });
    expect(errorKeys(form({ price: "99999999999999999999" }))).toEqual({ price: "harvest.field.price.tooLarge" });
    expect(errorKeys(form({ sales: "99999999999999999999" }))).toEqual({ sales: "harvest.field.sales.tooLarge" });
    expect(errorKeys(form({ sales: "1000000000.01" }))).toEqual({ sales: "harvest.field.sales.tooLarge" });
    expect(ok(form({ sales: "1000000000" })).salesFen).toBe(100_000_000_000n);
    // each within its bound, the product not: 10,000,000 kg at 10,000 yuan a jin
    const big = { ...ctx, plot: { variety: "黄桃", areaMu: "100000" } };
    const r = parseHarvestForm(form({ quantity: "10000000", unit: "KG", price: "10000", priceUnit: "JIN" }), big);
    expect(r.ok ? null : r.errors).toEqual({ price: { key: "harvest.field.sales.tooLarge" } });
  });
});
