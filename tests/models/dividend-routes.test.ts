import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { approveRun, getRun, issueRun, publishRun, saveDraft } from "~/dividends/runs.server";
import { addDays, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import * as runPage from "~/routes/_app.dividends.$id";
import * as members from "~/routes/_app.dividends.members";
import * as newRun from "~/routes/_app.dividends.new";
import * as linesXlsx from "~/routes/resources.dividends.$id.lines[.]xlsx";
import * as noticePdf from "~/routes/resources.dividends.$id.notice[.]pdf";
import * as statementsPdf from "~/routes/resources.dividends.$id.statements[.]pdf";
import { buildWorld, request, statusOf, type World } from "../factories";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";

/**
 * The dividend pages as the accountant uses them: loaders and actions called
 * with a real request, answering with the status and the data the page shows.
 */
let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let cookie: string;

type Loaded = Record<string, unknown>;
const call = async (fn: (args: never) => Promise<unknown>, path: string, form?: Record<string, string>, params: Record<string, string> = {}) => {
  const req = request(path, { cookie, form });
  let status = 0;
  let body: unknown;
  status = await statusOf(async () => {
    body = await fn({ request: req, params, context: {} } as never);
    return body;
  });
  const value = body && typeof body === "object" && "data" in body && "init" in body ? (body as { data: unknown }).data : body;
  return { status, data: value as Loaded, response: body instanceof Response ? body : null };
};

const runFields = { year: "2025", income: "60000", cost: "0", providentPercent: "0", riskPercent: "0", guaranteePerShare: "3000", noticeDays: "7" };
const HUGE = "99999999999999999999";

beforeAll(async () => {
  w = await buildWorld();
  accountant = await userOf(w.users.accountant);
  chair = await userOf(w.users.chair);
  cookie = w.users.accountant.cookie;
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2020-01-01", "2039-12-31");
  const h = await householdV1(w, "0009", "鲁小河");
  await equity(w, h.id, "3717021020010100002", "4.00", "2025-07-01", "2039-12-31");
});

describe("amounts beyond the upper bound (10亿元) are refused with a clear message, never a 500 (regression)", () => {
  it("in the run form: income, costs and guarantee, when simulating and when saving", async () => {
    for (const field of ["income", "cost", "guaranteePerShare"]) {
      const sim = await call(newRun.loader, `/dividends/new?${new URLSearchParams({ ...runFields, [field]: HUGE })}`);
      expect(sim.status).toBe(200);
      expect((sim.data.errors as Record<string, { key: string }>)[field]).toEqual({ key: "money.tooLarge" });
      const saved = await call(newRun.action, "/dividends/new", { ...runFields, [field]: HUGE });
      expect(saved.status).toBe(400);
      expect((saved.data.errors as Record<string, { key: string }>)[field]).toEqual({ key: "money.tooLarge" });
    }
    expect(await prisma.dividendRun.count()).toBe(0);
  });

  it("in member transactions and capital, with dates after today refused too", async () => {
    for (const kind of ["transaction", "capital"]) {
      const big = await call(members.action, "/dividends/members", { kind, villageId: String(w.v1.id), code: "0001", date: today(), description: "交售鲜桃", quantityKg: "", amount: HUGE });
      expect(big.status).toBe(400);
      expect((big.data.errors as Record<string, { key: string }>).amount).toEqual({ key: "money.tooLarge" });
      const later = await call(members.action, "/dividends/members", { kind, villageId: String(w.v1.id), code: "0001", date: addDays(today(), 1), description: "交售鲜桃", quantityKg: "", amount: "100" });
      expect((later.data.errors as Record<string, { key: string }>).date).toMatchObject({ key: "dividend.dateFuture" });
    }
    expect(await prisma.memberTransaction.count()).toBe(0);
    expect(await prisma.memberCapital.count()).toBe(0);
  });
});

describe("a draft run", () => {
  let id: number;
  it("is saved, and a second run of the year is refused with a link to the first (regression: the year was blocked)", async () => {
    const saved = await call(newRun.action, "/dividends/new", runFields);
    expect(saved.status).toBe(302);
    id = Number(saved.response!.headers.get("Location")!.split("/").pop());
    const again = await call(newRun.action, "/dividends/new", runFields);
    expect(again.status).toBe(400);
    expect((again.data.errors as Record<string, unknown>).year).toEqual({ key: "dividend.runExists", params: { id } });
  });

  it("is edited: the form starts from its inputs, and saving recomputes it in place", async () => {
    const form = await call(newRun.loader, `/dividends/new?edit=${id}`);
    expect(form.data.editId).toBe(id);
    expect((form.data.defaults as Record<string, string>).income).toBe("60000.00");
    const saved = await call(newRun.action, `/dividends/new?edit=${id}`, { ...runFields, income: "70000", title: "改后的方案" });
    expect(saved.status).toBe(302);
    expect(saved.response!.headers.get("Location")).toBe(`/dividends/${id}`);
    const run = (await getRun(accountant, id))!;
    expect(run.incomeFen).toBe(7_000_000n);
    expect(run.title).toBe("改后的方案");
    expect(run.lines.reduce((s, l) => s + l.netFen, 0n)).toBe(7_000_000n);
    expect(await prisma.dividendRun.count()).toBe(1);
    expect(await prisma.auditEvent.count({ where: { entity: "DividendRun", entityId: String(id), action: "update" } })).toBe(1);
  });

  it("with a shortfall shows each household's guarantee due, what it would get and what it lacks (regression: only the reduced payout)", async () => {
    const sim = await call(newRun.loader, `/dividends/new?${new URLSearchParams({ ...runFields, income: "40000" })}`);
    const s = sim.data.sim as { shortfall: boolean; lines: { due: string; guaranteed: string; lacking: string }[] };
    expect(s.shortfall).toBe(true);
    for (const l of s.lines) {
      expect(Number(l.lacking)).toBeGreaterThan(0);
      expect(Math.round((Number(l.due) - Number(l.guaranteed)) * 100)).toBe(Math.round(Number(l.lacking) * 100));
    }
    // 16 shares × 3,000 = 48,000.00 due for the whole-year household.
    expect(s.lines.map((l) => l.due)).toContain("48000.00");
    // The saved draft's page shows the same.
    await call(newRun.action, `/dividends/new?edit=${id}`, { ...runFields, income: "40000" });
    const page = await call(runPage.loader, `/dividends/${id}`, undefined, { id: String(id) });
    const run = page.data.run as { shortfall: boolean; lines: { due: string; guaranteed: string; lacking: string }[] };
    expect(run.shortfall).toBe(true);
    expect(run.lines.map((l) => [l.due, l.guaranteed, l.lacking])).toEqual(s.lines.map((l) => [l.due, l.guaranteed, l.lacking]));
  });

  it("is discarded with an audit event, which frees the year; other runs cannot be discarded", async () => {
    // irreversible: refused without a reason, the draft kept
    const noReason = await call(runPage.action, `/dividends/${id}`, { intent: "discard" }, { id: String(id) });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ reason: { key: "confirm.reasonRequired" } });
    expect(await prisma.dividendRun.count({ where: { id } })).toBe(1);
    const done = await call(runPage.action, `/dividends/${id}`, { intent: "discard", reason: "收入录错" }, { id: String(id) });
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe("/dividends");
    expect(done.response!.headers.get("Set-Cookie")).toContain("__cunshe_flash=");
    expect(await prisma.dividendRun.findUnique({ where: { id } })).toBeNull();
    expect(await prisma.dividendLine.count({ where: { runId: id } })).toBe(0);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "DividendRun", entityId: String(id), action: "delete" } });
    expect(JSON.parse(event.before!)).toMatchObject({ status: "DRAFT", year: 2025, incomeFen: "4000000" });
    expect(JSON.parse(event.after!)).toMatchObject({ discarded: true, reason: "收入录错" });
    const fresh = await call(newRun.action, "/dividends/new", runFields);
    expect(fresh.status).toBe(302);
    const freshId = Number(fresh.response!.headers.get("Location")!.split("/").pop());
    expect(await approveRun(chair, freshId)).toBeNull();
    const refused = await call(runPage.action, `/dividends/${freshId}`, { intent: "discard", reason: "试试" }, { id: String(freshId) });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ run: { key: "dividend.discardNotDraft" } });
    expect(await prisma.dividendRun.count({ where: { id: freshId } })).toBe(1);
  });
});

