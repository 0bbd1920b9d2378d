import fc from "fast-check";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { recordPayment, reversePayment } from "~/contracts/rent.server";
import { recordDividendPayment } from "~/dividends/runs.server";
import { recordHarvest } from "~/harvests/harvests.server";
import { addIncomeEntry, addWorkDay, correctWorkDay, deleteIncomeEntry, householdAccount, saveMonitoringLine, withdrawWorkDay, type WorkDayInput } from "~/income/account.server";
import { auditDocumentInput, townshipAudit, villageAudit } from "~/income/audit.server";
import { householdYears } from "~/income/income.server";
import { periodsOverlap } from "~/income/rules";
import { addDays } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { translator } from "~/i18n";
import { formatYuan } from "~/lib/money";
import { makeIdNumber } from "~/registry/id-number";
import { action as accountAction } from "~/routes/_app.income.households.$id";
import { buildWorld, flashOf, request, statusOf, type World } from "../factories";
import { extend as contractsWorld } from "./access/contracts.world";
import { extend as dividendsWorld } from "./access/dividends.world";
import { plotData } from "./access/plots.world";

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
    await prisma.person.create({ data: { householdId: w.h1.id, name: "谢小满", idNumber: "371702202407010012", birthDate: "2024-07-01", sex: "M", relation: "GRANDSON", joinedOn: "2024-07-01" } });
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

// ─── Issue 11 ──────────────────────────────────────────────────────────────

let idSeq = 700;
/** A household of V1 (or another village) with the given members, for one test. */
async function household(code: string, members: { name: string; joinedOn?: string | null; leftOn?: string | null }[], extra: { status?: string; village?: World["v1"] } = {}) {
  const v = extra.village ?? w.v1;
  return prisma.household.create({
    data: {
      code,
      townshipId: v.townshipId,
      villageId: v.id,
      groupId: v.groups[0]!.id,
      headName: members[0]!.name,
      status: extra.status ?? "ORDINARY",
      members: {
        create: members.map((m, i) => ({
          name: m.name,
          relation: i === 0 ? "HEAD" : "SON",
          idNumber: makeIdNumber("371702", "19800101", String(idSeq++).padStart(3, "0")),
          birthDate: "1980-01-01",
          sex: "M",
          joinedOn: m.joinedOn ?? null,
          leftOn: m.leftOn ?? null,
        })),
      },
    },
    include: { members: { orderBy: { id: "asc" } } },
  });
}

const workInput = (personId: number, over: Partial<WorkDayInput> = {}): WorkDayInput => {
  const w0 = { personId, cooperativeId: null, employer: "牡丹区果品冷库", periodStart: "2025-04-01", periodEnd: "2025-04-30", year: 2025, days: "12", dailyWageFen: 10_000n, amountFen: 120_000n, paidOn: null, note: "", ...over };
  return { ...w0, year: Number(w0.periodStart.slice(0, 4)) };
};
const wageOf = async (householdId: number, year: number, villageId = w.v1.id) => (await householdYears({ townshipId: w.t1.id, villageId, householdId }, year, "2026-06-30"))[0]!.wageFen;

