import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalog } from "~/i18n";
import {
  CATEGORY_NAMES,
  categoryFromText,
  categoryName,
  formatRiskTypes,
  MONITORING_CATEGORIES,
  parseRiskTypes,
  RISK_NAMES,
  RISK_TYPES,
  riskNames,
  riskTypesFromText,
} from "./monitoring";

describe("monitoring categories and risk types", () => {
  it("carry the same Chinese names as the catalog", () => {
    const zh = catalog("zh-CN");
    for (const c of MONITORING_CATEGORIES) expect(zh[`monitoring.category.${c}`]).toBe(CATEGORY_NAMES[c]);
    for (const r of RISK_TYPES) expect(zh[`monitoring.risk.${r}`]).toBe(RISK_NAMES[r]);
  });
  it("read the names an import file uses", () => {
    expect(categoryFromText("脱贫不稳定户")).toBe("UNSTABLE");
    expect(categoryFromText(" 边缘易致贫 ")).toBe("MARGINAL");
    expect(categoryFromText("sudden")).toBe("SUDDEN");
    expect(categoryFromText("困难户")).toBeNull();
    expect(riskTypesFromText("因病、因学，务工就业不稳")).toEqual({ types: ["ILLNESS", "EDUCATION", "EMPLOYMENT"], unknown: [] });
    expect(riskTypesFromText("因灾,其它;因懒")).toEqual({ types: ["DISASTER", "OTHER"], unknown: ["因懒"] });
  });
  it("print for the income pages", () => {
    expect(categoryName("MARGINAL")).toBe("边缘易致贫户");
    expect(categoryName(null)).toBe("");
    expect(riskNames("EDUCATION,ILLNESS")).toBe("因病、因学");
  });
  it("property: stored risk types read back as the same set, in the standard order, each once", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...RISK_TYPES, "BOGUS")), (types) => {
        const stored = formatRiskTypes(types);
        const back = parseRiskTypes(stored);
        expect(new Set(back)).toEqual(new Set(types.filter((t) => t !== "BOGUS")));
        expect(back).toEqual(RISK_TYPES.filter((r) => back.includes(r)));
        expect(formatRiskTypes(back)).toBe(stored);
        // the Chinese names, joined as an import writes them, read back the same
        expect(riskTypesFromText(back.map((r) => RISK_NAMES[r]).join("、")).types).toEqual(back);
      }),
    );
  });
});
