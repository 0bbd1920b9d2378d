import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { recordPayment, reversePayment } from "~/contracts/rent.server";
import { recordDividendPayment } from "~/dividends/runs.server";
import { addIncomeEntry, addWorkDay, deleteIncomeEntry, householdAccount, saveMonitoringLine } from "~/income/account.server";
import { townshipAudit, villageAudit } from "~/income/audit.server";
import { householdYears } from "~/income/income.server";
import { prisma } from "~/lib/db.server";
import { buildWorld, request, type World } from "../factories";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as dividendsWorld } from "./access/dividends.world";

let w: World;
const users = {} as Record<"admin" | "township" | "secretary" | "secretary2" | "accountant", CurrentUser>;
const ASOF = "2026-06-30";

beforeAll(async () => {
  w = await buildWorld();
  Object.assign(w.extra, await contractsWorld(w), await dividendsWorld(w));
  for (const who of Object.keys(w.users) as (keyof typeof users)[]) users[who] = (await getUser(request("/", { cookie: w.users[who].cookie })))!;
  // H1 is a poverty-alleviated household with two members all year.
  await prisma.household.update({ where: { id: w.h1.id }, data: { status: "ALLEVIATED", statusYear: 2020 } });
  await saveMonitoringLine(users.township, { year: 2024, provinceCode: "37", amountFen: 600000n, source: "测试用监测线文件", sourceUrl: "" });
  await saveMonitoringLine(users.township, { year: 2025, provinceCode: "37", amountFen: 600000n, source: "测试用监测线文件", sourceUrl: "" });
});

const entry = (over: Partial<Parameters<typeof addIncomeEntry>[2]> = {}) => ({
  year: 2024,
  category: "TRANSFER" as const,
  kind: "PENSION",
  personId: null,
  amountFen: 1000000n,
  costFen: 0n,
  source: "城乡居民基本养老保险",
  receivedOn: "2024-12-01",
  note: "",
  ...over,
});

const h1Row = async (year: number) => (await householdYears({ townshipId: w.t1.id, villageId: w.v1.id }, year, ASOF)).find((r) => r.id === w.h1.id)!;

describe("property income is derived from payments", () => {
  it("a rent payment changes property income and the audit view, with no other entry", async () => {
    const added = await addIncomeEntry(users.secretary, w.h1.id, entry());
    expect(added.ok).toBe(true);
    const before = await h1Row(2024);
    expect(before.propertyFen).toBe(0n);
    expect(before.transferFen).toBe(1000000n);
    // Rent merely due is owed, not income.
    expect(before.arrearsFen).toBe(160000n);
    const auditBefore = (await villageAudit(users.township, w.v1.id, 2024))!;
    // 10,000 yuan ÷ 2 members = 5,000 per person: below the 6,000 line.
    expect(auditBefore.audit.flagged.map((r) => [r.id, r.flag, r.perCapitaFen])).toEqual([[w.h1.id, "BELOW", 500000n]]);
    expect(auditBefore.audit.owed.map((r) => [r.arrearsFen, r.unpaidDividendFen])).toEqual([[160000n, 200000n]]);

    expect(await recordPayment(users.secretary, w.extra.installmentV1!, { paidOn: "2024-12-20", amount: "1600", method: "BANK", receiptNo: "R1" })).toBeNull();

    const after = await h1Row(2024);
    expect(after.propertyFen).toBe(160000n);
    expect(after.arrearsFen).toBe(0n);
    const auditAfter = (await villageAudit(users.township, w.v1.id, 2024))!;
    // 11,600 ÷ 2 = 5,800: still below, and nothing owed any more.
    expect(auditAfter.audit.flagged.map((r) => r.perCapitaFen)).toEqual([580000n]);
    // Only the issued, unpaid dividend is still owed to the household.
    expect(auditAfter.audit.owed.map((r) => [r.arrearsFen, r.unpaidDividendFen])).toEqual([[0n, 200000n]]);
    const account = (await householdAccount(users.township, w.h1.id, 2024, ASOF))!;
    expect(account.rent.map((r) => [r.amountFen, r.contractId])).toEqual([[160000n, w.extra.contractV1]]);
  });

  it("a reversal takes the rent back out of income", async () => {
    const p = await prisma.rentPayment.findFirstOrThrow({ where: { householdId: w.h1.id, reversesId: null } });
    expect(await reversePayment(users.secretary, p.id)).toBeNull();
    expect((await h1Row(2024)).propertyFen).toBe(0n);
    expect(await recordPayment(users.secretary, w.extra.installmentV1!, { paidOn: "2024-12-21", amount: "1600", method: "CASH", receiptNo: "R2" })).toBeNull();
    expect((await h1Row(2024)).propertyFen).toBe(160000n);
  });

  it("a dividend payment counts when paid, a failed one does not", async () => {
    const before = await h1Row(2025);
    expect(before.propertyFen).toBe(0n);
    expect(before.unpaidDividendFen).toBe(200000n);
    expect(await recordDividendPayment(users.accountant, w.extra.lineV1!, { paidOn: "2025-03-01", amount: "2000", reference: "X", status: "FAILED", failureReason: "账户冻结" })).toBeNull();
    expect((await h1Row(2025)).propertyFen).toBe(0n);
    expect(await recordDividendPayment(users.accountant, w.extra.lineV1!, { paidOn: "2025-03-05", amount: "2000", reference: "Y", status: "PAID", failureReason: "" })).toBeNull();
    const after = await h1Row(2025);
    expect(after.propertyFen).toBe(200000n);
    expect(after.unpaidDividendFen).toBe(0n);
    const account = (await householdAccount(users.secretary, w.h1.id, 2025, ASOF))!;
    expect(account.dividends.map((d) => d.status)).toEqual(["FAILED", "PAID"]);
    expect(account.figures.totalFen).toBe(200000n);
  });
});