describe("membership dates (入户日期 / 迁出日期) decide who counts, and when records may be dated", () => {
  it("work days and entries dated before a member joined or after they left are refused, naming the date", async () => {
    const h = await household("M001", [{ name: "周立新", joinedOn: "2025-06-01" }, { name: "周立业", leftOn: "2025-03-01" }]);
    const [a, b] = h.members;
    expect(await addWorkDay(users.secretary, h.id, workInput(a!.id, { periodStart: "2025-05-20", periodEnd: "2025-06-10", days: "10" }))).toEqual({
      ok: false,
      status: 400,
      errors: { periodStart: { key: "income.work.beforeJoined", params: { name: "周立新", date: "2025-06-01" } } },
    });
    expect((await addWorkDay(users.secretary, h.id, workInput(a!.id, { periodStart: "2025-06-01", periodEnd: "2025-06-10", days: "10" }))).ok).toBe(true);
    expect(await addWorkDay(users.secretary, h.id, workInput(b!.id, { periodStart: "2025-02-20", periodEnd: "2025-03-01", days: "5" }))).toEqual({
      ok: false,
      status: 400,
      errors: { periodEnd: { key: "income.work.afterLeft", params: { name: "周立业", date: "2025-03-01" } } },
    });
    const entry0 = { year: 2025, category: "WAGE" as const, kind: "LOCAL_WORK", personId: a!.id, amountFen: 50_000n, costFen: 0n, source: "", receivedOn: "2025-05-01", note: "" };
    expect(await addIncomeEntry(users.secretary, h.id, entry0)).toEqual({ ok: false, status: 400, errors: { receivedOn: { key: "income.entry.beforeJoined", params: { name: "周立新", date: "2025-06-01" } } } });
    expect(await addIncomeEntry(users.secretary, h.id, { ...entry0, year: 2024, receivedOn: null })).toEqual({ ok: false, status: 400, errors: { personId: { key: "income.entry.notMemberInYear", params: { name: "周立新", date: "2024" } } } });
    expect((await addIncomeEntry(users.secretary, h.id, { ...entry0, receivedOn: "2025-06-01" })).ok).toBe(true);
  });

  it("a record kept from before the dates were known is flagged on the account page, not hidden", async () => {
    const h = await household("M002", [{ name: "郑春来", joinedOn: "2025-06-01" }]);
    const p = h.members[0]!;
    // typed before the 入户日期 was entered: the check did not exist then
    await prisma.workDay.create({ data: { ...workInput(p.id, { periodStart: "2025-01-10", periodEnd: "2025-01-20", days: "5", amountFen: 50_000n }), householdId: h.id, townshipId: w.t1.id, villageId: w.v1.id, recordedById: users.secretary.id } });
    const account = (await householdAccount(users.secretary, h.id, 2025, ASOF))!;
    expect(account.work.map((r) => r.outside)).toEqual([{ key: "beforeJoined", date: "2025-06-01" }]);
    expect(account.members.map((m) => [m.joinedOn, m.share])).toEqual([["2025-06-01", "0.59"]]);
  });

  it("the 759,208.40-style household is set aside for review on the audit, never counted below or above the line", async () => {
    // registered on 2025-12-03 with the whole year's income: 60,320 yuan over 29 member-days
    const h = await household("M003", [{ name: "冯晚登", joinedOn: "2025-12-03" }], { status: "MONITORED" });
    const entry0 = { year: 2025, category: "WAGE" as const, kind: "MIGRANT_WORK", personId: null, amountFen: 6_000_000n, costFen: 0n, source: "", receivedOn: null, note: "" };
    expect((await addIncomeEntry(users.secretary, h.id, entry0)).ok).toBe(true);
    expect((await addIncomeEntry(users.secretary, h.id, { ...entry0, category: "PROPERTY", kind: "ASSET_DIVIDEND", amountFen: 32_000n, source: "资产收益扶贫分红" })).ok).toBe(true);
    // an entry dated before anyone was in the household is refused
    expect(await addIncomeEntry(users.secretary, h.id, { ...entry0, receivedOn: "2025-03-01" })).toEqual({ ok: false, status: 400, errors: { receivedOn: { key: "income.entry.noMemberOn", params: { name: "", date: "2025-03-01" } } } });
    const a = (await villageAudit(users.township, w.v1.id, 2025))!.audit;
    const row = a.review.find((r) => r.id === h.id)!;
    expect([row.review, row.memberYears, row.perCapitaFen]).toEqual(["FEW_MEMBER_DAYS", "0.08", 75_920_000n]);
    expect(a.flagged.map((r) => r.id)).not.toContain(h.id);
    expect(a.counts.review).toBe(a.review.length);
    expect(a.distribution.reduce((n, b) => n + b.count, 0) + a.counts.review + a.counts.noMembers).toBe(a.households);
    const t = await townshipAudit({ townshipId: w.t1.id, villageId: null }, 2025);
    expect(t.summary.villages.find((v) => v.villageId === w.v1.id)!.review).toBe(a.counts.review);
    expect(t.summary.totals.review).toBeGreaterThanOrEqual(1);
    const account = (await householdAccount(users.township, h.id, 2025, ASOF))!;
    expect(account.review).toBe("FEW_MEMBER_DAYS");
  });
});

