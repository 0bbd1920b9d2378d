import { randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import { changedFields, recordAudit } from "~/auth/audit.server";
import { ownPlace, type Permission, type Scope } from "~/auth/permissions";
import { cooperativeScopeWhere, requireCan } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { HOLDING_STATUSES } from "~/contracts/status";
import { addDays, isValidDate, now, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { formatYuan, parseYuan, toFen } from "~/lib/money";
import type { FieldErrors } from "~/lib/forms";
import { computeRun, type RunInput, type RunResult } from "./compute";
import { correctionOf, sumIssuedLines, sumTotals, type IssuedLine } from "./correction";
import { noticeOver, noticePeriod } from "./notice";
import type { RunFormInput } from "./run-form";
import { weightedShares } from "./shares";
import { addToPaidFen, equityPlotsOf, insertDividendLines } from "./runs.queries.server";
import { keptDeductions, restoreDeductionNotes } from "./deductions.server";

type Tx = Prisma.TransactionClient;

export function runScopeWhere(scope: Scope): Prisma.DividendRunWhereInput {
  return { cooperative: cooperativeScopeWhere(scope) };
}

/** The accountant's own cooperative, whose runs and member accounts they keep (403 for anyone else). */
export async function requireOwnCooperative(user: CurrentUser) {
  const own = ownPlace(user.scope);
  requireCan(user, "write:dividend", own);
  return prisma.cooperative.findUniqueOrThrow({ where: { id: own!.cooperativeId! }, select: { id: true, name: true, type: true, townshipId: true, sharesPerMu: true, creditCode: true, phone: true } });
}

/**
 * The share register (股权登记) of a cooperative for a year: households with
 * equity-share (入股) contracts to it, their area, shares and the shares
 * weighted by the days of the year they were held. Professional cooperatives
 * add each member's transactions and capital.
 */
export async function shareRegister(tx: Tx, cooperativeId: number, year: number) {
  const coop = await tx.cooperative.findUniqueOrThrow({ where: { id: cooperativeId }, select: { sharesPerMu: true, type: true } });
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // One query for the whole register: a run of thousands of households must not
  // cost thousands of round trips (ADR 009).
  const rows = await equityPlotsOf(tx, cooperativeId, HOLDING_STATUSES, from, to);
  const weighted = weightedShares(
    rows.map((l) => ({ householdId: l.householdId, areaMu: l.area, startDate: l.startDate, endDate: l.endDate, terminatedOn: l.terminatedOn })),
    year,
    coop.sharesPerMu,
  );
  const byId = new Map(
    rows.map((r) => [
      r.householdId,
      { id: r.householdId, code: r.code, headName: r.headName, villageId: r.villageId, townshipId: r.townshipId, status: r.status, bankAccount: r.bankAccount, village: { name: r.villageName } },
    ]),
  );
  const [transactions, capital] = coop.type === "PROFESSIONAL"
    ? await Promise.all([
        tx.memberTransaction.groupBy({ by: ["householdId"], where: { cooperativeId, date: { gte: from, lte: to } }, _sum: { amountFen: true } }),
        tx.memberCapital.groupBy({ by: ["householdId"], where: { cooperativeId, date: { lte: to } }, _sum: { amountFen: true } }),
      ])
    : [[], []];
  const tsum = new Map(transactions.map((t) => [t.householdId, t._sum.amountFen ?? 0n]));
  const csum = new Map(capital.map((c) => [c.householdId, c._sum.amountFen ?? 0n]));
  return weighted
    .map((w) => ({ ...w, household: byId.get(w.householdId)!, transactionFen: tsum.get(w.householdId) ?? 0n, capitalFen: csum.get(w.householdId) ?? 0n }))
    .sort((a, b) => a.household.villageId - b.household.villageId || a.household.code.localeCompare(b.household.code));
}

export type Register = Awaited<ReturnType<typeof shareRegister>>;

export function runInputOf(method: "LAND_SHARE" | "PROFESSIONAL", f: RunFormInput, register: Register, deductions: ReadonlyMap<number, { fen: bigint }> = new Map()): RunInput {
  return {
    method,
    incomeFen: f.incomeFen,
    costFen: f.costFen,
    providentPercent: f.providentPercent,
    riskPercent: f.riskPercent,
    guaranteePerShare: f.guaranteePerShare ?? undefined,
    transactionPercent: f.transactionPercent ?? undefined,
    members: register.map((r) => ({
      householdId: r.householdId,
      weight: r.weight,
      shares: r.shares,
      areaMu: r.areaMu,
      transactionFen: r.transactionFen,
      capitalFen: r.capitalFen,
      // a draft's deductions stay while the household stays in the run
      deductionFen: deductions.get(r.householdId)?.fen ?? 0n,
      key: `${r.household.villageId}-${r.household.code}`,
    })),
  };
}

/** The simulator: the run's result for these inputs, computed and not saved. */
export async function simulate(user: CurrentUser, f: RunFormInput) {
  const coop = await requireOwnCooperative(user);
  const register = await shareRegister(prisma as unknown as Tx, coop.id, f.year);
  const result = computeRun(runInputOf(coop.type as "LAND_SHARE" | "PROFESSIONAL", f, register));
  return { coop, register, result };
}

function runFields(f: RunFormInput, result: RunResult) {
  return {
    year: f.year,
    title: f.title,
    resolution: f.resolution,
    incomeFen: f.incomeFen,
    costFen: f.costFen,
    providentPercent: f.providentPercent,
    riskPercent: f.riskPercent,
    guaranteePerShare: f.guaranteePerShare,
    transactionPercent: f.transactionPercent,
    noticeDays: f.noticeDays,
    contactPhone: f.contactPhone,
    surplusFen: result.surplusFen,
    providentFen: result.providentFen,
    riskFen: result.riskFen,
    distributableFen: result.distributableFen,
    distributedFen: result.distributedFen,
    shortfallFen: result.shortfallFen,
  };
}

async function writeLines(tx: Tx, runId: number, register: Register, result: RunResult) {
  await tx.dividendLine.deleteMany({ where: { runId } });
  const reg = new Map(register.map((r) => [r.householdId, r]));
  // A correction may carry households that are no longer in the register.
  const missing = result.lines.filter((l) => !reg.has(l.householdId)).map((l) => l.householdId);
  const places = new Map((await tx.household.findMany({ where: { id: { in: missing } }, select: { id: true, townshipId: true, villageId: true } })).map((h) => [h.id, h]));
  await insertDividendLines(
    tx,
    runId,
    result.lines.map((l) => {
      const r = reg.get(l.householdId);
      const place = r?.household ?? places.get(l.householdId)!;
      return { ...l, townshipId: place.townshipId, villageId: place.villageId, weight: r?.weight ?? "0" };
    }),
  );
}

const OPEN = ["DRAFT", "APPROVED", "PUBLISHED"];
const issuedLineSelect = { householdId: true, shares: true, areaMu: true, guaranteedFen: true, surplusFen: true, transactionFen: true, capitalFen: true, providentShareFen: true, deductionFen: true, netFen: true } as const;

/**
 * Everything already issued for a cooperative and year: the original run and
 * every issued correction (only those before `beforeId`, when the base of an
 * existing correction is asked for). A correction is computed against this,
 * never against the original alone (app/dividends/correction.ts).
 */
export async function issuedBase(tx: Tx, cooperativeId: number, year: number, beforeId: number | null = null) {
  const runs = await tx.dividendRun.findMany({
    where: { cooperativeId, year, status: "ISSUED", ...(beforeId !== null ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, surplusFen: true, providentFen: true, riskFen: true, distributableFen: true, distributedFen: true, lines: { select: issuedLineSelect } },
  });
  return { runIds: runs.map((r) => r.id), lines: sumIssuedLines(runs.flatMap((r) => r.lines as IssuedLine[])), totals: sumTotals(runs) };
}

/** The correction of a cooperative and year that is not issued yet, if any: only one may be open at a time. */
export async function openCorrection(tx: Tx, cooperativeId: number, year: number, exceptId: number | null = null) {
  return tx.dividendRun.findFirst({ where: { cooperativeId, year, correctsId: { not: null }, status: { in: OPEN }, ...(exceptId !== null ? { NOT: { id: exceptId } } : {}) }, select: { id: true, status: true } });
}

/** openCorrection outside a transaction, for pages. */
export function findOpenCorrection(cooperativeId: number, year: number) {
  return openCorrection(prisma as unknown as Tx, cooperativeId, year);
}

async function asCorrection(tx: Tx, cooperativeId: number, year: number, result: RunResult): Promise<RunResult> {
  const base = await issuedBase(tx, cooperativeId, year);
  return correctionOf(base.lines, base.totals, result);
}

/**
 * The original run a correction starts from: an issued run of the user's
 * cooperative that is not itself a correction (a correction of a correction
 * corrects the same original, against everything issued).
 */
export async function correctionRoot(tx: Tx, cooperativeId: number, id: number) {
  const run = await tx.dividendRun.findFirst({ where: { id, cooperativeId, status: "ISSUED" }, select: { id: true, correctsId: true } });
  if (!run) return null;
  const rootId = run.correctsId ?? run.id;
  return tx.dividendRun.findFirst({ where: { id: rootId, cooperativeId, status: "ISSUED", correctsId: null }, select: { id: true, year: true, title: true } });
}

type SaveResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/**
 * Saves the simulator's inputs as a draft run with its computed lines, or
 * changes a draft (`runId`). One original run per cooperative and year; a
 * correction (`correctsId`: an issued run of the year) only while no other
 * correction of the year is open. Refusals name the run in the way.
 */
export async function saveDraft(user: CurrentUser, runId: number | null, f: RunFormInput, correctsId: number | null = null): Promise<SaveResult> {
  const coop = await requireOwnCooperative(user);
  return prisma.$transaction(async (tx): Promise<SaveResult> => {
    let before: Awaited<ReturnType<typeof tx.dividendRun.findFirst>> = null;
    if (runId !== null) {
      before = await tx.dividendRun.findFirst({ where: { id: runId, cooperativeId: coop.id } });
      if (!before) notFound();
      if (before.status !== "DRAFT") return { ok: false, errors: { form: { key: "dividend.notDraft" } } };
      // A draft keeps what it is: an edited correction stays a correction of the same run.
      correctsId = before.correctsId;
    }
    if (correctsId !== null) {
      const root = await correctionRoot(tx, coop.id, correctsId);
      if (!root) notFound();
      correctsId = root.id;
      if (root.year !== f.year) return { ok: false, errors: { year: { key: "dividend.correctionYear", params: { year: root.year } } } };
      const open = await openCorrection(tx, coop.id, root.year, runId);
      if (open) return { ok: false, errors: { form: { key: "dividend.correctionOpen", params: { id: open.id } } } };
    } else {
      const clash = await tx.dividendRun.findFirst({ where: { cooperativeId: coop.id, year: f.year, correctsId: null, ...(runId !== null ? { NOT: { id: runId } } : {}) }, select: { id: true } });
      if (clash) return { ok: false, errors: { year: { key: "dividend.runExists", params: { id: clash.id } } } };
    }
    const register = await shareRegister(tx, coop.id, f.year);
    const kept = runId !== null && correctsId === null ? await keptDeductions(tx, runId) : new Map<number, { fen: bigint; note: string }>();
    let result = computeRun(runInputOf(coop.type as "LAND_SHARE" | "PROFESSIONAL", f, register, kept));
    if (correctsId !== null) result = await asCorrection(tx, coop.id, f.year, result);
    let id = runId;
    if (id === null) {
      const r = await tx.dividendRun.create({ data: { ...runFields(f, result), cooperativeId: coop.id, townshipId: coop.townshipId, method: coop.type, sharesPerMu: coop.sharesPerMu, createdById: user.id, correctsId }, select: { id: true } });
      id = r.id;
    } else {
      // The status condition: a draft approved meanwhile is not overwritten.
      const done = await tx.dividendRun.updateMany({ where: { id, status: "DRAFT" }, data: runFields(f, result) });
      if (done.count !== 1) return { ok: false, errors: { form: { key: "dividend.notDraft" } } };
    }
    await writeLines(tx, id, register, result);
    await restoreDeductionNotes(tx, id, kept);
    const after = { ...f, distributedFen: result.distributedFen };
    const trail = before ? changedFields({ ...(before as unknown as Record<string, unknown>) }, after as unknown as Record<string, unknown>) : { before: undefined, after };
    await recordAudit({ actor: { id: user.id, name: user.username }, action: runId !== null ? "update" : "create", entity: "DividendRun", entityId: id, townshipId: coop.townshipId, before: trail.before, after: trail.after }, tx);
    return { ok: true, id };
  });
}

/**
 * Discards a draft: its lines and the run are deleted (nothing of a draft was
 * published, paid or printed as issued), the audit trail keeps what it was,
 * and the year is free for a new run.
 */
export async function discardDraft(user: CurrentUser, id: number, reason = ""): Promise<FieldErrors | null> {
  const run = await transition(user, id, "DRAFT", "write:dividend");
  if ("wrongStatus" in run) return { run: { key: "dividend.discardNotDraft" } };
  return prisma.$transaction(async (tx) => {
    // Claims the run first (a write, so the check and the delete are one step): an approval in between wins.
    const claimed = await tx.dividendRun.updateMany({ where: { id, status: "DRAFT" }, data: { status: "DRAFT" } });
    if (claimed.count !== 1) return { run: { key: "dividend.discardNotDraft" } };
    const lines = await tx.dividendLine.deleteMany({ where: { runId: id } });
    await tx.dividendObjection.deleteMany({ where: { runId: id } });
    await tx.dividendRun.delete({ where: { id } });
    await recordAudit(
      {
        actor: { id: user.id, name: user.username },
        action: "delete",
        entity: "DividendRun",
        entityId: id,
        townshipId: run.townshipId,
        before: { status: "DRAFT", year: run.year, title: run.title, correctsId: run.correctsId, incomeFen: run.incomeFen, costFen: run.costFen, guaranteePerShare: run.guaranteePerShare, distributedFen: run.distributedFen, lines: lines.count },
        after: { discarded: true, ...(reason ? { reason } : {}) },
      },
      tx,
    );
    return null;
  });
}

export async function getRun(user: CurrentUser, id: number) {
  const run = await prisma.dividendRun.findFirst({
    where: { AND: [{ id }, runScopeWhere(user.scope)] },
    include: {
      cooperative: { select: { name: true, creditCode: true, type: true, phone: true, legalRepresentative: true } },
      objections: { orderBy: { id: "asc" } },
      lines: {
        orderBy: [{ villageId: "asc" }, { id: "asc" }],
        include: {
          household: { select: { code: true, headName: true, status: true, bankAccount: true, village: { select: { name: true } }, members: { where: { relation: "HEAD", leftOn: null }, select: { idNumber: true } } } },
          payments: { orderBy: { id: "asc" } },
        },
      },
    },
  });
  if (!run) return null;
  // A village secretary sees only their village's lines of a cooperative's run.
  const lines = user.scope.kind === "village" ? run.lines.filter((l) => l.villageId === (user.scope as { villageId: number }).villageId) : run.lines;
  return { ...run, lines };
}

/**
 * What a correction is measured against, for its page and papers: the
 * original it corrects and everything issued for the year before it.
 */
export async function correctionContext(run: { id: number; cooperativeId: number; year: number; correctsId: number | null }) {
  if (run.correctsId === null) return null;
  const [base, original] = await Promise.all([
    issuedBase(prisma as unknown as Tx, run.cooperativeId, run.year, run.id),
    prisma.dividendRun.findUnique({ where: { id: run.correctsId }, select: { id: true, year: true, title: true } }),
  ]);
  return { ...base, original: original ?? { id: run.correctsId, year: run.year, title: "" } };
}

/** "2025 年度收益分配方案（第 12 号）": how papers name the run a correction corrects. */
export function runLabel(r: { id: number; year: number; title: string }): string {
  return `${r.title || `${r.year} 年度收益分配方案`}（第 ${r.id} 号）`;
}

export async function listRuns(scope: Scope) {
  return prisma.dividendRun.findMany({
    where: runScopeWhere(scope),
    orderBy: [{ year: "desc" }, { id: "desc" }],
    select: { id: true, year: true, title: true, status: true, method: true, distributedFen: true, shortfallFen: true, correctsId: true, cooperative: { select: { name: true } }, _count: { select: { lines: true } } },
  });
}

/**
 * Who made (制表), approved (审核), published and issued (发放) a run, by
 * display name, for its page and papers: the maker-checker steps on record.
 */
export async function runSignOff(run: { createdById: number; approvedById: number | null; publishedById: number | null; issuedById: number | null }) {
  const ids = [run.createdById, run.approvedById, run.publishedById, run.issuedById].filter((x): x is number => x !== null);
  const users = new Map((await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  const name = (id: number | null) => (id === null ? null : (users.get(id) ?? null));
  return { madeBy: name(run.createdById), approvedBy: name(run.approvedById), publishedBy: name(run.publishedById), issuedBy: name(run.issuedById) };
}

/** A run's objections with the display name of whoever wrote each down (the accountant or the supervisor). */
export async function objectionsWithRecorder<T extends { recordedById: number | null }>(objections: T[]): Promise<(T & { recordedBy: string | null })[]> {
  const ids = [...new Set(objections.map((o) => o.recordedById).filter((x): x is number => x !== null))];
  const names = new Map((await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]));
  return objections.map((o) => ({ ...o, recordedBy: o.recordedById === null ? null : (names.get(o.recordedById) ?? null) }));
}

async function transition(user: CurrentUser, id: number, from: string, permission: Permission) {
  const run = await prisma.dividendRun.findFirst({ where: { AND: [{ id }, runScopeWhere(user.scope)] } });
  if (!run) notFound();
  requireCan(user, permission, run);
  return run.status === from ? run : { ...run, wrongStatus: true as const };
}

/**
 * DRAFT → APPROVED. The register and inputs are recomputed once more and
 * frozen: from here on the lines never change. A run with a shortfall or
 * errors cannot be approved.
 */
export async function approveRun(user: CurrentUser, id: number): Promise<FieldErrors | null> {
  const run = await transition(user, id, "DRAFT", "approve:dividend");
  if ("wrongStatus" in run) return { run: { key: "dividend.wrongStatus" } };
  // Maker-checker: whoever drafted a run never approves it, whatever role they hold by now.
  if (run.createdById === user.id) return { run: { key: "dividend.selfApproval" } };
  return prisma.$transaction(async (tx) => {
    const register = await shareRegister(tx, run.cooperativeId, run.year);
    const f: RunFormInput = { ...run, guaranteePerShare: run.guaranteePerShare, transactionPercent: run.transactionPercent };
    const kept = run.correctsId === null ? await keptDeductions(tx, id) : new Map<number, { fen: bigint; note: string }>();
    let result = computeRun(runInputOf(run.method as "LAND_SHARE" | "PROFESSIONAL", f, register, kept));
    if (result.errors.length) return { run: { key: result.errors[0]! } };
    if (result.shortfallFen > 0n) return { run: { key: "dividend.shortfall" } };
    if (run.correctsId !== null) result = await asCorrection(tx, run.cooperativeId, run.year, result);
    if (result.lines.length === 0) return { run: { key: run.correctsId !== null ? "dividend.noDifference" : "dividend.noMembers" } };
    await writeLines(tx, id, register, result);
    await restoreDeductionNotes(tx, id, kept);
    const done = await tx.dividendRun.updateMany({ where: { id, status: "DRAFT" }, data: { ...runFields(f, result), status: "APPROVED", approvedById: user.id, approvedAt: now() } });
    if (done.count !== 1) return { run: { key: "dividend.wrongStatus" } };
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "DividendRun", entityId: id, townshipId: run.townshipId, before: { status: "DRAFT" }, after: { status: "APPROVED", distributedFen: result.distributedFen } }, tx);
    return null;
  });
}

/** APPROVED → PUBLISHED for public notice (公示): N days from today, today included (app/dividends/notice.ts). */
export async function publishRun(user: CurrentUser, id: number): Promise<FieldErrors | null> {
  const run = await transition(user, id, "APPROVED", "write:dividend");
  if ("wrongStatus" in run) return { run: { key: "dividend.wrongStatus" } };
  const at = now();
  const { from: start, to: end } = noticePeriod(today(at), run.noticeDays);
  const done = await prisma.dividendRun.updateMany({ where: { id, status: "APPROVED" }, data: { status: "PUBLISHED", publishedById: user.id, publishedAt: at, noticeStartsOn: start, noticeEndsOn: end } });
  if (done.count !== 1) return { run: { key: "dividend.wrongStatus" } };
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "DividendRun", entityId: id, townshipId: run.townshipId, before: { status: "APPROVED" }, after: { status: "PUBLISHED", noticeStartsOn: start, noticeEndsOn: end } });
  return null;
}

