import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { getUser } from "~/auth/session.server";
import { parseRunForm } from "~/dividends/run-form";
import { addObjection, approveRun, discardDraft, getRun, issueRun, publishRun, recordDividendPayment, resolveObjection, saveDraft, simulate, verifyStatement } from "~/dividends/runs.server";
import { addDays, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { RawForm } from "~/lib/forms";
import { equity } from "./dividends.fixtures";
import { buildWorld, request, type World } from "../factories";

let w: World;
let accountant: CurrentUser;
/** the cooperative's chair: approves and issues what the accountant drafts (maker-checker) */
let chair: CurrentUser;
let secretary: CurrentUser;

const as = async (u: { cookie: string }) => (await getUser(request("/", { cookie: u.cookie })))!;


beforeAll(async () => {
  w = await buildWorld();
  accountant = await as(w.users.accountant);
  chair = await as(w.users.chair);
  secretary = await as(w.users.secretary);
  // 谢建国's household put 16 mu in for the whole of 2025; another household joined on 1 July with 4 mu.
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2020-01-01", "2039-12-31");
  const h = await prisma.household.create({ data: { code: "0009", townshipId: w.t1.id, villageId: w.v1.id, groupId: w.v1.groups[0]!.id, headName: "鲁小河", bankAccount: "6230580000000001234" } });
  await equity(w, h.id, "3717021020010100002", "4.00", "2025-07-01", "2039-12-31");
});

const form = (over: RawForm = {}) => {
  const r = parseRunForm({ year: "2025", income: "60000", cost: "0", providentPercent: "0", riskPercent: "0", guaranteePerShare: "3000", noticeDays: "7", ...over }, "LAND_SHARE", 2026);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

describe("a land-share dividend run", () => {
  it("reads the share register from equity contracts, pro rata by days", async () => {
    const { register, result } = await simulate(accountant, form());
    const full = register.find((r) => r.householdId === w.h1.id)!;
    expect(Number(full.shares)).toBe(16);
    expect(Number(full.weight)).toBeCloseTo(16, 6);
    const half = register.find((r) => r.householdId !== w.h1.id)!;
    // 184 of 365 days of 2025.
    expect(Number(half.weight)).toBeCloseTo((4 * 184) / 365, 6);
    // 16 mu × 3,000 yuan = 48,000.00 for the whole-year household.
    const line = result.lines.find((l) => l.householdId === w.h1.id)!;
    expect(line.guaranteedFen).toBe(4_800_000n);
    expect(result.lines.reduce((s, l) => s + l.netFen, 0n)).toBe(result.distributedFen);
  });

  it("shows a shortfall instead of inventing money, and refuses to approve it", async () => {
    const short = await simulate(accountant, form({ income: "40000" }));
    expect(short.result.shortfallFen).toBeGreaterThan(0n);
    expect(short.result.distributedFen).toBeLessThanOrEqual(short.result.distributableFen);
  });

  let runId: number;
  it("is saved as a draft, approved (frozen), published, and issued once after the notice period", async () => {
    const saved = await saveDraft(accountant, null, form());
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    runId = saved.id;
    expect(await saveDraft(accountant, null, form())).toMatchObject({ ok: false, errors: { year: { key: "dividend.runExists" } } });
    expect(await approveRun(chair, runId)).toBeNull();
    const approved = (await getRun(accountant, runId))!;
    expect(approved.status).toBe("APPROVED");
    const frozen = approved.lines.map((l) => [l.householdId, l.netFen]);
    // Later changes to contracts do not move an approved run.
    await prisma.contractPlot.updateMany({ where: { contract: { draftNo: "EQ-3717021020010100001" } }, data: { area: "1.00" } });
    expect((await getRun(accountant, runId))!.lines.map((l) => [l.householdId, l.netFen])).toEqual(frozen);
    await prisma.contractPlot.updateMany({ where: { contract: { draftNo: "EQ-3717021020010100001" } }, data: { area: "16.00" } });

    expect(await publishRun(accountant, runId)).toBeNull();
    const published = (await getRun(accountant, runId))!;
    // 7 days from the publish day, both counted (regression: the period ran 8 days and allowed issuing on its last day).
    expect(published.noticeStartsOn).toBe(today());
    expect(published.noticeEndsOn).toBe(addDays(published.noticeStartsOn!, 6));
    expect(await issueRun(chair, runId)).toMatchObject({ run: { key: "dividend.noticeNotOver", params: { date: published.noticeEndsOn, from: addDays(published.noticeEndsOn!, 1) } } });
    expect(await issueRun(chair, runId, published.noticeEndsOn!)).toMatchObject({ run: { key: "dividend.noticeNotOver" } });

    // An objection is dated within the notice, never after today; it must be settled before issuing.
    expect(await addObjection(accountant, runId, { raisedBy: "鲁小河", content: "入股日期应为 6 月", raisedOn: addDays(today(), 1) })).toMatchObject({ raisedOn: { key: "dividend.dateFuture" } });
    expect(await addObjection(accountant, runId, { raisedBy: "鲁小河", content: "入股日期应为 6 月", raisedOn: addDays(published.noticeStartsOn!, -1) })).toMatchObject({ raisedOn: { key: "dividend.objectionBeforeNotice" } });
    expect(await addObjection(accountant, runId, { raisedBy: "鲁小河", content: "入股日期应为 6 月", raisedOn: published.noticeStartsOn! })).toBeNull();
    const after = addDays(published.noticeEndsOn!, 1);
    expect(await issueRun(chair, runId, after)).toMatchObject({ run: { key: "dividend.objectionsOpen" } });
    const objection = await prisma.dividendObjection.findFirstOrThrow({ where: { runId } });
    expect(await resolveObjection(accountant, runId, objection.id, "核对合同，入股日期为 7 月 1 日，维持原方案")).toBeNull();

    // A secretary cannot issue; two simultaneous issue requests issue once.
    await expect(issueRun(secretary, runId, after)).rejects.toMatchObject({ status: 403 });
    // maker-checker (issue 14): the accountant who drafted and published does not issue; the chair does
    await expect(issueRun(accountant, runId, after)).rejects.toMatchObject({ status: 403 });
    const results = await Promise.all([issueRun(chair, runId, after), issueRun(chair, runId, after)]);
    expect(results).toEqual([null, null]);
    const issued = (await getRun(accountant, runId))!;
    expect(issued.status).toBe("ISSUED");
    expect(new Set(issued.lines.map((l) => l.statementNo)).size).toBe(issued.lines.length);
    expect(issued.lines.every((l) => /^[2-9A-HJ-NP-Z]{10}$/.test(l.verifyCode!))).toBe(true);
    const audit = await prisma.auditEvent.count({ where: { entity: "DividendRun", entityId: String(runId), after: { contains: '"ISSUED"' } } });
    expect(audit).toBe(1);
  });

  it("keeps failed payments and is never paid beyond the net amount", async () => {
    const run = (await getRun(accountant, runId))!;
    const line = run.lines.find((l) => l.householdId === w.h1.id)!;
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-20", amount: "48000", reference: "", status: "FAILED", failureReason: "" })).toMatchObject({ failureReason: { key: "dividend.failureReasonRequired" } });
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-20", amount: "48000", reference: "", status: "FAILED", failureReason: "账户冻结" })).toBeNull();
    const net = (Number(line.netFen) / 100).toFixed(2);
    const tooMuch = ((Number(line.netFen) + 1) / 100).toFixed(2);
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-25", amount: tooMuch, reference: "X", status: "PAID", failureReason: "" })).toMatchObject({ amount: { key: "payment.amountTooLarge" } });
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-25", amount: net, reference: "NX-1", status: "PAID", failureReason: "" })).toBeNull();
    const payments = await prisma.dividendPayment.findMany({ where: { lineId: line.id }, orderBy: { id: "asc" } });
    expect(payments.map((p) => p.status)).toEqual(["FAILED", "PAID"]);
    expect((await prisma.dividendLine.findUniqueOrThrow({ where: { id: line.id } })).paidFen).toBe(line.netFen);
  });

  it("refuses payments dated after today and amounts beyond the upper bound, with a clear message (regression: 9999-12-31 was accepted)", async () => {
    const run = (await getRun(accountant, runId))!;
    const line = run.lines.find((l) => l.householdId !== w.h1.id)!;
    for (const paidOn of [addDays(today(), 1), "9999-12-31"]) {
      expect(await recordDividendPayment(accountant, line.id, { paidOn, amount: "1.00", reference: "", status: "PAID", failureReason: "" })).toMatchObject({ paidOn: { key: "dividend.dateFuture", params: { today: today() } } });
    }
    expect(await recordDividendPayment(accountant, line.id, { paidOn: today(), amount: "99999999999999999999", reference: "", status: "PAID", failureReason: "" })).toMatchObject({ amount: { key: "money.tooLarge" } });
    expect(await prisma.dividendPayment.count({ where: { lineId: line.id } })).toBe(0);
    expect(await recordDividendPayment(accountant, line.id, { paidOn: today(), amount: "1.00", reference: "", status: "PAID", failureReason: "" })).toBeNull();
  });

  it("is corrected by a new run that carries only the differences, never by editing", async () => {
    const before = (await getRun(accountant, runId))!;
    expect(await saveDraft(accountant, runId, form())).toMatchObject({ ok: false, errors: { form: { key: "dividend.notDraft" } } });
    // The guarantee should have been 3,100 yuan a share: more income covers it.
    const fixed = await saveDraft(accountant, null, form({ guaranteePerShare: "3100", income: "61600" }), runId);
    if (!fixed.ok) throw new Error(JSON.stringify(fixed.errors));
    const correction = (await getRun(accountant, fixed.id))!;
    expect(correction.correctsId).toBe(runId);
    const line = correction.lines.find((l) => l.householdId === w.h1.id)!;
    // 16 shares × 100 yuan more guarantee = 1,600.00 yuan more for the whole-year household.
    expect(line.guaranteedFen).toBe(160_000n);
    expect((await getRun(accountant, runId))!.lines.map((l) => l.netFen)).toEqual(before.lines.map((l) => l.netFen));
    expect(await approveRun(chair, fixed.id)).toBeNull();

    // While it is open no other correction can start; the refusal names the open one.
    expect(await saveDraft(accountant, null, form({ guaranteePerShare: "3100", income: "61600" }), runId)).toMatchObject({ ok: false, errors: { form: { key: "dividend.correctionOpen", params: { id: fixed.id } } } });
    expect(await publishRun(accountant, fixed.id)).toBeNull();
    const ends = (await getRun(accountant, fixed.id))!.noticeEndsOn!;
    expect(await issueRun(chair, fixed.id, addDays(ends, 1))).toBeNull();
  });

  it("corrects again against everything issued, never paying the same differences twice (regression)", async () => {
    // Pressing 更正此方案 on the original again with the same corrected inputs: nothing is left to correct.
    const again = await saveDraft(accountant, null, form({ guaranteePerShare: "3100", income: "61600" }), runId);
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect((await getRun(accountant, again.id))!.lines).toEqual([]);
    expect(await approveRun(chair, again.id)).toMatchObject({ run: { key: "dividend.noDifference" } });
    expect(await discardDraft(accountant, again.id)).toBeNull();

    // A further correction (3,200 a share) started from the first correction pays only the new 100 a share.
    const first = await prisma.dividendRun.findFirstOrThrow({ where: { correctsId: runId, status: "ISSUED" } });
    const third = await saveDraft(accountant, null, form({ guaranteePerShare: "3200", income: "63200" }), first.id);
    if (!third.ok) throw new Error(JSON.stringify(third.errors));
    const run3 = (await getRun(accountant, third.id))!;
    expect(run3.correctsId).toBe(runId);
    expect(run3.lines.find((l) => l.householdId === w.h1.id)!.guaranteedFen).toBe(160_000n);
    expect(await approveRun(chair, third.id)).toBeNull();
    expect(await publishRun(accountant, third.id)).toBeNull();
    expect(await issueRun(chair, third.id, addDays((await getRun(accountant, third.id))!.noticeEndsOn!, 1))).toBeNull();

    // original + Σ issued differences = the latest entitlement, per household and in total.
    const latest = (await simulate(accountant, form({ guaranteePerShare: "3200", income: "63200" }))).result;
    const issued = await prisma.dividendLine.findMany({ where: { run: { cooperativeId: w.c1.id, year: 2025, status: "ISSUED" } } });
    for (const l of latest.lines) {
      expect(issued.filter((i) => i.householdId === l.householdId).reduce((s, i) => s + i.netFen, 0n)).toBe(l.netFen);
    }
    const runs = await prisma.dividendRun.findMany({ where: { cooperativeId: w.c1.id, year: 2025, status: "ISSUED" } });
    expect(runs.reduce((s, r) => s + r.distributedFen, 0n)).toBe(latest.distributedFen);
    expect(runs.reduce((s, r) => s + r.distributableFen, 0n)).toBe(latest.distributableFen);
  });

  it("verifies an issued statement by its code, and nothing else", async () => {
    const line = (await getRun(accountant, runId))!.lines.find((l) => l.householdId === w.h1.id)!;
    const ok = await verifyStatement(line.verifyCode!);
    expect(ok?.netFen).toBe(line.netFen);
    const altered = line.verifyCode!.slice(0, 9) + (line.verifyCode!.endsWith("A") ? "B" : "A");
    expect(await verifyStatement(altered)).toBeNull();
    expect(await verifyStatement(line.statementNo!)).toBeNull();
  });
});
