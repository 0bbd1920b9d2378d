import { describe, expect, it } from "vitest";
import fc from "fast-check";
import DecimalBase from "decimal.js";
import {
  Decimal,
  formatYuan,
  fromFen,
  parseArea,
  MAX_AMOUNT_FEN,
  parseYuan,
  toCapitals,
  toFen,
  yuan,
} from "./money";

describe("Decimal", () => {
  it("is configured with precision 40 and ROUND_HALF_UP", () => {
    expect(Decimal.precision).toBe(40);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
  });

  it("does not reconfigure the shared decimal.js constructor", () => {
    expect(DecimalBase.precision).toBe(20);
  });

  it("interoperates with plain decimal.js instances", () => {
    expect(new Decimal(new DecimalBase("1.5")).plus(new DecimalBase("1")).toString()).toBe("2.5");
  });
});

describe("parseYuan", () => {
  it.each([
    ["48000", "48000"],
    ["48,000.00", "48000"],
    ["1409.5", "1409.5"],
    ["  325.04 ", "325.04"],
    ["0", "0"],
    ["0.05", "0.05"],
    ["1,234,567.89", "1234567.89"],
    ["¥100", "100"],
    ["￥ 1,000.5", "1000.5"],
    ["100元", "100"],
    ["1.230", "1.23"],
  ])("accepts %j", (input, expected) => {
    const r = parseYuan(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.toString()).toBe(expected);
  });

  it.each([
    ["", "money.required"],
    ["   ", "money.required"],
    ["abc", "money.malformed"],
    ["1e3", "money.malformed"],
    ["Infinity", "money.malformed"],
    ["0x10", "money.malformed"],
    ["4,8000", "money.malformed"],
    ["48,00", "money.malformed"],
    ["1.", "money.malformed"],
    [".5", "money.malformed"],
    ["1 000", "money.malformed"],
    ["+5", "money.malformed"],
    ["1.2.3", "money.malformed"],
    ["-", "money.malformed"],
    ["-abc", "money.malformed"],
    ["-5", "money.negative"],
    ["-0", "money.negative"],
    ["−5", "money.negative"],
    ["1.234", "money.precision"],
    ["0.001", "money.precision"],
    // the run income that answered 500 before an upper bound existed
    ["99999999999999999999", "money.tooLarge"],
    ["1000000000.01", "money.tooLarge"],
    ["1,000,000,001", "money.tooLarge"],
  ])("rejects %j with %s", (input, error) => {
    expect(parseYuan(input)).toEqual({ ok: false, error });
  });

  it("accepts the upper bound itself, and every accepted amount fits the fen bound", () => {
    expect(parseYuan("1000000000").ok).toBe(true);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.integer({ min: 0, max: 99 }), (yuan, fen) => {
        const r = parseYuan(`${yuan}.${String(fen).padStart(2, "0")}`);
        if (r.ok) expect(toFen(r.value) <= MAX_AMOUNT_FEN).toBe(true);
        else expect(r.error).toBe("money.tooLarge");
      }),
    );
  });

  it("tolerates null/undefined at runtime as required", () => {
    expect(parseYuan(undefined as unknown as string)).toEqual({ ok: false, error: "money.required" });
  });
});

describe("parseArea", () => {
  it("accepts areas in mu with at most 2 decimals", () => {
    const r = parseArea("12.35");
    expect(r.ok && r.value.toString()).toBe("12.35");
    const s = parseArea("1,260亩");
    expect(s.ok && s.value.toString()).toBe("1260");
  });

  it("requires a positive area by default", () => {
    expect(parseArea("0")).toEqual({ ok: false, error: "area.nonpositive" });
    expect(parseArea("0.00")).toEqual({ ok: false, error: "area.nonpositive" });
  });

  it("allows zero when requirePositive is false, never negatives", () => {
    const r = parseArea("0", { requirePositive: false });
    expect(r.ok && r.value.isZero()).toBe(true);
    expect(parseArea("-1", { requirePositive: false })).toEqual({ ok: false, error: "area.nonpositive" });
    expect(parseArea("-0", { requirePositive: false })).toEqual({ ok: false, error: "area.nonpositive" });
  });

  it.each([
    ["", "area.required"],
    ["abc", "area.malformed"],
    ["1e2", "area.malformed"],
    ["-3", "area.nonpositive"],
    ["1.234", "area.precision"],
  ])("rejects %j with %s", (input, error) => {
    expect(parseArea(input)).toEqual({ ok: false, error });
  });
});

describe("fen conversion", () => {
  it("converts yuan to fen exactly", () => {
    expect(toFen(new Decimal("48000"))).toBe(4_800_000n);
    expect(toFen(new Decimal("1409.5"))).toBe(140_950n);
    expect(toFen(new Decimal("0.01"))).toBe(1n);
    expect(toFen(new Decimal("-12.34"))).toBe(-1234n);
    expect(toFen(new Decimal("123456789012345678.99"))).toBe(12345678901234567899n);
  });

  it("rounds sub-fen amounts half up", () => {
    expect(toFen(new Decimal("3331.665"))).toBe(333_167n);
    expect(toFen(new Decimal("0.004"))).toBe(0n);
    expect(toFen(new Decimal("0.005"))).toBe(1n);
  });

  it("converts fen to yuan", () => {
    expect(fromFen(140_950n).toString()).toBe("1409.5");
    expect(fromFen(1).toString()).toBe("0.01");
    expect(fromFen("-250").toString()).toBe("-2.5");
    expect(fromFen(" 100 ").toString()).toBe("1");
  });

  it("rejects non-integer fen", () => {
    expect(() => fromFen(1.5)).toThrow(RangeError);
    expect(() => fromFen(2 ** 60)).toThrow(RangeError);
    expect(() => fromFen("1.5")).toThrow(RangeError);
    expect(() => fromFen("abc")).toThrow(RangeError);
  });

  it("round-trips any fen amount", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (fen) => {
        expect(toFen(fromFen(fen))).toBe(fen);
      }),
    );
  });
});

