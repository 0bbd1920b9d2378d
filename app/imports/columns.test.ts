import { describe, expect, it } from "vitest";
import { checkIdNumber } from "~/registry/id-number";
import { COLUMNS, EXAMPLE_HEAD_ID, EXAMPLE_PARCEL_CODE, EXAMPLE_TRANSFEREE_ID, IMPORT_KINDS, excelSerialToDate, isKnownHeading, mapHeadings, normalizeHeading, parseImportDate, parseMonthDay, parseYear } from "./columns";
import { findGroup, looksLikeLostDigits, lookupWord, parseSmallNumber, parseTiming, RELATION_WORDS, STATUS_WORDS } from "./values";

describe("mapHeadings", () => {
  it("maps the common heading variants of a household roster", () => {
    const m = mapHeadings("HOUSEHOLDS", ["户号", "组别", "户主", "户主身份证号码", "成员姓名", "关系", "公民身份号码", "劳动能力", "手机号", "住址", "开户行", "一卡通账号", "户属性", "脱贫年份"]);
    expect(m.index).toEqual({
      code: 0,
      group: 1,
      headName: 2,
      headIdNumber: 3,
      name: 4,
      relation: 5,
      idNumber: 6,
      ableToWork: 7,
      phone: 8,
      address: 9,
      bankName: 10,
      bankAccount: 11,
      status: 12,
      statusYear: 13,
    });
    expect(m.missingRequired).toEqual([]);
    expect(m.unknown).toEqual([]);
  });

  it("ignores spaces, full-width brackets, units, * markers and line breaks in headings", () => {
    expect(normalizeHeading(" 合同面积（亩）* ")).toBe("合同面积");
    expect(normalizeHeading("身份证 号码(必填)")).toBe("身份证号码");
    const m = mapHeadings("PLOTS", ["地块代码*", "农户编码", "地块名称", "确权面积（亩）", "实际面积(亩)", "承包期至"]);
    expect(m.index).toMatchObject({ parcelCode: 0, householdCode: 1, name: 2, contractArea: 3, measuredArea: 4, contractEnd: 5 });
    expect(m.missingRequired).toEqual([]);
    expect(mapHeadings("HOUSEHOLDS", ["证件号码", "姓名"]).index).toEqual({ idNumber: 0, name: 1 });
  });

  it("reports missing required columns, unknown and duplicate headings", () => {
    const m = mapHeadings("HOUSEHOLDS", ["姓名", "身份证号", "身份证号码", "鞋码", "", "序号"]);
    expect(m.missingRequired.map((c) => c.heading)).toEqual(["村民小组", "与户主关系"]);
    expect(m.unknown).toEqual(["鞋码"]);
    expect(m.duplicate).toEqual(["身份证号码"]);
    expect(m.index.idNumber).toBe(1);
  });

  it("ignores the row-number and error columns of its own error file", () => {
    const m = mapHeadings("HOUSEHOLDS", ["村民小组", "姓名", "与户主关系", "身份证号", "行号", "错误说明"]);
    expect(m.unknown).toEqual([]);
    expect(Object.keys(m.index)).toHaveLength(4);
  });

  it("knows every heading of every kind, and no kind has two columns claiming the same heading", () => {
    for (const kind of IMPORT_KINDS) {
      const seen = new Map<string, string>();
      for (const spec of COLUMNS[kind]) {
        for (const h of [spec.heading, ...spec.variants]) {
          const n = normalizeHeading(h);
          expect(seen.get(n) ?? spec.key, `${kind} ${h}`).toBe(spec.key);
          seen.set(n, spec.key);
          expect(isKnownHeading(h)).toBe(true);
        }
      }
    }
    expect(isKnownHeading("鲁谢庄村农户花名册")).toBe(false);
  });

  it("uses valid example codes", () => {
    expect(checkIdNumber(EXAMPLE_HEAD_ID).ok).toBe(true);
    expect(checkIdNumber(EXAMPLE_TRANSFEREE_ID).ok).toBe(true);
    expect(EXAMPLE_PARCEL_CODE).toMatch(/^\d{19}$/);
  });
});

