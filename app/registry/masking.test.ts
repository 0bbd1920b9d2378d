import { describe, expect, it } from "vitest";
import { maskBankAccount, maskIdNumber, maskName, maskPhone } from "./masking";

describe("maskIdNumber", () => {
  it("keeps the first 6 and last 4, same length", () => {
    expect(maskIdNumber("371702199001011234")).toBe("371702********1234");
    expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
    expect(maskIdNumber(" 11010519491231002x ")).toBe("110105********002x");
  });

  it("masks short inputs entirely", () => {
    expect(maskIdNumber("1234567890")).toBe("**********");
    expect(maskIdNumber("123")).toBe("***");
    expect(maskIdNumber("12345678901")).toBe("123456*8901");
  });

  it("handles null and empty", () => {
    expect(maskIdNumber(null)).toBe("");
    expect(maskIdNumber(undefined)).toBe("");
    expect(maskIdNumber("")).toBe("");
  });
});

describe("maskBankAccount", () => {
  it("shows first 4 and last 4 in the fixed slip shape", () => {
    expect(maskBankAccount("6228480402564890018")).toBe("6228 **** **** 0018");
    expect(maskBankAccount("6222 0212 3456 7890")).toBe("6222 **** **** 7890");
    expect(maskBankAccount("6217-0000-1234-5678-901")).toBe("6217 **** **** 8901");
  });

  it("reveals less for short numbers", () => {
    expect(maskBankAccount("12345678901")).toBe("**** 8901");
    expect(maskBankAccount("12345678")).toBe("**** 5678");
    expect(maskBankAccount("1234567")).toBe("****");
    expect(maskBankAccount("12")).toBe("****");
  });

  it("handles null and empty", () => {
    expect(maskBankAccount(null)).toBe("");
    expect(maskBankAccount("  ")).toBe("");
  });
});

describe("maskPhone", () => {
  it("masks mobiles as 3 + **** + 4", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("138 1234 5678")).toBe("138****5678");
  });

  it("masks landlines", () => {
    expect(maskPhone("0530-5551234")).toBe("053****1234");
    expect(maskPhone("010-12345678")).toBe("010****5678");
    expect(maskPhone("5551234")).toBe("***1234");
  });

  it("masks very short inputs entirely", () => {
    expect(maskPhone("1234")).toBe("****");
    expect(maskPhone("12")).toBe("**");
  });

  it("handles null and empty", () => {
    expect(maskPhone(null)).toBe("");
    expect(maskPhone("")).toBe("");
  });
});

describe("maskName", () => {
  it.each([
    ["张三丰", "张*丰"],
    ["张三", "张*"],
    ["欧阳娜娜", "欧**娜"],
    ["张", "*"],
    [" 李四 ", "李*"],
    ["𠮷野家", "𠮷*家"], // non-BMP character stays whole
    ["", ""],
  ])("%j → %j", (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it("handles null and undefined", () => {
    expect(maskName(null)).toBe("");
    expect(maskName(undefined)).toBe("");
  });
});