/** Shortens or ends the notice period is not possible: issuing waits for its end and for every objection to be settled. */
/** `note`: why and on what authority the chair issues (the confirm step's reason), kept on the run and in the trail. */
export async function issueRun(user: CurrentUser, id: number, asOf = today(), note = ""): Promise<FieldErrors | null> {
  const run = await transition(user, id, "PUBLISHED", "issue:dividend");
  // A second click finds the run issued already: nothing happens twice.
  if ("wrongStatus" in run) return run.status === "ISSUED" ? null : { run: { key: "dividend.wrongStatus" } };
  if (!noticeOver(run.noticeEndsOn, asOf)) return { run: { key: "dividend.noticeNotOver", params: { date: run.noticeEndsOn!, from: addDays(run.noticeEndsOn!, 1) } } };
  return prisma.$transaction(async (tx) => {
    const open = await tx.dividendObjection.count({ where: { runId: id, resolvedOn: null } });
    if (open) return { run: { key: "dividend.objectionsOpen", params: { count: open } } };
    // The status condition makes this the one request that issues; any other finds nothing to update.
    const done = await tx.dividendRun.updateMany({ where: { id, status: "PUBLISHED" }, data: { status: "ISSUED", issuedById: user.id, issuedAt: now(), ...(note ? { issueNote: note } : {}) } });
    if (done.count !== 1) return null;
    const lines = await tx.dividendLine.findMany({ where: { runId: id }, select: { id: true }, orderBy: { id: "asc" } });
    for (const [i, l] of lines.entries()) {
      await tx.dividendLine.update({
        where: { id: l.id },
        data: { statementNo: `FH${run.year}-${String(run.cooperativeId).padStart(3, "0")}-${String(id).padStart(4, "0")}-${String(i + 1).padStart(4, "0")}`, verifyCode: newVerifyCode() },
      });
    }
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "DividendRun", entityId: id, townshipId: run.townshipId, before: { status: "PUBLISHED" }, after: { status: "ISSUED", lines: lines.length, ...(note ? { issueNote: note } : {}) } }, tx);
    return null;
  });
}

