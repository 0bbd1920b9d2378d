import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateOfDay, dayNumber, isValidDate } from "~/lib/dates";
import { keepCurrentStatusDate, parseHouseholdForm } from "./household-form";
import type { RawForm } from "~/lib/forms";

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
    expect(m.monitoringCategory).toEqual({ key: "monitoring.categoryRequired" });
    expect(m.riskTypes).toEqual({ key: "monitoring.riskRequired" });
    expect(m.statusReason).toBeUndefined();
    expect(m.statusDate).toEqual({ key: "status.dateRequired" });
    expect(errorsOf({ ...base, statusDate: "2026-02-30" }).statusDate).toEqual({ key: "date.format" });
  });

  it("ignores blank member rows", () => {
    const r = parseHouseholdForm({ ...base, "members.5.name": "", "members.5.idNumber": "" }, 2026);
    expect(r.ok && r.value.members.length).toBe(2);
  });
});

describe("membership dates on the household form (入户日期 / 迁出日期)", () => {
  const TODAY = "2026-12-03";
  const parse = (raw: RawForm) => parseHouseholdForm(raw, 2026, TODAY);
  const errors = (raw: RawForm) => {
    const r = parse(raw);
    return r.ok ? {} : r.errors;
  };
  // member 2 is a saved member (id 41) born 1880-01-01
  const saved: RawForm = { ...base, "members.2.id": "41" };

  it("keeps the 入户日期 as typed, and unknown (null) when blank", () => {
    const r = parse({ ...base, "members.0.joinedOn": "2026-07-15" });
    expect(r.ok && r.value.members.map((m) => m.joinedOn)).toEqual(["2026-07-15", null]);
  });

  it("refuses a 入户日期 after today, before the birth date, or not a date", () => {
    expect(errors({ ...base, "members.0.joinedOn": "2026-12-04" })["members.0.joinedOn"]).toEqual({ key: "member.joinedOnFuture", params: { today: TODAY } });
    expect(errors({ ...base, "members.0.joinedOn": "1949-12-30" })["members.0.joinedOn"]).toEqual({ key: "member.joinedOnBeforeBirth", params: { birthDate: "1949-12-31" } });
    expect(errors({ ...base, "members.0.joinedOn": "2026-02-30" })["members.0.joinedOn"]).toEqual({ key: "date.format" });
    expect(parse({ ...base, "members.0.joinedOn": TODAY }).ok).toBe(true);
  });

  it("a saved member taken off the form leaves on the 迁出日期, which is required", () => {
    const r = parse({ ...saved, "members.2.remove": "1", "members.2.leftOn": "2026-12-03", "members.2.leaveReason": "婚嫁迁出" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.members.map((m) => m.name)).toEqual(["谢建国"]);
    expect(r.value.leaving).toEqual([{ row: 2, id: 41, name: "谢雨轩", leftOn: "2026-12-03", reason: "婚嫁迁出" }]);
    expect(errors({ ...saved, "members.2.remove": "1" })["members.2.leftOn"]).toEqual({ key: "member.leftOnRequired" });
    // moving out is not undone on the form: a reason is asked for, next to the field
    expect(errors({ ...saved, "members.2.remove": "1", "members.2.leftOn": "2026-12-03" })["members.2.leaveReason"]).toEqual({ key: "confirm.reasonRequired" });
  });

  it("refuses a 迁出日期 after today, or not after the 入户日期", () => {
    const leave = (leftOn: string, joinedOn = "") => errors({ ...saved, "members.2.remove": "1", "members.2.leftOn": leftOn, "members.2.joinedOn": joinedOn })["members.2.leftOn"];
    expect(leave("2026-12-04")).toEqual({ key: "member.leftOnFuture", params: { today: TODAY } });
    expect(leave("2020-05-01", "2020-05-02")).toEqual({ key: "member.leftOnBeforeJoined", params: { joinedOn: "2020-05-02" } });
    expect(leave("2020-05-02", "2020-05-02")).toEqual({ key: "member.leftOnBeforeJoined", params: { joinedOn: "2020-05-02" } });
    expect(leave("2020-05-03", "2020-05-02")).toBeUndefined();
    expect(leave("2020/05/03")).toEqual({ key: "date.format" });
  });

  it("refuses a status date after today (China)", () => {
    expect(errors({ ...base, statusDate: "2026-12-04" }).statusDate).toEqual({ key: "status.dateFuture", params: { today: TODAY } });
    expect(parse({ ...base, statusDate: TODAY }).ok).toBe(true);
  });

  it("property: whatever dates are typed, an accepted form never holds a date after today, a 入户日期 before birth or a 迁出日期 not after the 入户日期", () => {
    const day = fc.integer({ min: dayNumber("1870-01-01"), max: dayNumber("2027-12-31") }).map(dateOfDay);
    const maybe = fc.option(day, { nil: "" });
    fc.assert(
      fc.property(maybe, maybe, maybe, fc.boolean(), (joined0, joined2, leftOn, remove) => {
        const raw: RawForm = { ...saved, "members.0.joinedOn": joined0, "members.2.joinedOn": joined2, ...(remove ? { "members.2.remove": "1", "members.2.leftOn": leftOn, "members.2.leaveReason": "迁往外地" } : {}) };
        const r = parse(raw);
        if (!r.ok) return;
        for (const m of r.value.members) {
          if (m.joinedOn) {
            expect(m.joinedOn <= TODAY).toBe(true);
            expect(m.joinedOn >= m.birthDate).toBe(true);
          }
        }
        for (const l of r.value.leaving ?? []) {
          expect(l.leftOn <= TODAY).toBe(true);
          if (joined2) expect(l.leftOn > joined2).toBe(true);
        }
        expect((r.value.leaving ?? []).length + r.value.members.length).toBe(2);
        expect(remove ? r.value.leaving!.length : r.value.members.length).toBe(remove ? 1 : 2);
      }),
    );
  });
});

describe("isValidDate (the one calendar)", () => {
  it("accepts real dates only", () => {
    expect(isValidDate("2024-02-29")).toBe(true);
    expect(isValidDate("2023-02-29")).toBe(false);
    expect(isValidDate("1900-02-29")).toBe(false);
    expect(isValidDate("2026-2-1")).toBe(false);
    expect(isValidDate("2026-12-03T00:00")).toBe(false);
  });
});

describe("monitoring category and risk types on the form", () => {
  const monitored = { ...base, status: "MONITORED", statusDate: "2026-01-05" };
  it("stores one category and the risk types chosen, in the standard order; other statuses carry none", () => {
    const r = parseHouseholdForm({ ...monitored, monitoringCategory: "UNSTABLE", "riskTypes.EDUCATION": "on", "riskTypes.ILLNESS": "on" }, 2026, "2026-12-03");
    expect(r.ok && r.value).toMatchObject({ monitoringCategory: "UNSTABLE", riskTypes: "ILLNESS,EDUCATION" });
    const o = parseHouseholdForm({ ...base, monitoringCategory: "UNSTABLE", "riskTypes.ILLNESS": "on" }, 2026, "2026-12-03");
    expect(o.ok && o.value).toMatchObject({ monitoringCategory: null, riskTypes: "" });
  });
  it("refuses an unknown category and asks for a note with OTHER", () => {
    expect(errorsOf({ ...monitored, monitoringCategory: "POOR", "riskTypes.ILLNESS": "on" }).monitoringCategory).toEqual({ key: "monitoring.categoryUnknown" });
    expect(errorsOf({ ...monitored, monitoringCategory: "SUDDEN", "riskTypes.OTHER": "on" }).statusReason).toEqual({ key: "monitoring.noteRequiredForOther" });
    expect(errorsOf({ ...monitored, monitoringCategory: "SUDDEN", "riskTypes.OTHER": "on", statusReason: "房屋倒塌" }).statusReason).toBeUndefined();
  });
  it("property: a monitored household is accepted exactly when it has a known category, a risk type, and a note if OTHER", () => {
    const risk = fc.subarray(["ILLNESS", "DISABILITY", "EDUCATION", "DISASTER", "ACCIDENT", "INDUSTRY", "EMPLOYMENT", "OTHER", "BOGUS"]);
    fc.assert(
      fc.property(fc.constantFrom("", "UNSTABLE", "MARGINAL", "SUDDEN", "X"), risk, fc.constantFrom("", "说明"), (category, risks, note) => {
        const raw: RawForm = { ...monitored, monitoringCategory: category, statusReason: note };
        for (const r of risks) raw[`riskTypes.${r}`] = "on";
        const r = parseHouseholdForm(raw, 2026, "2026-12-03");
        const known = risks.filter((x) => x !== "BOGUS");
        const valid = ["UNSTABLE", "MARGINAL", "SUDDEN"].includes(category) && known.length > 0 && (!known.includes("OTHER") || note !== "");
        expect(r.ok).toBe(valid);
        if (r.ok) {
          expect(r.value.monitoringCategory).toBe(category);
          expect(r.value.riskTypes!.split(",").sort()).toEqual([...known].sort());
        }
      }),
    );
  });
});

describe("keepCurrentStatusDate", () => {
  const current = { status: "MONITORED", statusYear: null, statusReason: "因病", effectiveOn: "2024-01-01", monitoringCategory: "MARGINAL", riskTypes: "ILLNESS" };
  const same = { status: "MONITORED", statusReason: "因病", monitoringCategory: "MARGINAL", "riskTypes.ILLNESS": "on" };
  it("gives an unchanged status its own date, so an unchanged 监测户 is not asked for it again", () => {
    expect(keepCurrentStatusDate(same, current).statusDate).toBe("2024-01-01");
    expect(parseHouseholdForm(keepCurrentStatusDate({ ...base, ...same }, current), 2026, "2026-12-03").ok).toBe(true);
  });
  it("leaves a changed status, or a typed date, alone", () => {
    expect(keepCurrentStatusDate({ status: "MONITORED", statusReason: "因残" }, current).statusDate).toBeUndefined();
    // another category or another risk type is a change of status too, dated anew
    expect(keepCurrentStatusDate({ ...same, monitoringCategory: "SUDDEN" }, current).statusDate).toBeUndefined();
    expect(keepCurrentStatusDate({ ...same, "riskTypes.DISASTER": "on" }, current).statusDate).toBeUndefined();
    expect(keepCurrentStatusDate({ status: "ORDINARY" }, current).statusDate).toBeUndefined();
    expect(keepCurrentStatusDate({ status: "MONITORED", statusReason: "因病", statusDate: "2025-05-05" }, current).statusDate).toBe("2025-05-05");
  });
});
