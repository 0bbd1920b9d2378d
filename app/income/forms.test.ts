import { describe, expect, it } from "vitest";
import { catalog } from "~/i18n";
import { parseIncomeEntryForm, parseMonitoringLineForm, parseWorkDayForm } from "./forms";
import type { RawForm } from "~/lib/forms";

const Y = { currentYear: 2026 };

function errorsOf<T>(r: { ok: true; value: T } | { ok: false; errors: Record<string, { key: string; params?: Record<string, string | number> }> }) {
  return r.ok ? {} : r.errors;
}

describe("parseIncomeEntryForm", () => {
  const transfer: RawForm = { year: "2025", category: "TRANSFER", kind: "DIBAO", amount: "3,600.00", source: "牡丹区民政局 2025 年低保金发放表", receivedOn: "2025-12-20", note: "" };

  it("accepts a transfer with its source", () => {
    const r = parseIncomeEntryForm(transfer, Y);
    expect(r).toEqual({
      ok: true,
      value: { year: 2025, category: "TRANSFER", kind: "DIBAO", personId: null, amountFen: 360_000n, costFen: 0n, source: "牡丹区民政局 2025 年低保金发放表", receivedOn: "2025-12-20", note: "" },
    });
  });

  it("accepts operating income with costs, a person and no date", () => {
    const r = parseIncomeEntryForm({ year: "2026", category: "OPERATING", kind: "ORCHARD", amount: "¥12000.5", cost: "4,500", personId: "17" }, Y);
    expect(r.ok && r.value).toMatchObject({ category: "OPERATING", amountFen: 1_200_050n, costFen: 450_000n, personId: 17, receivedOn: null, source: "" });
  });

  it("refuses education aid, medical reimbursement and housing aid with the reason", () => {
    for (const kind of ["EDUCATION_AID", "MEDICAL_REIMBURSEMENT", "HOUSING_AID"]) {
      const e = errorsOf(parseIncomeEntryForm({ ...transfer, kind }, Y));
      expect(e.kind).toEqual({ key: `income.notIncome.${kind}` });
      // the explanation exists in both languages and says why
      expect(catalog("zh-CN")[`income.notIncome.${kind}`]).toContain("不计入");
      expect(catalog("en")[`income.notIncome.${kind}`]).toContain("not household net income");
    }
  });

  it("checks the year, the category and that the kind belongs to it", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, year: "2014" }, Y)).year).toEqual({ key: "income.form.yearRange", params: { from: 2015, to: 2026 } });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, year: "2027" }, Y)).year?.key).toBe("income.form.yearRange");
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, year: "" }, Y)).year?.key).toBe("income.form.yearRequired");
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, year: "20x5" }, Y)).year?.key).toBe("income.form.yearRange");
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, category: "RENT" }, Y)).category?.key).toBe("income.form.categoryRequired");
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, kind: "" }, Y)).kind?.key).toBe("income.form.kindRequired");
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, kind: "ORCHARD" }, Y)).kind?.key).toBe("income.form.kindCategory");
  });

  it("wants an amount above zero, to the fen", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "" }, Y)).amount).toEqual({ key: "money.required" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "0" }, Y)).amount).toEqual({ key: "income.form.amountPositive" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "-5" }, Y)).amount).toEqual({ key: "money.negative" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "1.234" }, Y)).amount).toEqual({ key: "money.precision" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "abc" }, Y)).amount).toEqual({ key: "money.malformed" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "200000000" }, Y)).amount).toEqual({ key: "income.form.amountTooLarge", params: { max: "100,000,000" } });
  });

  it("takes costs only for operating income, never negative", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, cost: "100" }, Y)).cost).toEqual({ key: "income.form.costOnlyOperating" });
    expect(errorsOf(parseIncomeEntryForm({ year: "2025", category: "OPERATING", kind: "CROPS", amount: "100", cost: "-1" }, Y)).cost).toEqual({ key: "money.negative" });
    // costs above the amount are a loss, which is allowed
    const loss = parseIncomeEntryForm({ year: "2025", category: "OPERATING", kind: "LIVESTOCK", amount: "100", cost: "250" }, Y);
    expect(loss.ok && loss.value.costFen - loss.value.amountFen).toBe(15_000n);
  });

  it("requires a source for transfer and property income only", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, source: " " }, Y)).source).toEqual({ key: "income.form.sourceRequired" });
    expect(errorsOf(parseIncomeEntryForm({ year: "2025", category: "PROPERTY", kind: "ASSET_DIVIDEND", amount: "300" }, Y)).source).toEqual({ key: "income.form.sourceRequired" });
    expect(parseIncomeEntryForm({ year: "2025", category: "WAGE", kind: "MIGRANT_WORK", amount: "30000" }, Y).ok).toBe(true);
  });

  it("wants the date received within the year", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, receivedOn: "2026-01-05" }, Y)).receivedOn).toEqual({ key: "income.form.dateInYear", params: { year: 2025 } });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, receivedOn: "2025-02-30" }, Y)).receivedOn).toEqual({ key: "date.format" });
  });

  it("checks the person and the note's length", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, personId: "x" }, Y)).personId).toEqual({ key: "field.required" });
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, note: "字".repeat(201) }, Y)).note).toEqual({ key: "text.tooLong", params: { max: 200 } });
  });
});