describe("work days are recorded once, corrected or withdrawn (issue 11, item 6)", () => {
  it("the same days saved twice are refused, naming the record; a correction replaces it; a withdrawal counts nowhere", async () => {
    const h = await household("W001", [{ name: "卫长工" }]);
    const p = h.members[0]!;
    const first = await addWorkDay(users.secretary, h.id, workInput(p.id));
    if (!first.ok) throw new Error("not saved");
    expect(await addWorkDay(users.secretary, h.id, workInput(p.id))).toEqual({
      ok: false,
      status: 400,
      errors: { periodStart: { key: "income.work.overlap", params: { id: first.id, start: "2025-04-01", end: "2025-04-30", employer: "牡丹区果品冷库", days: "12" } } },
    });
    // a period that shares one day is a duplicate too; the next day is not
    expect((await addWorkDay(users.secretary, h.id, workInput(p.id, { periodStart: "2025-04-30", periodEnd: "2025-05-05", days: "2" }))).ok).toBe(false);
    expect(await wageOf(h.id, 2025)).toBe(120_000n);

    expect(await correctWorkDay(users.secretary, h.id, first.id, workInput(p.id, { days: "10", amountFen: 100_000n }), "")).toEqual({ ok: false, status: 400, errors: { withdrawReason: { key: "income.work.reasonRequired" } } });
    const corrected = await correctWorkDay(users.secretary, h.id, first.id, workInput(p.id, { days: "10", amountFen: 100_000n }), "天数记错");
    if (!corrected.ok) throw new Error(JSON.stringify(corrected));
    expect(await wageOf(h.id, 2025)).toBe(100_000n);
    const old = await prisma.workDay.findUniqueOrThrow({ where: { id: first.id } });
    expect([old.withdrawnById, old.withdrawReason, old.withdrawnAt !== null]).toEqual([users.secretary.id, "天数记错", true]);
    expect((await prisma.workDay.findUniqueOrThrow({ where: { id: corrected.id } })).correctsId).toBe(first.id);
    // the old record cannot be corrected or withdrawn again
    expect(await correctWorkDay(users.secretary, h.id, first.id, workInput(p.id), "再改")).toEqual({ ok: false, status: 400, errors: { withdrawReason: { key: "income.work.alreadyWithdrawn" } } });

    expect((await withdrawWorkDay(users.secretary, h.id, corrected.id, "重复登记")).ok).toBe(true);
    expect(await wageOf(h.id, 2025)).toBe(0n);
    const account = (await householdAccount(users.secretary, h.id, 2025, ASOF))!;
    expect(account.work.map((r) => [r.id, r.withdrawn, r.withdrawReason])).toEqual([
      [first.id, true, "天数记错"],
      [corrected.id, true, "重复登记"],
    ]);
    expect(account.figures.totalFen).toBe(0n);
    const trail = await prisma.auditEvent.findMany({ where: { entity: "WorkDay", entityId: { in: [String(first.id), String(corrected.id)] } }, orderBy: { id: "asc" } });
    expect(trail.map((e) => [Number(e.entityId), e.action])).toEqual([
      [first.id, "create"],
      [first.id, "update"],
      [corrected.id, "create"],
      [corrected.id, "update"],
    ]);
    expect(JSON.parse(trail[3]!.after!)).toMatchObject({ withdrawReason: "重复登记" });
    // with nothing live, the days can be recorded again
    expect((await addWorkDay(users.secretary, h.id, workInput(p.id))).ok).toBe(true);
  });

  it("the form posts and redirects with a message, so it clears; a refusal stays on the page next to the field", async () => {
    const h = await household("W002", [{ name: "魏表单" }]);
    const p = h.members[0]!;
    const form = { intent: "work", personId: String(p.id), employer: "冷库", periodStart: "2025-05-01", periodEnd: "2025-05-10", days: "5", dailyWage: "100" };
    const post = (f: Record<string, string>) => accountAction({ request: request(`/income/households/${h.id}`, { cookie: w.users.secretary.cookie, form: f }), params: { id: String(h.id) }, context: {} } as never);
    const saved = (await post(form)) as Response;
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toMatch(new RegExp(`^/income/households/${h.id}\\?year=2025&n=\\d+$`));
    expect(await flashOf(saved)).toMatchObject({ key: "incomeAccount.saved.work", params: { days: "5", person: "魏表单", start: "2025-05-01", end: "2025-05-10" } });
    const again = (await post(form)) as unknown as { data: { errors: Record<string, { key: string }> }; init: { status: number } };
    expect(again.init.status).toBe(400);
    expect(again.data.errors.periodStart!.key).toBe("income.work.overlap");
    expect(await statusOf(() => post({ intent: "withdraw-work", year: "2025", workDayId: "999999", withdrawReason: "x" }))).toBe(404);
  });

  it("for any sequence of record, correct and withdraw: no two live records of a person overlap, and wages = Σ live records", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("record" as const), start: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 0, max: 12 }), wage: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant("correct" as const), pick: fc.nat(), start: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 0, max: 12 }), wage: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant("withdraw" as const), pick: fc.nat() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const h = await household(`P${String(run++).padStart(3, "0")}`, [{ name: "樊属性" }, { name: "樊属二" }]);
        const people = h.members.map((m) => m.id);
        // the model: each accepted record as the rule says it must be
        const live = new Map<number, { personId: number; periodStart: string; periodEnd: string; amountFen: bigint }>();
        const ever: number[] = [];
        for (const [i, o] of ops.entries()) {
          if (o.kind === "withdraw") {
            const id = ever[o.pick % Math.max(ever.length, 1)];
            if (id === undefined) continue;
            const r = await withdrawWorkDay(users.secretary, h.id, id, "属性测试");
            expect(r.ok).toBe(live.has(id));
            live.delete(id);
            continue;
          }
          const personId = people[i % 2]!;
          const periodStart = addDays("2025-03-01", o.start);
          const periodEnd = addDays(periodStart, o.len);
          const input = workInput(personId, { periodStart, periodEnd, days: "1", dailyWageFen: BigInt(o.wage * 100), amountFen: BigInt(o.wage * 100) });
          const target = o.kind === "correct" ? ever[o.pick % Math.max(ever.length, 1)] : undefined;
          if (o.kind === "correct" && target === undefined) continue;
          const clash = [...live].some(([id, r]) => id !== target && r.personId === personId && periodsOverlap(r, input));
          const r = o.kind === "correct" ? await correctWorkDay(users.secretary, h.id, target!, input, "属性测试") : await addWorkDay(users.secretary, h.id, input);
          const accepted = !clash && (o.kind === "record" || live.has(target!));
          expect(r.ok).toBe(accepted);
          if (r.ok) {
            if (target !== undefined) live.delete(target);
            live.set(r.id, { personId, periodStart, periodEnd, amountFen: input.amountFen });
            ever.push(r.id);
          }
        }
        const rows = await prisma.workDay.findMany({ where: { householdId: h.id, withdrawnAt: null } });
        expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([...live.keys()].sort((a, b) => a - b));
        for (const a of rows) for (const b of rows) if (a.id < b.id && a.personId === b.personId) expect(periodsOverlap(a, b)).toBe(false);
        expect(await wageOf(h.id, 2025)).toBe(rows.reduce((s, r) => s + r.amountFen, 0n));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe("income counted by payment date: the audit names the cause of a sharp change (issue 11, item 10)", () => {
  it("rent due 2025-12-31 and paid in January: −70.9 % in 2025 and +413.9 % in 2026, each naming the late rent", async () => {
    const h = await household("R001", [{ name: "冷租户" }], { village: w.v2 });
    const v = w.v2;
    const plot = await prisma.contractedPlot.create({ data: { townshipId: v.townshipId, villageId: v.id, groupId: v.groups[0]!.id, householdId: h.id, parcelCode: "3717021020020100077", name: "村西地", contractArea: "3.60", contractEnd: "2057-12-31" } });
    const inst = (seq: number, y: number) => ({ householdId: h.id, townshipId: v.townshipId, villageId: v.id, seq, periodStart: `${y}-01-01`, periodEnd: `${y}-12-31`, dueDate: `${y}-12-31`, area: "3.60", rateNote: "CASH 800.00", amountFen: 288_000n });
    const k = await prisma.transferContract.create({
      data: {
        townshipId: v.townshipId, villageId: v.id, draftNo: "D-LATE-1", transfereeKind: "GROWER", transfereeName: "冷承包", form: "LEASE", use: "GRAIN", startDate: "2024-01-01", endDate: "2033-12-31",
        rentKind: "CASH", rentPerMu: "800.00", paymentTiming: "YEARLY", paymentMonthDay: "12-31", status: "SIGNED", createdById: users.secretary.id,
        parties: { create: { householdId: h.id } }, plots: { create: { plotId: plot.id, householdId: h.id, area: "3.60" } },
        installments: { create: [inst(1, 2024), inst(2, 2025)] },
      },
      include: { installments: { orderBy: { seq: "asc" } } },
    });
    const pay = async (i: (typeof k.installments)[number], paidOn: string) => {
      await prisma.rentPayment.create({ data: { installmentId: i.id, contractId: k.id, householdId: h.id, townshipId: v.townshipId, villageId: v.id, paidOn, amountFen: 288_000n, method: "BANK", recordedById: users.secretary2.id } });
      await prisma.rentInstallment.update({ where: { id: i.id }, data: { paidFen: 288_000n } });
    };
    await pay(k.installments[0]!, "2024-12-20");
    await pay(k.installments[1]!, "2026-01-10");
    for (const [year, fen] of [[2024, 110_000n], [2025, 115_800n], [2026, 307_100n]] as const) {
      expect((await addIncomeEntry(users.secretary2, h.id, { year, category: "TRANSFER", kind: "PENSION", personId: null, amountFen: fen, costFen: 0n, source: "养老金", receivedOn: null, note: "" })).ok).toBe(true);
    }
    const late = { kind: "RENT", receivedYear: 2026, belongsYear: 2025, amountFen: 288_000n };
    // the cash basis is kept: 2025 = 1,158.00 (no rent received in it), 2026 = 5,951.00 (the pension and 2025's rent)
    const a2025 = (await villageAudit(users.township, v.id, 2025))!.audit;
    const fell = a2025.fell.find((r) => r.id === h.id)!;
    expect([fell.totalFen, fell.changePercent, fell.offYear]).toEqual([115_800n, "-70.9", [late]]);
    const acc2026 = (await householdAccount(users.township, h.id, 2026, "2026-06-30"))!;
    expect([acc2026.figures.totalFen, acc2026.figures.changePercent, acc2026.rose, acc2026.offYear]).toEqual([595_100n, "413.9", true, [late]]);
    const acc2025 = (await householdAccount(users.township, h.id, 2025, "2026-06-30"))!;
    expect(acc2025.offYear).toEqual([late]);
    const t = translator("zh-CN");
    expect(t(`income.offYear.${late.kind}`, { received: late.receivedYear, belongs: late.belongsYear, amount: formatYuan(late.amountFen) })).toBe("2026 年收到 2025 年到期的租金 2,880.00 元");
    // a year without a sharp change names nothing
    expect((await householdAccount(users.township, h.id, 2024, "2026-06-30"))!.offYear).toEqual([]);
  });
});

