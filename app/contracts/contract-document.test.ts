import { describe, expect, it } from "vitest";
import {
  contractTitle,
  monthDayZh,
  paymentTimingShort,
  paymentTimingText,
  rentStandardText,
  stepText,
  termYears,
  yuanWithCapitals,
  zh,
  FORM_ZH,
} from "./contract-document";
import { dateZh } from "~/lib/dates";

describe("contract wording", () => {
  it("dates and month-days in Chinese, blanks when unknown", () => {
    expect(dateZh("2026-04-01")).toBe("2026年4月1日");
    expect(dateZh(null)).toBe("______年____月____日");
    expect(monthDayZh("12-31")).toBe("12月31日");
  });

  it("amounts in figures and capitals", () => {
    expect(yuanWithCapitals(1224000n)).toBe("人民币 12,240.00 元（大写：壹万贰仟贰佰肆拾元整）");
    expect(yuanWithCapitals(32504n)).toBe("人民币 325.04 元（大写：叁佰贰拾伍元零肆分）");
  });

  it("rent standard, step and payment timing", () => {
    expect(rentStandardText({ kind: "CASH", yuanPerMu: "1800" })).toBe("1,800.00 元/亩/年");
    expect(rentStandardText({ kind: "IN_KIND", crop: "CORN", jinPerMu: "1100", priceBasis: "MINIMUM_PURCHASE" })).toBe(
      "玉米 1100 斤/亩/年（按当年国家最低收购价折价）",
    );
    expect(stepText({ percent: "5", everyYears: 3 })).toBe("每 3 年递增 5%");
    expect(stepText({ percent: "0", everyYears: 3 })).toBe("");
    expect(stepText(null)).toBe("");
    expect(paymentTimingShort("YEARLY", { monthDay: "12-31" })).toBe("每年定期支付（12月31日）");
    expect(paymentTimingShort("ONCE")).toBe("一次性支付");
    expect(paymentTimingText("INSTALMENTS", { perYear: 4 })).toContain("分 4 期");
  });

  it("titles by form, words for unknown codes fall back to the code", () => {
    expect(contractTitle("LEASE")).toBe("农村土地经营权出租合同");
    expect(contractTitle("EQUITY")).toBe("农村土地经营权入股合同");
    expect(contractTitle("SWAP")).toBe("农村土地经营权流转合同");
    expect(zh(FORM_ZH, "LEASE")).toBe("出租");
    expect(zh(FORM_ZH, "NEW_FORM")).toBe("NEW_FORM");
    expect(zh(FORM_ZH, null)).toBe("");
  });

  it("term in whole years", () => {
    expect(termYears("2026-04-01", "2036-03-31")).toBe(10);
    expect(termYears("2024-02-29", "2025-02-27")).toBe(1);
    expect(termYears("2026-04-01", "2036-04-15")).toBeNull();
    expect(termYears("2026-04-01", "2026-12-31")).toBeNull();
  });
});