describe("a correction's page", () => {
  it("shows issued so far, corrected and difference, for each household and the totals; a second correction is refused while it is open", async () => {
    const original = await prisma.dividendRun.findFirstOrThrow({ where: { year: 2025, correctsId: null } });
    expect(await publishRun(accountant, original.id)).toBeNull();
    expect(await issueRun(chair, original.id, addDays((await getRun(accountant, original.id))!.noticeEndsOn!, 1))).toBeNull();
    const c = await saveDraft(accountant, null, runForm({ guaranteePerShare: "3100", income: "61600" }), original.id);
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
    const page = await call(runPage.loader, `/dividends/${c.id}`, undefined, { id: String(c.id) });
    const d = page.data as { correction: { original: { id: number }; totals: { issued: Record<string, string>; corrected: Record<string, string>; difference: Record<string, string> } }; run: { lines: { householdId?: number; head: string; net: string; change: { issued: string; corrected: string } }[] } };
    expect(d.correction.original.id).toBe(original.id);
    expect(d.correction.totals.issued.distributedFen).toBe("60000.00");
    expect(d.correction.totals.corrected.distributedFen).toBe("61600.00");
    expect(d.correction.totals.difference.distributedFen).toBe("1600.00");
    const h1 = d.run.lines.find((l) => l.head === "谢建国")!;
    expect(Number(h1.change.corrected) - Number(h1.change.issued)).toBeCloseTo(Number(h1.net), 2);
    // The original's page offers no second correction but links to the open one.
    const orig = await call(runPage.loader, `/dividends/${original.id}`, undefined, { id: String(original.id) });
    expect(orig.data.correctAt).toBeNull();
    expect(orig.data.openCorrectionId).toBe(c.id);
    const start = await call(newRun.loader, `/dividends/new?corrects=${original.id}`);
    expect(start.data.openCorrectionId).toBe(c.id);

    // Its papers have their own file names: 更正 and its number, never the original's name.
    const fileName = async (mod: { loader: (args: never) => Promise<unknown> }, path: string, runIdOf: number) => {
      const res = (await mod.loader({ request: request(path, { cookie }), params: { id: String(runIdOf) }, context: {} } as never)) as Response;
      await res.body?.cancel();
      return decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers.get("Content-Disposition")!)![1]!);
    };
    for (const [mod, kind] of [[noticePdf, "notice.pdf"], [statementsPdf, "statements.pdf"], [linesXlsx, "lines.xlsx"]] as const) {
      const corrected = await fileName(mod, `/resources/dividends/${c.id}/${kind}`, c.id);
      const orig2 = await fileName(mod, `/resources/dividends/${original.id}/${kind}`, original.id);
      expect(corrected).toContain("更正");
      expect(corrected).toContain(`第${c.id}号`);
      expect(orig2).not.toContain("更正");
      expect(corrected).not.toBe(orig2);
    }
  });
});
