import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { translator } from "~/i18n";
import { birthDateOfId, explainNoMatch, idSuffixTerms, nameTerms, parseSearch } from "./search-terms";

describe("nameTerms", () => {
  it("stores every substring of a Chinese name", () => {
    expect(nameTerms("李小明").sort()).toEqual(["n:小", "n:小明", "n:明", "n:李", "n:李小", "n:李小明"].sort());
  });
  it("keeps long names bounded but still findable whole", () => {
    const terms = nameTerms("阿卜杜热合曼买买提");
    expect(terms).toContain("n:阿卜杜热合曼买买提");
    expect(terms.length).toBeLessThan(40);
  });
});

describe("parseSearch", () => {
  it("treats 18 characters as an ID number and upper-cases x", () => {
    expect(parseSearch("11010519491231002x")).toMatchObject({ kind: "exact", terms: ["i:11010519491231002X"] });
  });
  it("treats 11 digits starting with 1 as a mobile phone", () => {
    expect(parseSearch("13812345678")).toMatchObject({ kind: "exact", terms: ["p:13812345678"] });
  });
  it("matches partial numbers by prefix", () => {
    expect(parseSearch("371702198")).toMatchObject({ kind: "prefix", prefixes: ["i:371702198", "p:371702198"] });
  });
  it("requires every word to match the same household", () => {
    expect(parseSearch("李小明 李建国")).toMatchObject({ kind: "exact", terms: ["n:李小明", "n:李建国"] });
    expect(parseSearch("  ")).toEqual({ kind: "none" });
  });
});

describe("search by the end of an ID number or a birth date (issue 15)", () => {
  it("reads 4–6 characters as the end of an ID number, X included", () => {
    expect(parseSearch("1234")).toMatchObject({ kind: "exact", terms: ["s:1234"], criteria: [{ kind: "idSuffix", digits: "1234" }] });
    expect(parseSearch("02123x")).toMatchObject({ kind: "exact", terms: ["s:02123X"] });
    expect(parseSearch("谢 0014")).toMatchObject({ kind: "exact", terms: ["n:谢", "s:0014"] });
  });
  it("reads a birth date in every usual writing", () => {
    for (const q of ["1965-03-08", "19650308", "1965年3月8日", "1965/3/8", "1965.3.8", "1965 年 3 月 8 日", "1965-3-8"]) {
      expect(parseSearch(q), q).toMatchObject({ kind: "exact", terms: ["b:1965-03-08"], criteria: [{ kind: "birthDate", date: "1965-03-08" }] });
    }
  });
  it("says why it does not search: too few digits, a day that does not exist, a number start beside a name", () => {
    expect(parseSearch("123")).toEqual({ kind: "invalid", problem: { key: "search.idSuffixTooShort", params: { text: "123", count: 3 } } });
    expect(parseSearch("1965-02-30")).toMatchObject({ kind: "invalid", problem: { key: "search.dateInvalid" } });
    expect(parseSearch("1965年2月30日")).toMatchObject({ kind: "invalid", problem: { key: "search.dateInvalid" } });
    expect(parseSearch("谢 3717021")).toMatchObject({ kind: "invalid", problem: { key: "search.partialAlone" } });
    expect(parseSearch("12X4")).toMatchObject({ kind: "invalid", problem: { key: "search.numberUnreadable" } });
  });
  it("eight digits that are no date stay a number start", () => {
    expect(parseSearch("37170219")).toMatchObject({ kind: "prefix" });
    expect(parseSearch("19912345")).toMatchObject({ kind: "prefix" });
  });
  it("indexes the last 4, 5 and 6 characters and the birth date of an ID", () => {
    expect(idSuffixTerms("11010519491231002x")).toEqual(["s:002X", "s:1002X", "s:31002X"]);
    expect(birthDateOfId("11010519491231002X")).toBe("1949-12-31");
    expect(birthDateOfId("110105194913310021")).toBe("");
  });
  it("property: the terms of an ID number answer every search by its last 4–6 characters and its birth date", () => {
    const id = fc
      .record({ area: fc.integer({ min: 110000, max: 659999 }), day: fc.integer({ min: -25_000, max: 19_000 }), seq: fc.integer({ min: 0, max: 999 }), check: fc.constantFrom(..."0123456789X") })
      .map(({ area, day, seq, check }) => {
        const d = new Date(day * 86_400_000).toISOString().slice(0, 10);
        return { id: `${area}${d.replace(/-/g, "")}${String(seq).padStart(3, "0")}${check}`, birth: d };
      });
    fc.assert(
      fc.property(id, fc.integer({ min: 4, max: 6 }), fc.constantFrom("iso", "compact", "chinese", "slash"), ({ id, birth }, n, style) => {
        const terms = new Set([...idSuffixTerms(id), `b:${birthDateOfId(id)}`]);
        const suffix = parseSearch(id.slice(-n).toLowerCase());
        expect(suffix.kind === "exact" && suffix.terms.every((t) => terms.has(t))).toBe(true);
        const [y, m, d] = birth.split("-");
        const typed = { iso: birth, compact: `${y}${m}${d}`, chinese: `${y}年${Number(m)}月${Number(d)}日`, slash: `${y}/${Number(m)}/${Number(d)}` }[style];
        const date = parseSearch(typed);
        // compact dates before 1900 read as a number start, the others as the date
        if (style === "compact" && Number(y) < 1900) return;
        expect(date.kind === "exact" && date.terms.every((t) => terms.has(t))).toBe(true);
      }),
    );
  });
});

describe("explainNoMatch", () => {
  const t = translator("zh-CN");
  const criteria = (q: string) => {
    const p = parseSearch(q);
    return p.kind === "exact" || p.kind === "prefix" ? p.criteria : [];
  };
  it("names what was searched and how", () => {
    expect(explainNoMatch(criteria("1234"), false, t)).toBe("没有身份证号后 4 位为 1234 的户");
    expect(explainNoMatch(criteria("1965年3月8日"), false, t)).toBe("按出生日期 1965-03-08 未找到：没有成员在这一天出生的户");
    expect(explainNoMatch(criteria("谢 001X"), true, t)).toBe("没有成员姓名含“谢”，且身份证号后 4 位为 001X 的户（只在所选的村、小组、状态和监测类别中查找）");
    expect(t("search.idSuffixTooShort", { text: "12", count: 2 })).toContain("身份证号片段需至少 4 位");
  });
});