describe("formatYuan", () => {
  it.each([
    [new Decimal("48000"), "48,000.00"],
    [new Decimal("1409.5"), "1,409.50"],
    [new Decimal("0"), "0.00"],
    [new Decimal("999.995"), "1,000.00"],
    [new Decimal("-1234.5"), "-1,234.50"],
    [new Decimal("-0.001"), "0.00"],
    [new Decimal("1234567.891"), "1,234,567.89"],
    [4_800_000n, "48,000.00"],
    [5n, "0.05"],
    [-123_456n, "-1,234.56"],
  ] as const)("formats %s as %s", (value, expected) => {
    expect(formatYuan(value)).toBe(expected);
  });
});

describe("toCapitals", () => {
  it.each([
    // DOMAIN.md §4 examples
    ["325.04", "叁佰贰拾伍元零肆分"],
    ["1409.50", "壹仟肆佰零玖元伍角整"],
    ["6007.14", "陆仟零柒元壹角肆分"],
    ["16409.02", "壹万陆仟肆佰零玖元零贰分"],
    ["100200", "壹拾万零贰佰元整"],
    ["48000", "肆万捌仟元整"],
    ["10", "壹拾元整"],
    // zero and sub-yuan amounts
    ["0", "零元整"],
    ["0.00", "零元整"],
    ["0.05", "伍分"],
    ["0.50", "伍角整"],
    ["0.45", "肆角伍分"],
    ["0.01", "壹分"],
    // 亿
    ["100000000", "壹亿元整"],
    ["100000001", "壹亿零壹元整"],
    ["20001000", "贰仟万零壹仟元整"],
    // zero handling
    ["1", "壹元整"],
    ["15", "壹拾伍元整"],
    ["101", "壹佰零壹元整"],
    ["110", "壹佰壹拾元整"],
    ["1001", "壹仟零壹元整"],
    ["1010", "壹仟零壹拾元整"],
    ["1100", "壹仟壹佰元整"],
    ["10000", "壹万元整"],
    ["10001", "壹万零壹元整"],
    ["10010", "壹万零壹拾元整"],
    ["10100", "壹万零壹佰元整"],
    ["11000", "壹万壹仟元整"],
    ["100000", "壹拾万元整"],
    ["1000000", "壹佰万元整"],
    ["10000000", "壹仟万元整"],
    ["10010000", "壹仟零壹万元整"],
    ["110000000", "壹亿壹仟万元整"],
    ["100010000", "壹亿零壹万元整"],
    ["1000000000", "壹拾亿元整"],
    ["100000000000", "壹仟亿元整"],
    ["100000010000", "壹仟亿零壹万元整"],
    ["999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"],
    ["1000.50", "壹仟元伍角整"],
    ["100.05", "壹佰元零伍分"],
    ["10.10", "壹拾元壹角整"],
    ["2000.01", "贰仟元零壹分"],
    ["100000.00", "壹拾万元整"],
  ])("%s → %s", (amount, expected) => {
    expect(toCapitals(amount)).toBe(expected);
  });

  it("accepts Decimal instances", () => {
    expect(toCapitals(new Decimal("325.04"))).toBe("叁佰贰拾伍元零肆分");
    expect(toCapitals(new Decimal("-0"))).toBe("零元整");
  });

  it.each(["-5", "-0.01", "1.234", "0.001", "1000000000000", "abc", "NaN", "Infinity"])(
    "throws RangeError for %s",
    (amount) => {
      expect(() => toCapitals(amount)).toThrow(RangeError);
    },
  );

  it("never produces doubled 零, 零 before a unit, or 整 after 分", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 99_999_999_999_999n }), (fen) => {
        const text = toCapitals(fromFen(fen));
        expect(text).not.toMatch(/零零/);
        expect(text).not.toMatch(/零[元拾佰仟万亿角分]/);
        expect(text).not.toMatch(/亿万/);
        expect(text).not.toMatch(/分整/);
        expect(text.endsWith("整") || text.endsWith("分")).toBe(true);
      }),
    );
  });
});

describe("yuan (amounts for loaders)", () => {
  it("writes fen as a plain yuan string, and nothing for no amount", () => {
    expect(yuan(123456n)).toBe("1234.56");
    expect(yuan(-5n)).toBe("-0.05");
    expect(yuan(0n)).toBe("0.00");
    expect(yuan(null)).toBe("");
    expect(yuan(undefined)).toBe("");
  });
  it("property: what it writes parses back to the same fen", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_AMOUNT_FEN }), (fen) => {
        const r = parseYuan(yuan(fen));
        return r.ok && toFen(r.value) === fen;
      }),
    );
  });
});