describe("income fell and members mid-year", () => {
  it("compares with last year's household total", async () => {
    // 2024: 11,600; 2025: 2,000 → fell by more than 30 %.
    const a = (await villageAudit(users.township, w.v1.id, 2025))!;
    expect(a.audit.fell.map((r) => [r.id, r.changePercent])).toEqual([[w.h1.id, "-82.8"]]);
  });

  it("a member who joined mid-year counts by days", async () => {
    await prisma.person.create({ data: { householdId: w.h1.id, name: "谢小满", idNumber: "371702202407010012", birthDate: "2024-07-01", sex: "M", relation: "GRANDSON", joinedOn: new Date("2024-07-01T00:00:00Z") } });
    const row = await h1Row(2024);
    // 366 + 366 + 184 days of 2024 (a leap year)
    expect(row.memberDays).toBe(916);
    const account = (await householdAccount(users.secretary, w.h1.id, 2024, ASOF))!;
    expect(account.memberYears).toBe("2.50");
    expect(account.figures.perCapitaFen).toBe(463493n); // 1,160,000 × 366 ÷ 916 = 463,493.4
  });
});

describe("who may see and write", () => {
  it("a secretary of another village sees nothing of V1", async () => {
    expect(await householdAccount(users.secretary2, w.h1.id, 2024, ASOF)).toBeNull();
    expect(await villageAudit(users.secretary2, w.v1.id, 2024)).toBeNull();
    const own = await townshipAudit({ townshipId: w.t1.id, villageId: w.v2.id }, 2024);
    expect(own.summary.villages.map((v) => v.villageId)).toEqual([w.v2.id]);
  });

  it("the township official reads the township but cannot write", async () => {
    expect(await villageAudit(users.township, w.v3.id, 2024)).toBeNull();
    expect(await addIncomeEntry(users.township, w.h1.id, entry())).toEqual({ ok: false, status: 403 });
    const t = await townshipAudit({ townshipId: w.t1.id, villageId: null }, 2024);
    expect(t.summary.villages.map((v) => v.villageId).sort()).toEqual([w.v1.id, w.v2.id].sort());
  });

  it("the accountant records base work days for the cooperative's villages only, and no other income", async () => {
    const person = await prisma.person.findFirstOrThrow({ where: { householdId: w.h1.id, relation: "HEAD" } });
    const work = { personId: person.id, cooperativeId: w.c1.id, employer: "", periodStart: "2024-03-01", periodEnd: "2024-03-31", year: 2024, days: "10.5", dailyWageFen: 10000n, amountFen: 105000n, paidOn: null, note: "" };
    expect((await addWorkDay(users.accountant, w.h1.id, work)).ok).toBe(true);
    expect((await h1Row(2024)).wageFen).toBe(105000n);
    expect(await addWorkDay(users.accountant, w.h3.id, work)).toEqual({ ok: false, status: 404 });
    expect(await addIncomeEntry(users.accountant, w.h1.id, entry())).toEqual({ ok: false, status: 403 });
  });

  it("a mistaken entry is removed and the trail keeps it", async () => {
    const added = await addIncomeEntry(users.secretary, w.h1.id, entry({ year: 2023, amountFen: 12345n }));
    if (!added.ok) throw new Error("not added");
    expect((await deleteIncomeEntry(users.secretary, w.h1.id, added.id)).ok).toBe(true);
    const trail = await prisma.auditEvent.findMany({ where: { entity: "IncomeEntry", entityId: String(added.id) }, orderBy: { id: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["create", "delete"]);
    expect(await deleteIncomeEntry(users.secretary2, w.h1.id, added.id)).toEqual({ ok: false, status: 404 });
  });
});
