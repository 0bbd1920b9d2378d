import { describe, expect, it } from "vitest";
import { parseHouseholdForm, type RawForm } from "./household-form";

const base: RawForm = {
  code: "0007",
  groupId: "3",
  status: "ORDINARY",
  "members.0.name": "谢建国",
  "members.0.relation": "HEAD",
  "members.0.idNumber": "11010519491231002x",
  "members.2.name": "谢雨轩",
  "members.2.relation": "SON",
  "members.2.idNumber": "440524188001010014",
  "members.2.ableToWork": "on",
};
const errorsOf = (raw: RawForm) => {
  const r = parseHouseholdForm(raw, 2026);
  return r.ok ? {} : r.errors;
};

describe("parseHouseholdForm", () => {
  it("accepts a valid household and derives birth date and sex from the ID number", () => {
    const r = parseHouseholdForm(base, 2026);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.members[0]).toMatchObject({ idNumber: "11010519491231002X", birthDate: "1949-12-31", sex: "F", row: 0 });
    expect(r.value.members[1]).toMatchObject({ row: 2, ableToWork: true, sex: "M" });
  });

  it("puts each error on the field it belongs to", () => {
    const e = errorsOf({ ...base, "members.2.idNumber": "440524188001010015", phone: "12345", bankAccount: "62-x" });
    expect(e["members.2.idNumber"]).toEqual({ key: "id.checksum" });
    expect(e.phone).toEqual({ key: "phone.format" });
    expect(e.bankAccount).toEqual({ key: "bank.format" });
  });

  it("requires exactly one head", () => {
    expect(errorsOf({ ...base, "members.2.relation": "HEAD" }).members).toEqual({ key: "head.count" });
    expect(errorsOf({ code: "1", groupId: "1", status: "ORDINARY" }).members).toEqual({ key: "members.required" });
  });

  it("refuses the same ID number twice in one form", () => {
    expect(errorsOf({ ...base, "members.2.idNumber": "11010519491231002X" })["members.2.idNumber"]).toEqual({ key: "id.duplicateInForm" });
  });

  it("asks for the year of a poverty-alleviated household and the reason of a monitored one", () => {
    expect(errorsOf({ ...base, status: "ALLEVIATED" }).statusYear).toEqual({ key: "status.yearRequired" });
    expect(errorsOf({ ...base, status: "ALLEVIATED", statusYear: "2030" }).statusYear).toMatchObject({ key: "status.yearRange" });
    expect(parseHouseholdForm({ ...base, status: "ALLEVIATED", statusYear: "2019" }, 2026).ok).toBe(true);
    const m = errorsOf({ ...base, status: "MONITORED" });
    expect(m.statusReason).toEqual({ key: "status.reasonRequired" });
    expect(m.statusDate).toEqual({ key: "status.dateRequired" });
    expect(errorsOf({ ...base, statusDate: "2026-02-30" }).statusDate).toEqual({ key: "date.format" });
  });

  it("ignores blank member rows", () => {
    const r = parseHouseholdForm({ ...base, "members.5.name": "", "members.5.idNumber": "" }, 2026);
    expect(r.ok && r.value.members.length).toBe(2);
  });
});
