import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "~/auth/session.server";
import { addObjection, approveRun, discardDraft, getRun, issueRun, listRuns, objectionsWithRecorder, publishRun, recordDividendPayment, resolveObjection, saveDraft } from "~/dividends/runs.server";
import { today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import * as runPage from "~/routes/_app.dividends.$id";
import * as home from "~/routes/_app.home";
import * as statementPdf from "~/routes/resources.dividends.lines.$lineId.statement[.]pdf";
import { buildWorld, request, statusOf, type World } from "../factories";
import { equity, householdV1, runForm, userOf } from "./dividends.fixtures";

/**
 * The board's sign-off (issue 14, maker-checker): the accountant drafts,
 * publishes and pays; the chair (理事长) approves and issues, never a run
 * they drafted; the supervisor (监事) reads everything of the cooperative and
 * records objections. Invariant: no run is ever approved by whoever drafted
 * it, and only a chair approves or issues.
 */
let w: World;
let accountant: CurrentUser;
let chair: CurrentUser;
let supervisor: CurrentUser;
let secretary: CurrentUser;

const FAR = "2099-01-01";
const status403 = { status: 403 };

beforeAll(async () => {
  w = await buildWorld();
  [accountant, chair, supervisor, secretary] = await Promise.all([userOf(w.users.accountant), userOf(w.users.chair), userOf(w.users.supervisor), userOf(w.users.secretary)]);
  await equity(w, w.h1.id, "3717021020010100001", "16.00", "2020-01-01", "2039-12-31");
  const h = await householdV1(w, "0009", "鲁小河");
  await equity(w, h.id, "3717021020010100002", "4.00", "2020-01-01", "2039-12-31");
});

async function draft(year: number, by: CurrentUser = accountant) {
  const saved = await saveDraft(by, null, runForm({ year: String(year) }));
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return saved.id;
}

/** Deletes a run and everything under it, so that its year is free for the next case. */
async function remove(id: number) {
  const lines = (await prisma.dividendLine.findMany({ where: { runId: id }, select: { id: true } })).map((l) => l.id);
  await prisma.dividendPayment.deleteMany({ where: { lineId: { in: lines } } });
  await prisma.dividendLine.deleteMany({ where: { runId: id } });
  await prisma.dividendObjection.deleteMany({ where: { runId: id } });
  await prisma.dividendRun.deleteMany({ where: { id } });
}

const auditOf = (id: number) => prisma.auditEvent.findMany({ where: { entity: "DividendRun", entityId: String(id) }, orderBy: { id: "asc" } });

describe("maker-checker on a run", () => {
  it("the accountant drafts and publishes, the chair approves and issues; each step names who did it", async () => {
    const id = await draft(2025);
    await expect(approveRun(accountant, id)).rejects.toMatchObject(status403);
    await expect(approveRun(supervisor, id)).rejects.toMatchObject(status403);
    await expect(approveRun(secretary, id)).rejects.toMatchObject(status403);
    expect(await approveRun(chair, id)).toBeNull();
    await expect(publishRun(chair, id)).rejects.toMatchObject(status403);
    await expect(publishRun(supervisor, id)).rejects.toMatchObject(status403);
    expect(await publishRun(accountant, id)).toBeNull();

    // the supervisor records an objection (and so may the accountant); resolving it is the accountant's
    const raisedOn = today();
    expect(await addObjection(supervisor, id, { raisedBy: "鲁小河", content: "入股面积应为 4.5 亩", raisedOn })).toBeNull();
    await expect(addObjection(chair, id, { raisedBy: "鲁小河", content: "x", raisedOn })).rejects.toMatchObject(status403);
    await expect(addObjection(secretary, id, { raisedBy: "鲁小河", content: "x", raisedOn })).rejects.toMatchObject(status403);
    const objection = await prisma.dividendObjection.findFirstOrThrow({ where: { runId: id } });
    expect(objection.recordedById).toBe(supervisor.id);
    // the run page names who wrote it down
    expect((await objectionsWithRecorder([objection]))[0]!.recordedBy).toBe((await prisma.user.findUniqueOrThrow({ where: { id: supervisor.id } })).displayName);
    await expect(resolveObjection(supervisor, id, objection.id, "已核对")).rejects.toMatchObject(status403);
    await expect(resolveObjection(chair, id, objection.id, "已核对")).rejects.toMatchObject(status403);
    expect(await resolveObjection(accountant, id, objection.id, "核对合同，维持原方案")).toBeNull();

    await expect(issueRun(accountant, id, FAR)).rejects.toMatchObject(status403);
    await expect(issueRun(supervisor, id, FAR)).rejects.toMatchObject(status403);
    expect(await issueRun(chair, id, FAR)).toBeNull();

    const run = (await getRun(accountant, id))!;
    expect(run).toMatchObject({ status: "ISSUED", createdById: accountant.id, approvedById: chair.id, publishedById: accountant.id, issuedById: chair.id });
    // payments are the accountant's
    const line = run.lines[0]!;
    const pay = { paidOn: today(), amount: "1.00", reference: "", status: "PAID", failureReason: "" };
    await expect(recordDividendPayment(chair, line.id, pay)).rejects.toMatchObject(status403);
    await expect(recordDividendPayment(supervisor, line.id, pay)).rejects.toMatchObject(status403);
    expect(await recordDividendPayment(accountant, line.id, pay)).toBeNull();

    // the audit trail names the actor of every step
    const steps = (await auditOf(id)).map((e) => [e.actorId, JSON.parse(e.after ?? "{}").status ?? e.action]);
    expect(steps).toEqual([
      [accountant.id, "create"],
      [chair.id, "APPROVED"],
      [accountant.id, "PUBLISHED"],
      [chair.id, "ISSUED"],
    ]);
    const objectionEvent = await prisma.auditEvent.findFirstOrThrow({ where: { entity: "DividendObjection", entityId: String(objection.id), action: "create" } });
    expect(objectionEvent.actorId).toBe(supervisor.id);
    await remove(id);
  });

  it("a chair never approves a run they drafted, even one drafted before they became chair", async () => {
    // a draft whose maker is the chair's own account (e.g. the accountant who was later made chair)
    const id = await draft(2025);
    await prisma.dividendRun.update({ where: { id }, data: { createdById: chair.id } });
    expect(await approveRun(chair, id)).toEqual({ run: { key: "dividend.selfApproval" } });
    expect((await prisma.dividendRun.findUniqueOrThrow({ where: { id } })).status).toBe("DRAFT");
    // the page does not offer the button, and the action refuses with the same message
    const cookie = w.users.chair.cookie;
    const page = (await runPage.loader({ request: request(`/dividends/${id}`, { cookie }), params: { id: String(id) }, context: {} } as never)) as { canApprove: boolean };
    expect(page.canApprove).toBe(false);
    const res = await runPage.action({ request: request(`/dividends/${id}`, { cookie, form: { intent: "approve" } }), params: { id: String(id) }, context: {} } as never);
    expect(await statusOf(async () => res)).toBe(400);
    await remove(id);
  });

  it("the supervisor reads the cooperative's runs, lines, statements and home page, and is offered only the objection form", async () => {
    const id = await draft(2025);
    expect(await approveRun(chair, id)).toBeNull();
    expect(await publishRun(accountant, id)).toBeNull();
    expect((await listRuns(supervisor.scope)).map((r) => r.id)).toContain(id);
    const run = (await getRun(supervisor, id))!;
    expect(run.lines.length).toBe(2);
    const cookie = w.users.supervisor.cookie;
    const page = (await runPage.loader({ request: request(`/dividends/${id}`, { cookie }), params: { id: String(id) }, context: {} } as never)) as {
      canWrite: boolean;
      canApprove: boolean;
      canIssue: boolean;
      canObject: boolean;
      signOff: Record<string, string | null>;
    };
    expect(page).toMatchObject({ canWrite: false, canApprove: false, canIssue: false, canObject: true });
    expect(page.signOff).toEqual({ madeBy: "accountant", approvedBy: "chair", publishedBy: "accountant", issuedBy: null });
    const chairPage = (await runPage.loader({ request: request(`/dividends/${id}`, { cookie: w.users.chair.cookie }), params: { id: String(id) }, context: {} } as never)) as typeof page;
    // (the approve button shows only on a draft; the flag says the chair may approve this run)
    expect(chairPage).toMatchObject({ canWrite: false, canApprove: true, canIssue: true, canObject: false });
    const landing = (await home.loader({ request: request("/home", { cookie }), params: {}, context: {} } as never)) as { runs: { id: number; turn: boolean }[] | null };
    expect(landing.runs).toContainEqual(expect.objectContaining({ id, turn: true }));
    expect(await issueRun(chair, id, FAR)).toBeNull();
    const line = (await getRun(supervisor, id))!.lines[0]!;
    expect(await statusOf(() => statementPdf.loader({ request: request(`/resources/dividends/lines/${line.id}/statement.pdf`, { cookie }), params: { lineId: String(line.id) }, context: {} } as never))).toBe(200);
    await expect(discardDraft(supervisor, id)).rejects.toMatchObject(status403);
    await expect(saveDraft(supervisor, null, runForm({ year: "2024" }))).rejects.toMatchObject(status403);
    await remove(id);
  });
});

// ─── property: random actors and actions on a run ───────────────────────────

type Actor = "accountant" | "chair" | "supervisor" | "secretary" | "switcherAsChair";
type Action = "approve" | "publish" | "issue" | "objection" | "resolve" | "pay" | "discard";

describe("property: whatever the sequence of actors and actions", () => {
  it("no run is approved by its drafter, only a chair approves or issues, and each step succeeds exactly when the rules allow it", async () => {
    // One account drafts as accountant and later acts as chair: the createdById rule must hold across the change of role.
    const switcher = await prisma.user.create({ data: { username: "switcher", displayName: "switcher", role: "CHAIR", cooperativeId: w.c1.id, passwordHash: "scrypt$1$1$1$AA==$AA==" } });
    const switcherAsChair: CurrentUser = { ...chair, id: switcher.id, username: "switcher", displayName: "switcher" };
    const switcherAsAccountant: CurrentUser = { ...accountant, id: switcher.id, username: "switcher", displayName: "switcher" };
    const actors: Record<Actor, CurrentUser> = { accountant, chair, supervisor, secretary, switcherAsChair };
    const chairs = new Set([chair.id, switcher.id]);
    const roleOf = (a: Actor) => actors[a].role;

    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom<Actor>("accountant", "chair", "supervisor", "secretary", "switcherAsChair"), fc.constantFrom<Action>("approve", "publish", "issue", "objection", "resolve", "pay", "discard")), { maxLength: 10 }),
        async (bySwitcher, steps) => {
          const drafter = bySwitcher ? switcherAsAccountant : accountant;
          const id = await draft(2025, drafter);
          let status = "DRAFT";
          let open = 0;
          try {
            for (const [who, action] of steps) {
              const user = actors[who];
              const role = roleOf(who);
              let allowedRole: boolean;
              let ok: boolean;
              let call: () => Promise<unknown>;
              switch (action) {
                case "approve":
                  allowedRole = role === "CHAIR";
                  ok = status === "DRAFT" && user.id !== drafter.id;
                  call = () => approveRun(user, id);
                  break;
                case "publish":
                  allowedRole = role === "ACCOUNTANT";
                  ok = status === "APPROVED";
                  call = () => publishRun(user, id);
                  break;
                case "issue":
                  allowedRole = role === "CHAIR";
                  // issuing an issued run again is a no-op that answers null
                  ok = (status === "PUBLISHED" && open === 0) || status === "ISSUED";
                  call = () => issueRun(user, id, FAR);
                  break;
                case "objection":
                  allowedRole = role === "ACCOUNTANT" || role === "SUPERVISOR";
                  ok = status === "PUBLISHED";
                  call = () => addObjection(user, id, { raisedBy: "鲁小河", content: "异议", raisedOn: today() });
                  break;
                case "resolve": {
                  allowedRole = role === "ACCOUNTANT";
                  const o = await prisma.dividendObjection.findFirst({ where: { runId: id, resolvedOn: null } });
                  ok = status === "PUBLISHED" && !!o;
                  // with nothing to resolve the call would answer 404; skip it
                  if (status === "PUBLISHED" && !o && allowedRole) continue;
                  call = () => resolveObjection(user, id, o?.id ?? 0, "已核对");
                  break;
                }
                case "pay": {
                  allowedRole = role === "ACCOUNTANT";
                  const line = await prisma.dividendLine.findFirstOrThrow({ where: { runId: id }, orderBy: { id: "asc" } });
                  ok = status === "ISSUED";
                  call = () => recordDividendPayment(user, line.id, { paidOn: today(), amount: "1.00", reference: "", status: "PAID", failureReason: "" });
                  break;
                }
                case "discard":
                  allowedRole = role === "ACCOUNTANT";
                  ok = status === "DRAFT";
                  call = () => discardDraft(user, id);
                  break;
              }
              if (!allowedRole) {
                await expect(call(), `${who} ${action}`).rejects.toMatchObject(status403);
                continue;
              }
              const result = await call();
              expect(result === null, `${who} ${action} in ${status}: ${JSON.stringify(result)}`).toBe(ok);
              if (!ok) continue;
              if (action === "approve") status = "APPROVED";
              if (action === "publish") status = "PUBLISHED";
              if (action === "issue") status = "ISSUED";
              if (action === "objection") open++;
              if (action === "resolve") open--;
              if (action === "discard") return;
            }
            const run = await prisma.dividendRun.findUniqueOrThrow({ where: { id } });
            expect(run.status).toBe(status);
            expect(run.createdById).toBe(drafter.id);
            if (run.approvedById !== null) {
              expect(run.approvedById).not.toBe(run.createdById);
              expect(chairs.has(run.approvedById)).toBe(true);
            }
            if (run.issuedById !== null) expect(chairs.has(run.issuedById)).toBe(true);
            // the status history, as the audit trail tells it: approvals and issues by a chair other than the drafter
            for (const e of await auditOf(id)) {
              const to = JSON.parse(e.after ?? "{}").status;
              if (to === "APPROVED") expect(chairs.has(e.actorId!) && e.actorId !== drafter.id).toBe(true);
              if (to === "ISSUED") expect(chairs.has(e.actorId!)).toBe(true);
              if (to === "PUBLISHED") expect(e.actorId).toBe(accountant.id);
            }
          } finally {
            await remove(id);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);
});