describe("parseWorkDayForm", () => {
  const work: RawForm = { personId: "41", cooperativeId: "3", employer: "", periodStart: "2025-04-01", periodEnd: "2025-04-30", days: "12.5", dailyWage: "85", paidOn: "2025-05-10", note: "" };

  it("computes days × daily wage", () => {
    const r = parseWorkDayForm(work, Y);
    expect(r).toEqual({
      ok: true,
      value: { personId: 41, cooperativeId: 3, employer: "", periodStart: "2025-04-01", periodEnd: "2025-04-30", year: 2025, days: "12.5", dailyWageFen: 8_500n, amountFen: 106_250n, paidOn: "2025-05-10", note: "" },
    });
  });

  it("rounds half a fen up", () => {
    // 0.5 day × 0.01 yuan = 0.005 yuan → 0.01
    const r = parseWorkDayForm({ ...work, days: "0.5", dailyWage: "0.01" }, Y);
    expect(r.ok && r.value.amountFen).toBe(1n);
    const s = parseWorkDayForm({ ...work, days: "3.5", dailyWage: "85.55" }, Y);
    expect(s.ok && s.value.amountFen).toBe(29_943n); // 299.425 → 299.43
  });

  it("normalises the days", () => {
    for (const [input, out] of [["12", "12"], ["12.0", "12"], ["12.50", "12.5"], ["0.5", "0.5"]] as const) {
      const r = parseWorkDayForm({ ...work, days: input }, Y);
      expect(r.ok && r.value.days).toBe(out);
    }
  });

  it("counts half days only, more than zero, not more than the period", () => {
    expect(errorsOf(parseWorkDayForm({ ...work, days: "3.3" }, Y)).days).toEqual({ key: "income.work.daysHalf" });
    expect(errorsOf(parseWorkDayForm({ ...work, days: "0" }, Y)).days).toEqual({ key: "income.work.daysPositive" });
    expect(errorsOf(parseWorkDayForm({ ...work, days: "" }, Y)).days).toEqual({ key: "income.work.daysRequired" });
    expect(errorsOf(parseWorkDayForm({ ...work, days: "-2" }, Y)).days).toEqual({ key: "income.work.daysFormat" });
    expect(errorsOf(parseWorkDayForm({ ...work, days: "1e2" }, Y)).days).toEqual({ key: "income.work.daysFormat" });
    expect(parseWorkDayForm({ ...work, days: "30" }, Y).ok).toBe(true);
    expect(errorsOf(parseWorkDayForm({ ...work, days: "30.5" }, Y)).days).toEqual({ key: "income.work.daysTooMany", params: { days: 30 } });
    // February of a leap year has 29 days
    expect(parseWorkDayForm({ ...work, periodStart: "2024-02-01", periodEnd: "2024-02-29", days: "29", paidOn: "" }, Y).ok).toBe(true);
  });

  it("keeps the period within one year, in order, in range", () => {
    expect(errorsOf(parseWorkDayForm({ ...work, periodEnd: "2025-03-31" }, Y)).periodEnd).toEqual({ key: "income.work.periodOrder" });
    expect(errorsOf(parseWorkDayForm({ ...work, periodStart: "2025-12-20", periodEnd: "2026-01-10", paidOn: "" }, Y)).periodEnd).toEqual({ key: "income.work.periodOneYear" });
    expect(errorsOf(parseWorkDayForm({ ...work, periodStart: "2027-01-01", periodEnd: "2027-01-31", paidOn: "" }, Y)).periodStart?.key).toBe("income.form.yearRange");
    expect(errorsOf(parseWorkDayForm({ ...work, periodStart: "" }, Y)).periodStart).toEqual({ key: "income.form.dateRequired" });
    expect(errorsOf(parseWorkDayForm({ ...work, periodEnd: "2025/04/30" }, Y)).periodEnd).toEqual({ key: "date.format" });
  });

  it("wants a cooperative or an employer, and a person", () => {
    expect(errorsOf(parseWorkDayForm({ ...work, cooperativeId: "" }, Y)).employer).toEqual({ key: "income.work.employerRequired" });
    const r = parseWorkDayForm({ ...work, cooperativeId: "", employer: "菏泽市牡丹区梨王合作社基地" }, Y);
    expect(r.ok && r.value).toMatchObject({ cooperativeId: null, employer: "菏泽市牡丹区梨王合作社基地" });
    expect(errorsOf(parseWorkDayForm({ ...work, personId: "" }, Y)).personId).toEqual({ key: "field.required" });
  });

  it("lets wages be paid the next year but not before the work", () => {
    expect(parseWorkDayForm({ ...work, periodStart: "2025-12-01", periodEnd: "2025-12-31", paidOn: "2026-01-15" }, Y).ok).toBe(true);
    expect(errorsOf(parseWorkDayForm({ ...work, paidOn: "2025-03-01" }, Y)).paidOn).toEqual({ key: "income.work.paidBeforeStart" });
  });

  it("refuses a wage of zero", () => {
    expect(errorsOf(parseWorkDayForm({ ...work, dailyWage: "0" }, Y)).dailyWage).toEqual({ key: "income.form.amountPositive" });
  });
});