/** 10 characters from an alphabet without look-alikes: about 50 bits, random, not derived from anything printed. */
export function newVerifyCode(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  const bytes = randomBytes(10);
  return [...bytes].map((b) => alphabet[b % 32]).join("");
}

export async function addObjection(user: CurrentUser, id: number, raw: { raisedBy: string; content: string; raisedOn: string }): Promise<FieldErrors | null> {
  const run = await transition(user, id, "PUBLISHED", "object:dividend");
  if ("wrongStatus" in run) return { content: { key: "dividend.wrongStatus" } };
  const errors: FieldErrors = {};
  if (!raw.raisedBy.trim()) errors.raisedBy = { key: "name.required" };
  if (!raw.content.trim()) errors.content = { key: "dividend.objectionRequired" };
  if (!isValidDate(raw.raisedOn)) errors.raisedOn = { key: "date.format" };
  else if (raw.raisedOn > today()) errors.raisedOn = { key: "dividend.dateFuture", params: { today: today() } };
  else if (run.noticeStartsOn && raw.raisedOn < run.noticeStartsOn) errors.raisedOn = { key: "dividend.objectionBeforeNotice", params: { date: run.noticeStartsOn } };
  if (Object.keys(errors).length) return errors;
  const o = await prisma.dividendObjection.create({ data: { runId: id, raisedBy: raw.raisedBy.trim().slice(0, 40), content: raw.content.trim().slice(0, 500), raisedOn: raw.raisedOn, recordedById: user.id } });
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "DividendObjection", entityId: o.id, townshipId: run.townshipId, after: raw });
  return null;
}

