import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPattern, DEFAULT_FILING_PATTERN, effectivePattern, filingPrefix, nextFilingNumber, parseFilingSeq, renderFilingNumber } from "./filing-number";

const P = "牡丹小留流转〔{year}〕{seq:3}号";
const ctx = { year: 2026, village: "鲁谢庄村", township: "小留镇" };

describe("filing numbers", () => {
  it("renders and reads back the pattern's tokens", () => {
    expect(renderFilingNumber(P, ctx, 7)).toBe("牡丹小留流转〔2026〕007号");
    expect(renderFilingNumber(P, ctx, 1234)).toBe("牡丹小留流转〔2026〕1234号");
    expect(renderFilingNumber("{village}{year}-{seq:2}", ctx, 3)).toBe("鲁谢庄村2026-03");
    expect(parseFilingSeq(P, ctx, "牡丹小留流转〔2026〕007号")).toBe(7);
    expect(parseFilingSeq(P, ctx, "牡丹小留流转〔2025〕007号")).toBeNull();
    expect(parseFilingSeq(P, ctx, "牡丹小留流转〔2026〕E2E号")).toBeNull();
    expect(parseFilingSeq(P, ctx, "牡丹小留流转〔2026〕07号")).toBeNull();
    expect(filingPrefix(P, ctx)).toBe("牡丹小留流转〔2026〕");
  });
  it("uses the default for an empty or broken pattern", () => {
    expect(effectivePattern("")).toBe(DEFAULT_FILING_PATTERN);
    expect(effectivePattern("{seq}{seq}")).toBe(DEFAULT_FILING_PATTERN);
    expect(renderFilingNumber("", ctx, 1)).toBe("小留镇流转备〔2026〕0001号");
  });
  it("checks a typed pattern", () => {
    expect(checkPattern(P)).toBeNull();
    expect(checkPattern("")).toBeNull();
    expect(checkPattern("牡丹〔{year}〕号")).toBe("filing.patternSeq");
    expect(checkPattern("{seq:3}{seq:2}")).toBe("filing.patternSeq");
    expect(checkPattern("{yaer}{seq:3}")).toBe("filing.patternToken");
    expect(checkPattern("x".repeat(61) + "{seq}")).toBe("filing.patternTooLong");
  });
  it("suggests one past the year's largest sequence, ignoring other years and hand-made numbers", () => {
    expect(nextFilingNumber(P, ctx, [])).toBe("牡丹小留流转〔2026〕001号");
    expect(nextFilingNumber(P, ctx, ["牡丹小留流转〔2026〕004号", "牡丹小留流转〔2026〕002号", "牡丹小留流转〔2025〕090号", "手写1号"])).toBe("牡丹小留流转〔2026〕005号");
  });

  const patterns = fc.constantFrom(P, "", "{village}{year}-{seq:2}", "{seq}/{year}", "XL{year}{seq:5}", "{township}〔{year}〕第{seq:3}号");
  it("reads back every rendered sequence, and the suggestion is never a number already taken", () => {
    fc.assert(
      fc.property(patterns, fc.integer({ min: 2000, max: 2100 }), fc.array(fc.integer({ min: 1, max: 99_999 }), { maxLength: 30 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }), (p, year, seqs, junk) => {
        const c = { ...ctx, year };
        for (const s of seqs) expect(parseFilingSeq(p, c, renderFilingNumber(p, c, s))).toBe(s);
        const taken = [...seqs.map((s) => renderFilingNumber(p, c, s)), ...junk, ...seqs.map((s) => renderFilingNumber(p, { ...c, year: year + 1 }, s + 7))];
        const next = nextFilingNumber(p, c, taken);
        expect(taken).not.toContain(next);
        expect(parseFilingSeq(p, c, next)).toBe(Math.max(0, ...seqs) + 1);
        // issuing suggestions one after another gives distinct, increasing numbers
        const again = nextFilingNumber(p, c, [...taken, next]);
        expect(parseFilingSeq(p, c, again)).toBe(parseFilingSeq(p, c, next)! + 1);
      }),
      { numRuns: 300 },
    );
  });
});