describe("parseMonitoringLineForm", () => {
  const line: RawForm = { year: "2025", provinceCode: "37", amount: "7,600", source: "鲁乡振发〔2025〕3号", sourceUrl: "https://example.gov.cn/notice.html" };

  it("accepts a line with its source", () => {
    expect(parseMonitoringLineForm(line, Y)).toEqual({ ok: true, value: { year: 2025, provinceCode: "37", amountFen: 760_000n, source: "鲁乡振发〔2025〕3号", sourceUrl: "https://example.gov.cn/notice.html" } });
    expect(parseMonitoringLineForm({ ...line, sourceUrl: "" }, Y).ok).toBe(true);
  });

  it("allows next year's line, published ahead", () => {
    expect(parseMonitoringLineForm({ ...line, year: "2027" }, Y).ok).toBe(true);
    expect(errorsOf(parseMonitoringLineForm({ ...line, year: "2028" }, Y)).year).toEqual({ key: "income.form.yearRange", params: { from: 2015, to: 2027 } });
  });

  it("checks the province, the amount, the source and the address", () => {
    expect(errorsOf(parseMonitoringLineForm({ ...line, provinceCode: "" }, Y)).provinceCode).toEqual({ key: "income.line.provinceRequired" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, provinceCode: "371" }, Y)).provinceCode).toEqual({ key: "income.line.provinceFormat" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, provinceCode: "38" }, Y)).provinceCode).toEqual({ key: "income.line.provinceFormat" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, amount: "0" }, Y)).amount).toEqual({ key: "income.form.amountPositive" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, source: "文件" }, Y)).source).toEqual({ key: "income.line.sourceRequired" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, source: "" }, Y)).source).toEqual({ key: "income.line.sourceRequired" });
    expect(parseMonitoringLineForm({ ...line, source: "省级文件" }, Y).ok).toBe(true);
    expect(errorsOf(parseMonitoringLineForm({ ...line, sourceUrl: "javascript:alert(1)" }, Y)).sourceUrl).toEqual({ key: "income.line.urlFormat" });
    expect(errorsOf(parseMonitoringLineForm({ ...line, sourceUrl: "www.gov.cn" }, Y)).sourceUrl).toEqual({ key: "income.line.urlFormat" });
  });
});