export async function resolveObjection(user: CurrentUser, id: number, objectionId: number, resolution: string): Promise<FieldErrors | null> {
  const run = await transition(user, id, "PUBLISHED", "write:dividend");
  if ("wrongStatus" in run) return { resolution: { key: "dividend.wrongStatus" } };
  if (!resolution.trim()) return { resolution: { key: "dividend.resolutionRequired" } };
  const done = await prisma.dividendObjection.updateMany({ where: { id: objectionId, runId: id, resolvedOn: null }, data: { resolution: resolution.trim().slice(0, 500), resolvedOn: today(), resolvedById: user.id } });
  if (done.count !== 1) notFound();
  await recordAudit({ actor: { id: user.id, name: user.username }, action: "update", entity: "DividendObjection", entityId: objectionId, townshipId: run.townshipId, after: { resolution } });
  return null;
}

/**
 * Records a payment of an issued line: paid, or failed with its reason (kept,
 * and paid again later by a new row). A line is never paid beyond its net.
 */
export async function recordDividendPayment(
  user: CurrentUser,
  lineId: number,
  raw: { paidOn: string; amount: string; reference: string; status: string; failureReason: string },
): Promise<FieldErrors | null> {
  const errors: FieldErrors = {};
  const dateError = paymentDateError(raw.paidOn);
  if (dateError) errors.paidOn = dateError;
  const amount = parseYuan(raw.amount);
  if (!amount.ok) errors.amount = { key: amount.error };
  else if (amount.value.isZero()) errors.amount = { key: "payment.amountZero" };
  const status = raw.status === "FAILED" ? "FAILED" : "PAID";
  if (status === "FAILED" && !raw.failureReason.trim()) errors.failureReason = { key: "dividend.failureReasonRequired" };
  return prisma.$transaction(async (tx) => {
    const line = await tx.dividendLine.findFirst({ where: { id: lineId, run: runScopeWhere(user.scope) }, include: { run: { select: { cooperativeId: true, status: true, townshipId: true } }, household: { select: { bankAccount: true } } } });
    if (!line) notFound();
    requireCan(user, "write:dividend", line.run);
    if (line.run.status !== "ISSUED") return { amount: { key: "dividend.notIssued" } };
    if (!amount.ok || Object.keys(errors).length) return errors;
    const fen = toFen(amount.value);
    const written = await writeDividendPayments(tx, user, [{ line, fen, status, paidOn: raw.paidOn, reference: raw.reference, failureReason: raw.failureReason }]);
    if ("outstandingFen" in written) return { amount: { key: "payment.amountTooLarge", params: { outstanding: formatYuan(written.outstandingFen) } } };
    await recordAudit({ actor: { id: user.id, name: user.username }, action: "create", entity: "DividendPayment", entityId: written.ids[0]!, townshipId: line.townshipId, villageId: line.villageId, after: { lineId, ...raw } }, tx);
    return null;
  });
}