describe("a fake clock at 00:30 China time (2026-12-02 16:30 UTC)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T16:30:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("accepts a harvest, a work day and an income entry dated 2026-12-03, refuses 2026-12-04, and prints the audit on 2026-12-03", async () => {
    const h = await household("C001", [{ name: "钟凌晨" }]);
    const plot = await prisma.orchardPlot.create({ data: plotData(w.v1, "CLOCK-1", 115.421, 35.331, { householdId: h.id }) });
    const harvest = { plotId: String(plot.id), harvestedOn: "2026-12-03", quantity: "200", unit: "JIN", price: "2", priceUnit: "JIN" };
    expect((await recordHarvest(users.secretary, harvest)).ok).toBe(true);
    expect(await recordHarvest(users.secretary, { ...harvest, harvestedOn: "2026-12-04" })).toEqual({ ok: false, errors: { harvestedOn: { key: "harvest.field.date.future", params: { today: "2026-12-03" } } } });

    const p = h.members[0]!;
    const post = (f: Record<string, string>) => accountAction({ request: request(`/income/households/${h.id}`, { cookie: w.users.secretary.cookie, form: f }), params: { id: String(h.id) }, context: {} } as never);
    const work = { intent: "work", personId: String(p.id), employer: "冷库", periodStart: "2026-12-01", periodEnd: "2026-12-03", days: "3", dailyWage: "100" };
    expect(((await post(work)) as Response).status).toBe(302);
    const futureWork = (await post({ ...work, periodStart: "2026-12-04", periodEnd: "2026-12-04", days: "1" })) as unknown as { data: { errors: Record<string, unknown> } };
    expect(futureWork.data.errors).toEqual({ periodEnd: { key: "income.form.dateFuture", params: { today: "2026-12-03" } } });
    // the server function refuses it too, whoever calls it
    expect(await addWorkDay(users.secretary, h.id, workInput(p.id, { periodStart: "2026-12-04", periodEnd: "2026-12-04", days: "1" }))).toEqual({ ok: false, status: 400, errors: { periodEnd: { key: "income.form.dateFuture", params: { today: "2026-12-03" } } } });

    const entry = { intent: "entry", year: "2026", category: "TRANSFER", kind: "PENSION", amount: "120", source: "养老金", receivedOn: "2026-12-03" };
    expect(((await post(entry)) as Response).status).toBe(302);
    const futureEntry = (await post({ ...entry, receivedOn: "2026-12-04" })) as unknown as { data: { errors: Record<string, unknown> } };
    expect(futureEntry.data.errors).toEqual({ receivedOn: { key: "income.form.dateFuture", params: { today: "2026-12-03" } } });
    expect(await addIncomeEntry(users.secretary, h.id, { year: 2026, category: "TRANSFER", kind: "PENSION", personId: null, amountFen: 100n, costFen: 0n, source: "x", receivedOn: "2026-12-04", note: "" })).toEqual({ ok: false, status: 400, errors: { receivedOn: { key: "income.form.dateFuture", params: { today: "2026-12-03" } } } });

    const saved = await prisma.harvest.findFirstOrThrow({ where: { plotId: plot.id } });
    expect([saved.harvestedOn, saved.year]).toEqual(["2026-12-03", 2026]);
    expect((await householdAccount(users.secretary, h.id, 2026, "2026-12-03"))!.figures.totalFen).toBe(40_000n + 30_000n + 12_000n);

    const v = (await villageAudit(users.township, w.v1.id, 2025))!;
    const input = auditDocumentInput(v, users.township);
    expect(input.generatedAt).toBe("2026-12-03 00:30");
  });
});
