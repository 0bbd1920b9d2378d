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
  it("shows nothing for empty or broken input", () => {
    expect(maskAuditJson(null)).toBe("");
    expect(maskAuditJson("{")).toBe("");
  });
});