describe("parseImportDate", () => {
  it.each([
    ["2024-01-05", "2024-01-05"],
    ["2024/1/5", "2024-01-05"],
    ["2024.1.5", "2024-01-05"],
    ["2024年1月5日", "2024-01-05"],
    ["2024 年 1 月 5 日", "2024-01-05"],
    ["20240105", "2024-01-05"],
    ["２０２４－０１－０５", "2024-01-05"],
    ["2024-01-05 00:00:00", "2024-01-05"],
    ["45292", "2024-01-01"],
    ["45292.75", "2024-01-01"],
    ["18264", "1950-01-01"],
    ["73415", "2100-12-31"],
  ])("reads %s", (text, date) => {
    expect(parseImportDate(text)).toBe(date);
  });

  it.each(["", "2024-02-30", "2023/2/29", "20241301", "18263", "73416", "1.5", "明年", "5/1/2024"])("refuses %s", (text) => {
    expect(parseImportDate(text)).toBeNull();
  });

  it("counts Excel serials as Excel does, across the 1900 leap-year bug", () => {
    expect(excelSerialToDate(61)).toBeNull(); // outside the sane range
    expect(excelSerialToDate(36526)).toBe("2000-01-01");
    expect(excelSerialToDate(43831)).toBe("2020-01-01");
    expect(excelSerialToDate(44197)).toBe("2021-01-01");
  });

  it("reads month-days and years", () => {
    expect(parseMonthDay("12-31")).toBe("12-31");
    expect(parseMonthDay("12月31日")).toBe("12-31");
    expect(parseMonthDay("3/1")).toBe("03-01");
    expect(parseMonthDay("1231")).toBe("12-31");
    expect(parseMonthDay("2-30")).toBeNull();
    expect(parseMonthDay("2026-12-31")).toBe("12-31");
    expect(parseYear("2019")).toBe(2019);
    expect(parseYear("2019年")).toBe(2019);
    expect(parseYear("2019-12")).toBe(2019);
    expect(parseYear("43831")).toBe(2020);
    expect(parseYear("去年")).toBeNull();
  });
});

describe("cell values", () => {
  it("reads relations, statuses and payment timings as villages write them", () => {
    expect(lookupWord(RELATION_WORDS, "户主")).toBe("HEAD");
    expect(lookupWord(RELATION_WORDS, "妻")).toBe("SPOUSE");
    expect(lookupWord(RELATION_WORDS, "长子")).toBe("SON");
    expect(lookupWord(RELATION_WORDS, "女儿")).toBe("DAUGHTER");
    expect(lookupWord(RELATION_WORDS, " 儿媳 ")).toBe("DAUGHTER_IN_LAW");
    expect(lookupWord(RELATION_WORDS, "SPOUSE")).toBe("SPOUSE");
    expect(lookupWord(RELATION_WORDS, "邻居")).toBeNull();
    expect(lookupWord(STATUS_WORDS, "普通户")).toBe("ORDINARY");
    expect(lookupWord(STATUS_WORDS, "脱贫户")).toBe("ALLEVIATED");
    expect(lookupWord(STATUS_WORDS, "监测对象")).toBe("MONITORED");
    expect(parseTiming("按季度")).toEqual({ timing: "INSTALMENTS", perYear: 4 });
    expect(parseTiming("每年定期支付")).toEqual({ timing: "YEARLY", perYear: null });
  });

  it("finds villager groups by number, Chinese numeral or name", () => {
    const groups = [
      { id: 1, number: "01", name: "第一村民小组" },
      { id: 3, number: "03", name: "三组" },
      { id: 12, number: 12, name: "东街" },
    ];
    expect(findGroup("1", groups)?.id).toBe(1);
    expect(findGroup("01", groups)?.id).toBe(1);
    expect(findGroup("第3组", groups)?.id).toBe(3);
    expect(findGroup("三组", groups)?.id).toBe(3);
    expect(findGroup("第三村民小组", groups)?.id).toBe(3);
    expect(findGroup("十二组", groups)?.id).toBe(12);
    expect(findGroup("东街", groups)?.id).toBe(12);
    expect(findGroup("5", groups)).toBeNull();
    expect(parseSmallNumber("二十三")).toBe(23);
    expect(parseSmallNumber("十")).toBe(10);
  });

  it("recognises numbers whose digits Excel has lost", () => {
    expect(looksLikeLostDigits("371702198001011000")).toBe(true);
    expect(looksLikeLostDigits("3.71702E+17")).toBe(true);
    expect(looksLikeLostDigits("371702198001011234")).toBe(false);
    expect(looksLikeLostDigits("13853012345")).toBe(false);
  });
});
