import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkCreditCode, creditCheckChar, makeCreditCode, normalizeCreditCode } from "./credit-code";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

describe("creditCheckChar", () => {
  it("matches a real-world code", () => {
    // 91350100M000100Y43: check character verified by hand with the
    // GB 32100 weights (sum 1640, 1640 mod 31 = 28, 31 − 28 = 3).
    expect(creditCheckChar("91350100M000100Y4")).toBe("3");
  });

  it("maps a remainder of 0 to '0'", () => {
    expect(creditCheckChar("00000000000000000")).toBe("0");
  });

  it("throws on bad input", () => {
    expect(() => creditCheckChar("91350100M000100Y")).toThrow(RangeError);
    expect(() => creditCheckChar("91350100M000100I4")).toThrow(RangeError);
    expect(() => creditCheckChar("91350100m000100y4")).toThrow(RangeError);
  });
});

describe("checkCreditCode", () => {
  it("accepts a real-world code and reports its parts", () => {
    expect(checkCreditCode("91350100M000100Y43")).toEqual({
      ok: true,
      code: "91350100M000100Y43",
      registrationAuthority: "9",
      organizationType: "91",
      areaCode: "350100",
    });
  });

  it("accepts a computed cooperative code in Mudan District", () => {
    const code = makeCreditCode("93371702MA3C4XY1K");
    const r = checkCreditCode(code);
    expect(r).toMatchObject({ ok: true, organizationType: "93", areaCode: "371702" });
  });

  it("upper-cases and trims", () => {
    const r = checkCreditCode("  91350100m000100y43 ");
    expect(r.ok && r.code).toBe("91350100M000100Y43");
  });

  it.each([
    ["", "credit.required"],
    ["  ", "credit.required"],
    ["91350100M000100Y4", "credit.length"],
    ["91350100M000100Y433", "credit.length"],
    ["91350100I000100Y43", "credit.charset"], // I is excluded
    ["91350100O000100Y43", "credit.charset"], // O is excluded
    ["91350100S000100Y43", "credit.charset"],
    ["91350100V000100Y43", "credit.charset"],
    ["91350100Z000100Y43", "credit.charset"],
    ["91350100-000100Y43", "credit.charset"],
    ["91350100M000100Y44", "credit.checksum"],
    ["91350100M000100Y34", "credit.checksum"],
  ])("rejects %j with %s", (input, error) => {
    expect(checkCreditCode(input)).toEqual({ ok: false, error });
  });

  it("tolerates null and undefined", () => {
    expect(checkCreditCode(null)).toEqual({ ok: false, error: "credit.required" });
    expect(checkCreditCode(undefined)).toEqual({ ok: false, error: "credit.required" });
  });

  it("property: every made code validates and any single substitution is caught", () => {
    const body = fc.array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 }).map((a) => a.join(""));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (first17, pos, delta) => {
        const code = makeCreditCode(first17);
        expect(checkCreditCode(code).ok).toBe(true);
        const replaced = ALPHABET[(ALPHABET.indexOf(code[pos]!) + delta) % 31]!;
        const changed = code.slice(0, pos) + replaced + code.slice(pos + 1);
        expect(checkCreditCode(changed)).toEqual({ ok: false, error: "credit.checksum" });
      }),
    );
  });
});

describe("makeCreditCode / normalizeCreditCode", () => {
  it("accepts lower-case input", () => {
    expect(makeCreditCode("91350100m000100y4")).toBe("91350100M000100Y43");
    expect(normalizeCreditCode(null)).toBe("");
  });

  it("throws on malformed bodies", () => {
    expect(() => makeCreditCode("ABC")).toThrow(RangeError);
  });
});
