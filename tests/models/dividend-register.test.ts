import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { accountForYear } from "~/dividends/register";
import { registerPdf, registerWorkbook } from "~/dividends/register-files.server";
import { accountOf, accountsOf, registerOf } from "~/dividends/register.server";
import { approveRun, getRun, issueRun, publishRun, recordDividendPayment, saveDraft } from "~/dividends/runs.server";
import { addDays, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { pdfToBuffer } from "~/lib/pdf.server";
import * as accountsXlsx from "~/routes/resources.dividends.accounts[.]xlsx";
import * as registerPdfRoute from "~/routes/resources.dividends.register[.]pdf";
import * as registerXlsx from "~/routes/resources.dividends.register[.]xlsx";
import { buildWorld, request, type World } from "../factories";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";

/**
 * The share register reads its day-weighted shares with the run's own
 * function, so they equal a run's line weights; member accounts credit each
 * run's provident fund to its members to the fen and count only PAID
 * payments as paid (random runs and payments, on the database).
 */
let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let secretary: CurrentUser;
let secretary2: CurrentUser;

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  chair = await userOf(w.users.chair);
  secretary = await userOf(w.users.secretary);
  secretary2 = await userOf(w.users.secretary2);
  const h2 = await householdV1(w, "0009", "鲁小河");
  const h3 = await householdV1(w, "0010", "谢长顺");
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2000-01-01", "2039-12-31");
  await equity(w, h2.id, "3717021020010100002", "4.00", "2010-07-01", "2039-12-31");
  // h3 left early in 2012; an amendment of h2's contract took effect in 2014 (superseded version + version 2).
  const p3 = await equity(w, h3.id, "3717021020010100003", "6.00", "2000-01-01", "2039-12-31");
  await prisma.transferContract.update({ where: { id: p3.contractId }, data: { status: "TERMINATED", terminatedOn: "2012-06-30" } });
  const old = await equity(w, h2.id, "3717021020010100004", "2.00", "2011-01-01", "2039-12-31");
  await prisma.transferContract.update({ where: { id: old.contractId }, data: { status: "SUPERSEDED" } });
  const amended = await equity(w, h2.id, "3717021020010100005", "3.00", "2014-03-01", "2039-12-31");
  await prisma.transferContract.update({ where: { id: amended.contractId }, data: { amendsId: old.contractId, version: 2 } });
});

async function issuedRun(year: number, income: number, provident: number) {
  const saved = await saveDraft(accountant, null, runForm({ year: String(year), income: String(income), providentPercent: String(provident), riskPercent: "5", guaranteePerShare: "0" }));
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  expect(await approveRun(chair, saved.id)).toBeNull();
  expect(await publishRun(accountant, saved.id)).toBeNull();
  expect(await issueRun(chair, saved.id, addDays((await getRun(accountant, saved.id))!.noticeEndsOn!, 1))).toBeNull();
  return saved.id;
}

describe("the share register", () => {
  it("weights each household as the run does, lists its contracts and tells the history", async () => {
    const runId = await issuedRun(2012, 90_000, 10);
    const reg = await registerOf(accountant.scope, w.c1.id, 2012);
    const run = (await getRun(accountant, runId))!;
    expect(new Map(reg.rows.map((r) => [r.householdId, r.weight]))).toEqual(new Map(run.lines.map((l) => [l.householdId, l.weight])));
    expect(reg.rows.length).toBe(3);
    const h3 = reg.rows.find((r) => r.code === "0010")!;
    expect(h3.days).toBe(182); // 2012 is a leap year: 1 January to 30 June
    expect(h3.contracts[0]).toMatchObject({ terminatedOn: "2012-06-30", areaMu: "6.00", plot: "入股地" });
    expect(reg.history.map((e) => [e.date, e.kind])).toEqual([
      ["2000-01-01", "start"],
      ["2000-01-01", "start"],
      ["2010-07-01", "start"],
      ["2011-01-01", "start"],
      ["2012-06-30", "terminated"],
    ]);
    const later = await registerOf(accountant.scope, w.c1.id, 2014);
    expect(later.history.at(-1)).toMatchObject({ date: "2014-03-01", kind: "amended", label: "EQ-3717021020010100005 v2" });
    // A secretary of a village the cooperative does not serve does not get it.
    await expect(registerOf(secretary2.scope, w.c1.id, 2012)).rejects.toMatchObject({ status: 404 });
    expect((await registerOf(secretary.scope, w.c1.id, 2012)).rows.length).toBe(3);
  });

  it("is written as a workbook and a PDF", async () => {
    const reg = await registerOf(accountant.scope, w.c1.id, 2012);
    expect((await registerWorkbook(reg)).length).toBeGreaterThan(1000);
    const pdf = await pdfToBuffer(registerPdf(reg));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  it("puts every download of the register and the accounts in the audit trail", async () => {
    for (const [route, list] of [
      [registerXlsx, "share-register.xlsx"],
      [registerPdfRoute, "share-register.pdf"],
      [accountsXlsx, "member-accounts.xlsx"],
    ] as const) {
      const before = await prisma.auditEvent.count({ where: { action: "export", entityId: list } });
      const res = (await route.loader({ request: request(`/resources/dividends/x?coop=${w.c1.id}&year=2012`, { cookie: w.users.accountant.cookie }), params: {}, context: {} } as never)) as Response;
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "export", entityId: list }, orderBy: { id: "desc" } });
      expect(await prisma.auditEvent.count({ where: { action: "export", entityId: list } })).toBe(before + 1);
      expect([event.actorId, event.townshipId, JSON.parse(event.after!).cooperativeId]).toEqual([w.users.accountant.id, w.t1.id, w.c1.id]);
    }
  });
});