/** Every dividend payment's date: a real day, never after today (China time). */
export function paymentDateError(paidOn: string): FieldErrors[string] | undefined {
  if (!isValidDate(paidOn)) return { key: "date.format" };
  if (paidOn > today()) return { key: "dividend.dateFuture", params: { today: today() } };
  return undefined;
}

type PayableLine = { id: number; householdId: number; townshipId: number; villageId: number; netFen: bigint; paidFen: bigint; household: { bankAccount: string } };
export type PaymentItem = { line: PayableLine; fen: bigint; status: "PAID" | "FAILED"; paidOn: string; reference: string; failureReason: string; /** the bank result file it was read from (ADR 020) */ bankReturnId?: number };

/**
 * The one place dividend payments are written, inside the caller's
 * transaction on lines it has read in it: a PAID amount never goes beyond
 * what is outstanding (net − paid), and only PAID rows move paidFen, so
 * paidFen is always the sum of the line's PAID payments. Writes nothing and
 * names the first line's outstanding amount when one item is too large.
 */
export async function writeDividendPayments(tx: Tx, user: CurrentUser, items: PaymentItem[]): Promise<{ ids: number[] } | { lineId: number; outstandingFen: bigint }> {
  const perLine = new Map<number, bigint>();
  for (const it of items) {
    if (it.status !== "PAID") continue;
    const sum = (perLine.get(it.line.id) ?? 0n) + it.fen;
    if (sum > it.line.netFen - it.line.paidFen) return { lineId: it.line.id, outstandingFen: it.line.netFen - it.line.paidFen };
    perLine.set(it.line.id, sum);
  }
  const created = await tx.dividendPayment.createManyAndReturn({
    data: items.map(({ line, fen, status, paidOn, reference, failureReason, bankReturnId }) => ({
      lineId: line.id,
      householdId: line.householdId,
      townshipId: line.townshipId,
      villageId: line.villageId,
      paidOn,
      amountFen: fen,
      account: line.household.bankAccount,
      reference: reference.trim().slice(0, 40),
      status,
      failureReason: failureReason.trim().slice(0, 200),
      recordedById: user.id,
      bankReturnId: bankReturnId ?? null,
    })),
    select: { id: true },
  });
  await addToPaidFen(tx, [...perLine].map(([lineId, fen]) => ({ lineId, fen })));
  return { ids: created.map((c) => c.id).sort((a, b) => a - b) };
}