describe("form error keys", () => {
  it("all exist in both catalogs", () => {
    const keys = new Set<string>();
    const collect = (r: { ok: boolean; errors?: Record<string, { key: string }> }) => Object.values(r.errors ?? {}).forEach((e) => keys.add(e.key));
    collect(parseIncomeEntryForm({ year: "1", category: "X" }, Y));
    collect(parseIncomeEntryForm({ year: "2025", category: "TRANSFER", kind: "ORCHARD", amount: "0", cost: "1", receivedOn: "2024-01-01" }, Y));
    collect(parseWorkDayForm({ days: "3.3", periodStart: "2025-05-01", periodEnd: "2025-04-01" }, Y));
    collect(parseWorkDayForm({ days: "99", periodStart: "2025-05-01", periodEnd: "2025-05-02", paidOn: "2025-01-01" }, Y));
    collect(parseMonitoringLineForm({ provinceCode: "99", sourceUrl: "ftp://x" }, Y));
    for (const key of keys) {
      expect(catalog("zh-CN")[key], key).toBeTruthy();
      expect(catalog("en")[key], key).toBeTruthy();
    }
    expect(keys.size).toBeGreaterThan(12);
  });
});

describe("dates after today and amounts beyond their bound (issue 11, items 9 and 11)", () => {
  // 00:30 on 2026-12-03 in China is still 2026-12-02 in UTC: today is the China date
  const clock = { currentYear: 2026, today: "2026-12-03" };
  const transfer: RawForm = { year: "2026", category: "TRANSFER", kind: "PENSION", amount: "100", source: "养老金发放表" };
  const work: RawForm = { personId: "41", cooperativeId: "3", periodStart: "2026-12-01", periodEnd: "2026-12-03", days: "3", dailyWage: "120" };

  it("accepts today and refuses tomorrow next to the field", () => {
    expect(parseIncomeEntryForm({ ...transfer, receivedOn: "2026-12-03" }, clock).ok).toBe(true);
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, receivedOn: "2026-12-04" }, clock)).receivedOn).toEqual({ key: "income.form.dateFuture", params: { today: "2026-12-03" } });
    expect(parseWorkDayForm(work, clock).ok).toBe(true);
    expect(errorsOf(parseWorkDayForm({ ...work, periodEnd: "2026-12-04" }, clock)).periodEnd).toEqual({ key: "income.form.dateFuture", params: { today: "2026-12-03" } });
    expect(errorsOf(parseWorkDayForm({ ...work, paidOn: "2026-12-04" }, clock)).paidOn).toEqual({ key: "income.form.dateFuture", params: { today: "2026-12-03" } });
    expect(errorsOf(parseWorkDayForm({ ...work, paidOn: "9999-12-31" }, clock)).paidOn?.key).toBe("income.form.dateFuture");
  });

  it("bounds every amount with a message that says the bound", () => {
    expect(errorsOf(parseIncomeEntryForm({ ...transfer, amount: "99999999999999999999" }, clock)).amount).toEqual({ key: "money.tooLarge" });
    expect(errorsOf(parseIncomeEntryForm({ year: "2026", category: "OPERATING", kind: "CROPS", amount: "100", cost: "100000001" }, clock)).cost).toEqual({ key: "income.form.amountTooLarge", params: { max: "100,000,000" } });
    expect(errorsOf(parseWorkDayForm({ ...work, dailyWage: "100000001" }, clock)).dailyWage?.key).toBe("income.form.amountTooLarge");
    // each figure within its bound, their product not: 3 days × 50,000,000
    expect(errorsOf(parseWorkDayForm({ ...work, dailyWage: "50000000" }, clock)).dailyWage).toEqual({ key: "income.work.amountTooLarge", params: { max: "100,000,000" } });
    const line = { year: "2026", provinceCode: "37", amount: "100000.01", source: "鲁乡振发〔2026〕3号" };
    expect(errorsOf(parseMonitoringLineForm(line, clock)).amount).toEqual({ key: "income.form.amountTooLarge", params: { max: "100,000" } });
    expect(parseMonitoringLineForm({ ...line, amount: "100000" }, clock).ok).toBe(true);
    // and the refusals of the server (account.server), in both languages
    const server = ["income.entry.beforeJoined", "income.entry.afterLeft", "income.entry.noMemberOn", "income.entry.notMemberInYear", "income.entry.noMemberInYear", "income.work.beforeJoined", "income.work.afterLeft", "income.work.overlap", "income.work.reasonRequired", "income.work.alreadyWithdrawn"];
    for (const key of ["income.form.amountTooLarge", "income.work.amountTooLarge", "income.form.dateFuture", "money.tooLarge", ...server]) {
      expect(catalog("zh-CN")[key], key).toBeTruthy();
      expect(catalog("en")[key], key).toBeTruthy();
    }
  });
});
