import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { setDeduction } from "~/dividends/deductions.server";
import { noticeOf, rosterOf, runForDocuments, statementOfLine, statementsOf } from "~/dividends/documents.server";
import { renderRosterPdf } from "~/dividends/roster-pdf.server";
import { approveRun, getRun, issueRun, publishRun, recordDividendPayment, saveDraft } from "~/dividends/runs.server";
import { renderNoticeSheet, renderStatementPdf } from "~/dividends/statement-pdf.server";
import { addDays } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { pdfToBuffer } from "~/lib/pdf.server";
import { formatYuan } from "~/lib/money";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";
import { buildWorld, type World } from "../factories";

let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let h2: number;
let runId: number;

const pdfText = async (stream: NodeJS.ReadableStream) =>
  execFileSync("/usr/bin/pdftotext", ["-layout", "-", "-"], { input: await pdfToBuffer(stream), encoding: "utf8" }).replace(/\s+/g, "");

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  chair = await userOf(w.users.chair);
  await prisma.user.update({ where: { id: w.users.accountant.id }, data: { displayName: "刘会计" } });
  await prisma.user.update({ where: { id: w.users.chair.id }, data: { displayName: "赵理事长" } });
  // A monitored household in for the whole year; another that joined on 1 July.
  await prisma.household.update({ where: { id: w.h1.id }, data: { status: "MONITORED" } });
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2020-01-01", "2039-12-31");
  const h = await householdV1(w, "0009", "鲁小河");
  await prisma.household.update({ where: { id: h.id }, data: { status: "ALLEVIATED" } });
  h2 = h.id;
  await equity(w, h.id, "3717021020010100002", "4.00", "2025-07-01", "2039-12-31");
  const saved = await saveDraft(accountant, null, runForm());
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  runId = saved.id;
});

const lineOf = async (householdId: number) => prisma.dividendLine.findFirstOrThrow({ where: { runId, householdId } });

describe("deductions on a draft (扣除)", () => {
  it("are refused above the gross, without a reason, or above the bound, next to the field", async () => {
    const l = await lineOf(w.h1.id);
    const gross = l.guaranteedFen + l.surplusFen + l.transactionFen + l.capitalFen;
    const over = ((Number(gross) + 1) / 100).toFixed(2);
    expect(await setDeduction(accountant, runId, l.id, { amount: over, note: "代扣" })).toEqual({ deduction: { key: "dividend.deductionTooLarge", params: { gross: formatYuan(gross) } } });
    expect(await setDeduction(accountant, runId, l.id, { amount: "100", note: "" })).toEqual({ deductionNote: { key: "dividend.deductionNoteRequired" } });
    expect(await setDeduction(accountant, runId, l.id, { amount: "2000000000", note: "代扣" })).toMatchObject({ deduction: { key: "money.tooLarge" } });
    await expect(setDeduction(chair, runId, l.id, { amount: "1", note: "代扣" })).rejects.toMatchObject({ status: 403 });
  });

  it("lower the net only, survive a recomputation of the draft and the approval, and the run still adds up to the fen", async () => {
    const l = await lineOf(w.h1.id);
    expect(await setDeduction(accountant, runId, l.id, { amount: "356.40", note: "代扣代缴医保" })).toBeNull();
    const after = await lineOf(w.h1.id);
    expect([after.deductionFen, after.deductionNote, after.netFen]).toEqual([35_640n, "代扣代缴医保", l.netFen - 35_640n]);
    // saving the draft again recomputes it: the deduction stays with the household
    expect(await saveDraft(accountant, runId, runForm({ title: "2025 年度收益分配方案" }))).toEqual({ ok: true, id: runId });
    const kept = await lineOf(w.h1.id);
    expect([kept.deductionFen, kept.deductionNote, kept.netFen]).toEqual([35_640n, "代扣代缴医保", l.netFen - 35_640n]);
    expect(await approveRun(chair, runId)).toBeNull();
    const run = (await getRun(chair, runId))!;
    const gross = run.lines.reduce((s, x) => s + x.guaranteedFen + x.surplusFen + x.transactionFen + x.capitalFen, 0n);
    const net = run.lines.reduce((s, x) => s + x.netFen, 0n);
    const ded = run.lines.reduce((s, x) => s + x.deductionFen, 0n);
    expect(net + ded).toBe(gross);
    expect(gross).toBe(run.distributedFen);
    expect(run.lines.find((x) => x.householdId === w.h1.id)!.deductionNote).toBe("代扣代缴医保");
    // frozen: no deduction once approved
    // (the recomputation wrote the lines afresh: a new id)
    expect(await setDeduction(accountant, runId, (await lineOf(w.h1.id)).id, { amount: "1", note: "代扣" })).toEqual({ deduction: { key: "dividend.notDraft" } });
  });
});