export type PaySelection = { lineIds: number[] } | { allUnpaid: true; villageId?: number | null };
export type PayLinesResult =
  | { ok: false; errors: FieldErrors }
  | { ok: true; paid: { lineId: number; amountFen: bigint }[]; skipped: { lineId: number; statementNo: string | null; head: string }[] };

/**
 * Marks lines of an issued run paid with one date and reference, in one
 * transaction: each line is paid exactly what is outstanding on it (a line
 * whose latest attempt failed included); lines with nothing outstanding are
 * skipped and reported. "All unpaid" means every line of the run with
 * something outstanding (of one village when `villageId` is given), not only
 * the lines on the page. One audit event lists the lines.
 */
/**
 * Lines one bulk-payment transaction pays at the most. Each payment row fires
 * the income-figure triggers, so 5,000 lines in one transaction held the write
 * lock for about 3 s; other users' saves must never wait that long (ADR 016).
 * Each part is whole: its lines are paid and its audit event written together,
 * and a part re-reads what its lines still owe, so a bulk payment cut off half
 * way is finished by submitting it again, never paying a line twice.
 */
export const PAY_LINES_PER_TRANSACTION = 400;

export async function payLines(user: CurrentUser, runId: number, selection: PaySelection, raw: { paidOn: string; reference: string }): Promise<PayLinesResult> {
  const errors: FieldErrors = {};
  const dateError = paymentDateError(raw.paidOn);
  if (dateError) errors.paidOn = dateError;
  const lineIds = "lineIds" in selection ? [...new Set(selection.lineIds)] : null;
  if (lineIds && lineIds.length === 0) errors.lines = { key: "dividend.payManyNone" };
  const run = await prisma.dividendRun.findFirst({ where: { AND: [{ id: runId }, runScopeWhere(user.scope)] }, select: { id: true, cooperativeId: true, status: true, townshipId: true } });
  if (!run) notFound();
  requireCan(user, "write:dividend", run);
  if (run.status !== "ISSUED") return { ok: false, errors: { lines: { key: "dividend.notIssued" } } };
  if (Object.keys(errors).length) return { ok: false, errors };
  const villageId = user.scope.kind === "village" ? user.scope.villageId : "allUnpaid" in selection ? (selection.villageId ?? undefined) : undefined;
  const chosen = await prisma.dividendLine.findMany({
    where: { runId, ...(lineIds ? { id: { in: lineIds } } : {}), ...(villageId !== undefined ? { villageId } : {}) },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  // An id of another run (or village) is not the user's to pay.
  if (lineIds && chosen.length !== lineIds.length) notFound();
  const paid: { lineId: number; amountFen: bigint }[] = [];
  const skipped: { lineId: number; statementNo: string | null; head: string }[] = [];
  for (let at = 0; at < chosen.length; at += PAY_LINES_PER_TRANSACTION) {
    const ids = chosen.slice(at, at + PAY_LINES_PER_TRANSACTION).map((l) => l.id);
    await prisma.$transaction(async (tx) => {
      const lines = await tx.dividendLine.findMany({
        where: { runId, id: { in: ids } },
        orderBy: { id: "asc" },
        select: { id: true, householdId: true, townshipId: true, villageId: true, netFen: true, paidFen: true, statementNo: true, household: { select: { bankAccount: true, headName: true } } },
      });
      const open = lines.filter((l) => l.netFen > l.paidFen);
      skipped.push(...lines.filter((l) => l.netFen <= l.paidFen).map((l) => ({ lineId: l.id, statementNo: l.statementNo, head: l.household.headName })));
      if (open.length === 0) return;
      const items = open.map((line) => ({ line, fen: line.netFen - line.paidFen, status: "PAID" as const, paidOn: raw.paidOn, reference: raw.reference, failureReason: "" }));
      const written = await writeDividendPayments(tx, user, items);
      if (!("ids" in written)) throw new Error(`line ${written.lineId} outstanding changed within its transaction`);
      const part = items.map((it) => ({ lineId: it.line.id, amountFen: it.fen }));
      await recordAudit(
        {
          actor: { id: user.id, name: user.username },
          action: "update",
          entity: "DividendRun",
          entityId: runId,
          townshipId: run.townshipId,
          after: { payMany: { paidOn: raw.paidOn, reference: raw.reference.trim().slice(0, 40), scope: lineIds ? "SELECTED" : "ALL_UNPAID", villageId: villageId ?? null, totalFen: part.reduce((s, p) => s + p.amountFen, 0n), lines: part, skipped: lines.filter((l) => l.netFen <= l.paidFen).map((l) => l.id) } },
        },
        tx,
      );
      paid.push(...part);
    });
  }
  if (paid.length === 0) return { ok: false, errors: { lines: { key: "dividend.payManyNothing", params: { skipped: skipped.length } } } };
  return { ok: true, paid, skipped };
}

/** What the public verification page may show of a statement: masked, and only for an issued run. */
export async function verifyStatement(code: string) {
  if (!/^[2-9A-HJ-NP-Z]{10}$/.test(code)) return null;
  const line = await prisma.dividendLine.findUnique({
    where: { verifyCode: code },
    select: { statementNo: true, netFen: true, shares: true, areaMu: true, household: { select: { headName: true } }, run: { select: { year: true, status: true, issuedAt: true, cooperative: { select: { name: true } } } } },
  });
  if (!line || line.run.status !== "ISSUED") return null;
  return line;
}

/** Slows down guessing: more than 5 unknown codes from one address in 10 minutes are refused for a while. */
/** Wrong codes an address may try in VERIFY_WINDOW_MINUTES before it is refused. */
export const VERIFY_WRONG_PER_ADDRESS = 5;
/** Lookups of one code in the window, by addresses that also guessed wrong, before that code is refused to them. */
export const VERIFY_LOOKUPS_PER_CODE = 20;
export const VERIFY_WINDOW_MINUTES = 10;

/**
 * Throttles the public verification page per client address and per code
 * (ADR 015). The address is the connection's (TRUST_PROXY decides whether a
 * proxy's X-Forwarded-For is believed), so a new header value per guess gains
 * nothing. An address that has made no wrong guess is never refused: a
 * member scanning their own statement always gets an answer, whatever
 * others are doing.
 */
export async function verifyThrottle(ip: string, code = ""): Promise<{ blocked: boolean }> {
  const since = new Date(now().getTime() - VERIFY_WINDOW_MINUTES * 60_000);
  const wrong = await prisma.verifyAttempt.count({ where: { ip, ok: false, at: { gte: since } } });
  if (wrong === 0) return { blocked: false };
  if (wrong >= VERIFY_WRONG_PER_ADDRESS) return { blocked: true };
  // An address that is guessing may not hammer one code either.
  const lookups = code ? await prisma.verifyAttempt.count({ where: { code: code.slice(0, 64), at: { gte: since } } }) : 0;
  return { blocked: lookups >= VERIFY_LOOKUPS_PER_CODE };
}

export async function recordVerifyAttempt(ip: string, ok: boolean, code = "") {
  await prisma.verifyAttempt.create({ data: { ip: ip.slice(0, 64), ok, code: code.slice(0, 64) } });
}