describe("member accounts", () => {
  it("credit each run's provident fund to its members to the fen, and count only PAID payments (property over random runs and payments)", async () => {
    let year = 2015;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 500_000 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ member: fc.nat(), part: fc.integer({ min: 1, max: 100 }), failed: fc.boolean() }), { maxLength: 6 }),
        async (income, provident, pays) => {
          year += 1;
          const runId = await issuedRun(year, income, provident);
          const run = (await getRun(accountant, runId))!;
          for (const p of pays) {
            const line = run.lines[p.member % run.lines.length]!;
            const fresh = await prisma.dividendLine.findUniqueOrThrow({ where: { id: line.id } });
            const amount = ((fresh.netFen - fresh.paidFen) * BigInt(p.part)) / 100n;
            if (amount <= 0n) continue;
            const yuanText = `${amount / 100n}.${String(amount % 100n).padStart(2, "0")}`;
            expect(await recordDividendPayment(accountant, line.id, { paidOn: today(), amount: yuanText, reference: "", status: p.failed ? "FAILED" : "PAID", failureReason: p.failed ? "户名不符" : "" })).toBeNull();
          }
          const a = await accountsOf(accountant.scope, w.c1.id);
          const ofYear = a.households.map((h) => accountForYear(a.accounts.get(h.id), year));
          expect(ofYear.reduce((s, x) => s + x.reserveFen, 0n)).toBe(run.providentFen);
          const paid = await prisma.dividendPayment.aggregate({ where: { status: "PAID", line: { runId } }, _sum: { amountFen: true } });
          expect(ofYear.reduce((s, x) => s + x.paidFen, 0n)).toBe(paid._sum.amountFen ?? 0n);
          expect(ofYear.reduce((s, x) => s + x.dueFen, 0n)).toBe(run.lines.reduce((s, l) => s + l.netFen, 0n));
          // Each statement's reserve share is in that member's account.
          for (const l of run.lines) expect(accountForYear(a.accounts.get(l.householdId), year).reserveFen).toBe(l.providentShareFen);
        },
      ),
      { numRuns: 5 },
    );
  });

  it("shows one member's account with its runs and capital, and only inside the scope", async () => {
    await prisma.memberCapital.create({ data: { cooperativeId: w.c1.id, householdId: w.h1.id, date: "2016-03-01", amountFen: 500_000n, note: "入社股金", recordedById: w.users.accountant.id } });
    const a = await accountOf(accountant.scope, w.c1.id, w.h1.id);
    expect(a.lines.length).toBeGreaterThan(0);
    expect(accountForYear(a.accounts.get(w.h1.id), 2030).capitalBalanceFen).toBe(500_000n);
    await expect(accountOf(secretary2.scope, w.c1.id, w.h1.id)).rejects.toMatchObject({ status: 404 });
    await expect(accountOf(accountant.scope, w.c2.id, w.h1.id)).rejects.toMatchObject({ status: 404 });
  });
});