describe("the public notice (公示表)", () => {
  it("carries each household's day-weighted shares and the start of its holding, and no poverty status", async () => {
    expect(await publishRun(accountant, runId)).toBeNull();
    const run = (await runForDocuments(accountant.scope, runId))!;
    const n = await noticeOf(accountant.scope, run);
    const byHead = new Map(n.rows.map((r) => [r.householdHead, r]));
    expect(byHead.get("鲁小河")).toMatchObject({ since: "2025-07-01", shares: "4" });
    expect(Number(byHead.get("鲁小河")!.weight)).toBeCloseTo((4 * 184) / 365, 9);
    expect(byHead.get(w.h1.headName)).toMatchObject({ since: "2020-01-01", weight: "16" });
    for (const r of n.rows) expect(r).not.toHaveProperty("povertyLabel");
    const t = await pdfText(renderNoticeSheet(n));
    expect(t).toContain("折算股数");
    expect(t).toContain("2025-07-01");
    expect(t).toContain("2.0164"); // 4 × 184 / 365
    for (const word of ["脱贫户", "监测户", "户类别"]) expect(t).not.toContain(word);
  });
});

describe("statements and the roster of the issued run", () => {
  it("tell the payment as it happened: 未支付, then the failure and its reason, then the day the money arrived; and print who made, approved and issued", async () => {
    const published = (await getRun(accountant, runId))!;
    expect(await issueRun(chair, runId, addDays(published.noticeEndsOn!, 1))).toBeNull();
    const line = await lineOf(h2);
    const statement = async () => (await statementOfLine(accountant.scope, line.id, "http://x"))!;
    expect((await statement()).payment).toEqual({ paid: [], failed: null, outstandingFen: line.netFen });
    let t = await pdfText(renderStatementPdf(await statement()));
    expect(t).toContain("到账情况未支付");
    expect(t).toContain("制表：刘会计　审定：赵理事长　发放：赵理事长".replace(/\s+/g, ""));

    const amount = (Number(line.netFen) / 100).toFixed(2);
    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-20", amount, reference: "", status: "FAILED", failureReason: "账户已销户" })).toBeNull();
    t = await pdfText(renderStatementPdf(await statement()));
    expect(t).toContain("2026年1月20日支付失败：账户已销户，待重新支付");

    expect(await recordDividendPayment(accountant, line.id, { paidOn: "2026-01-25", amount, reference: "NX-77", status: "PAID", failureReason: "" })).toBeNull();
    const s = await statement();
    t = await pdfText(renderStatementPdf(s));
    expect(t).toContain(`2026年1月25日到账${s.payment!.paid[0]!.amountFen === line.netFen ? "" : "x"}`);
    expect(t).toContain("（流水号NX-77）");
    expect(t).not.toContain("账户已销户");
    // the batch reads the same
    const all = [];
    for await (const x of statementsOf(accountant.scope, (await runForDocuments(accountant.scope, runId))!, "http://x")) all.push(x);
    expect(all.find((x) => x.householdHead === "鲁小河")!.payment!.paid.map((p) => p.reference)).toEqual(["NX-77"]);
    expect(all.find((x) => x.householdHead === w.h1.headName)!.deductionNote).toBe("代扣代缴医保");
  });

  it("the roster lists every household with its deduction, totals to the run's net and names the sign-off", async () => {
    const run = (await runForDocuments(accountant.scope, runId))!;
    const r = await rosterOf(accountant.scope, run);
    const rows = r.groups.flatMap((g) => g.rows);
    const lines = await prisma.dividendLine.findMany({ where: { runId } });
    expect(rows.reduce((s, x) => s + x.netFen, 0n)).toBe(lines.reduce((s, x) => s + x.netFen, 0n));
    expect([r.madeBy, r.approvedBy, r.issuedBy]).toEqual(["刘会计", "赵理事长", "赵理事长"]);
    const t = await pdfText(renderRosterPdf(r));
    for (const label of ["发放花名册", "签字或按手印", "代扣代缴医保", "356.40", "制表：刘会计", "理事长（签字）", "监事（签字）", "合计（2户）"]) expect(t).toContain(label);
    expect(t).not.toMatch(/\d{17}[\dX]/);
  });
});
