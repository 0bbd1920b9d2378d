import { describe, expect, it } from "vitest";
import { maskAuditJson } from "./audit-view";

describe("maskAuditJson", () => {
  it("masks ID numbers and bank accounts at any depth", () => {
    const json = JSON.stringify({ bankAccount: "6230580000012345678", members: [{ name: "谢雨萱", idNumber: "37170220100101002X" }] });
    const out = maskAuditJson(json);
    expect(out).not.toContain("6230580000012345678");
    expect(out).not.toContain("37170220100101002X");
    expect(out).toContain("371702********002X");
    expect(out).toContain("谢雨萱");
  });
  it("masks phones and shows a birth year only, since the masked ID hides exactly the birth date (issue 13)", () => {
    const json = JSON.stringify({ phone: "13800000100", members: [{ idNumber: "37170220100101002X", birthDate: "2010-01-01", phone: "15866660041" }], receivingAccount: "6228480402564890018" });
    const out = maskAuditJson(json);
    for (const full of ["13800000100", "2010-01-01", "15866660041", "6228480402564890018"]) expect(out).not.toContain(full);
    expect(out).toContain('"birthDate":"2010"');
    expect(out).toContain("138****0100");
  });
  it("shows nothing for empty or broken input", () => {
    expect(maskAuditJson(null)).toBe("");
    expect(maskAuditJson("{")).toBe("");
  });
});
