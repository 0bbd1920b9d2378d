import { describe, expect, it } from "vitest";
import { checkPhone } from "./phone";

describe("checkPhone", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["138 1234 5678", "13812345678"],
    ["138-1234-5678", "13812345678"],
    [" 19912345678 ", "19912345678"],
    ["+86 138 1234 5678", "13812345678"],
    ["8613812345678", "13812345678"],
    ["0086-13812345678", "13812345678"],
    ["１３８１２３４５６７８", "13812345678"],
  ])("accepts mobile %j as %s", (input, phone) => {
    expect(checkPhone(input)).toEqual({ ok: true, phone, kind: "mobile" });
  });

  it.each([
    ["0530-5551234", "0530-5551234"],
    ["05305551234", "0530-5551234"],
    ["0530 5551234", "0530-5551234"],
    ["(0530)5551234", "0530-5551234"],
    ["0530-55512345", "0530-55512345"],
    ["010-62345678", "010-62345678"],
    ["01062345678", "010-62345678"],
    ["021-62345678", "021-62345678"],
  ])("accepts landline %j as %s", (input, phone) => {
    expect(checkPhone(input)).toEqual({ ok: true, phone, kind: "landline" });
  });

  it.each([
    "",
    "   ",
    "12812345678", // 12x is not a mobile prefix
    "1381234567", // 10 digits
    "138123456789", // 12 digits
    "23812345678",
    "5551234", // local number without area code
    "0530-555123", // too short
    "0530-0551234", // local number starting with 0
    "010-6234567", // Beijing local numbers have 8 digits
    "010-12345678", // local numbers never start with 1
    "0530-5551234-801", // extension
    "138abcd5678",
    "+1 2025550123",
  ])("rejects %j", (input) => {
    expect(checkPhone(input)).toEqual({ ok: false, error: "phone.format" });
  });

  it("tolerates null and undefined", () => {
    expect(checkPhone(null)).toEqual({ ok: false, error: "phone.format" });
    expect(checkPhone(undefined)).toEqual({ ok: false, error: "phone.format" });
  });
});
