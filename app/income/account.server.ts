/**
 * One household's income account for a year, with every amount next to the
 * record it comes from, and the typed records (entries, work days) that a
 * secretary or the base's accountant keeps.
 */
import type { CurrentUser } from "~/auth/session.server";
import { can, ownPlace } from "~/auth/permissions";
import { householdScopeWhere, placeScopeWhere } from "~/auth/permissions.server";
import { recordAudit } from "~/auth/audit.server";
import type { Prisma } from "@prisma/client";
import { formatInstant, formatInstantDate, now, today } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { householdFigures, type HouseholdYear } from "./audit";
import type { parseIncomeEntryForm, parseWorkDayForm, parseMonitoringLineForm } from "./forms";
import { householdYears, monitoringLineFor } from "./income.server";
import { householdMemberDays, memberDays, memberYearsText, offYearCauses, outsideMembership, reviewReason, roseSharply, type Membership, type MembershipProblem } from "./rules";

type Ok<T extends (...a: never[]) => unknown> = Extract<ReturnType<T>, { ok: true }> extends { value: infer V } ? V : never;
export type IncomeEntryInput = Ok<typeof parseIncomeEntryForm>;
export type WorkDayInput = Ok<typeof parseWorkDayForm>;
export type MonitoringLineInput = Ok<typeof parseMonitoringLineForm>;

const actor = (u: CurrentUser) => ({ id: u.id, name: u.username });
/** A stored instant (or a date kept at midnight UTC) as its China date. */
const day = (d: Date | null) => (d ? formatInstantDate(d) : null);

/**
 * A work day as an access target: it lies in its household's village and
 * belongs to the cooperative it was worked for (write:work-days, app/auth/policy.ts).
 */
const workDayTarget = (h: { townshipId: number; villageId: number }, cooperativeId: number | null) => ({ townshipId: h.townshipId, villageId: h.villageId, cooperativeId });

export async function householdAccount(user: CurrentUser, id: number, year: number, asOf: string) {
  const h = await prisma.household.findFirst({
    where: { id, ...householdScopeWhere(user.scope) },
    select: {
      id: true,
      code: true,
      headName: true,
      status: true,
      statusYear: true,
      townshipId: true,
      villageId: true,
      village: { select: { name: true, township: { select: { name: true } } } },
      members: { select: { id: true, name: true, relation: true, joinedOn: true, leftOn: true }, orderBy: { id: "asc" } },
      statusChanges: { select: { id: true, status: true, year: true, reason: true, effectiveOn: true, recordedAt: true }, orderBy: { effectiveOn: "asc" } },
    },
  });
  if (!h) return null;
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const [rent, dividends, work, entries, harvests, arrears, unpaid, line, rows] = await Promise.all([
    prisma.rentPayment.findMany({
      // A reversed payment and its reversal are a mistaken record undone: neither is income.
      where: { householdId: id, paidOn: { gte: from, lt: to }, reversesId: null, id: { notIn: (await prisma.rentPayment.findMany({ where: { householdId: id, NOT: { reversesId: null } }, select: { reversesId: true } })).map((r) => r.reversesId!) } },
      select: {
        id: true,
        paidOn: true,
        amountFen: true,
        method: true,
        receiptNo: true,
        reversesId: true,
        contractId: true,
        installment: { select: { id: true, seq: true, periodStart: true, periodEnd: true, dueDate: true, amountFen: true, contract: { select: { contractNo: true, draftNo: true, transfereeName: true } } } },
      },
      orderBy: [{ paidOn: "asc" }, { id: "asc" }],
    }),
    prisma.dividendPayment.findMany({
      where: { householdId: id, paidOn: { gte: from, lt: to } },
      select: { id: true, paidOn: true, amountFen: true, status: true, failureReason: true, reference: true, line: { select: { id: true, netFen: true, statementNo: true, run: { select: { id: true, year: true, cooperative: { select: { name: true } } } } } } },
      orderBy: [{ paidOn: "asc" }, { id: "asc" }],
    }),
    prisma.workDay.findMany({ where: { householdId: id, year }, orderBy: [{ periodStart: "asc" }, { id: "asc" }] }),
    prisma.incomeEntry.findMany({ where: { householdId: id, year }, orderBy: [{ category: "asc" }, { id: "asc" }] }),
    prisma.harvest.findMany({
      where: { householdId: id, cooperativeId: null, year },
      select: { id: true, harvestedOn: true, crop: true, variety: true, quantityKg: true, salesFen: true, buyer: true, plot: { select: { id: true, code: true } } },
      orderBy: { harvestedOn: "asc" },
    }),
    prisma.rentInstallment.findMany({
      where: { householdId: id, dueDate: { lte: asOf }, cancelledAt: null, NOT: { amountFen: null } },
      select: { id: true, contractId: true, seq: true, dueDate: true, amountFen: true, paidFen: true, contract: { select: { contractNo: true, draftNo: true } } },
      orderBy: { dueDate: "asc" },
    }),
    prisma.dividendLine.findMany({
      where: { householdId: id, run: { status: "ISSUED" } },
      select: { id: true, netFen: true, paidFen: true, run: { select: { id: true, year: true, cooperative: { select: { name: true } } } } },
    }),
    monitoringLineFor(h.townshipId, year),
    householdYears({ townshipId: h.townshipId, villageId: h.villageId, householdId: id }, year, asOf),
  ]);
  const names = new Map(h.members.map((m) => [m.id, m.name]));
  const memberOf = new Map(h.members.map((m) => [m.id, m]));
  const coopIds = [...new Set(work.map((w) => w.cooperativeId).filter((c): c is number => c != null))];
  const coops = new Map((await prisma.cooperative.findMany({ where: { id: { in: coopIds } }, select: { id: true, name: true } })).map((c) => [c.id, c.name]));
  const row = rows[0] as HouseholdYear;
  const figures = householdFigures(row, line?.amountFen ?? null);
  // The account has no village median: only the membership half of the review rule applies here.
  const review = reviewReason(figures.perCapitaFen, null, row.memberDays, row.daysInYear);
  return {
    household: {
      id: h.id,
      code: h.code,
      headName: h.headName,
      status: h.status,
      statusYear: h.statusYear,
      townshipId: h.townshipId,
      villageId: h.villageId,
      villageName: h.village.name,
      townshipName: h.village.township.name,
    },
    year,
    row,
    memberYears: memberYearsText(row.memberDays, row.daysInYear),
    figures,
    rose: roseSharply(figures.totalFen, row.previousTotalFen),
    offYear: offYearCauses(row.offYear ?? [], year, figures.totalFen, row.previousTotalFen),
    review,
    line: line ? { amountFen: line.amountFen, source: line.source, sourceUrl: line.sourceUrl } : null,
    members: h.members.map((m) => ({ id: m.id, name: m.name, relation: m.relation, joinedOn: m.joinedOn, leftOn: m.leftOn, share: memberYearsText(memberDays(m, year), row.daysInYear) })),
    statusHistory: h.statusChanges.map((c) => ({ id: c.id, status: c.status, year: c.year, reason: c.reason, effectiveOn: day(c.effectiveOn) })),
    rent: rent.map((r) => ({
      id: r.id,
      paidOn: r.paidOn,
      amountFen: r.amountFen,
      method: r.method,
      receiptNo: r.receiptNo,
      reversesId: r.reversesId,
      contractId: r.contractId,
      contractLabel: r.installment.contract.contractNo ?? r.installment.contract.draftNo,
      transferee: r.installment.contract.transfereeName,
      installment: { id: r.installment.id, seq: r.installment.seq, periodStart: r.installment.periodStart, periodEnd: r.installment.periodEnd, dueDate: r.installment.dueDate, amountFen: r.installment.amountFen },
    })),
    dividends: dividends.map((d) => ({
      id: d.id,
      paidOn: d.paidOn,
      amountFen: d.amountFen,
      status: d.status,
      failureReason: d.failureReason,
      reference: d.reference,
      lineId: d.line.id,
      lineNetFen: d.line.netFen,
      statementNo: d.line.statementNo,
      runId: d.line.run.id,
      runYear: d.line.run.year,
      cooperative: d.line.run.cooperative.name,
    })),
    work: work.map((w) => ({
      id: w.id,
      personId: w.personId,
      person: names.get(w.personId) ?? "",
      employer: w.cooperativeId ? (coops.get(w.cooperativeId) ?? "") : w.employer,
      cooperativeId: w.cooperativeId,
      periodStart: w.periodStart,
      periodEnd: w.periodEnd,
      days: w.days,
      dailyWageFen: w.dailyWageFen,
      amountFen: w.amountFen,
      paidOn: w.paidOn,
      note: w.note,
      correctsId: w.correctsId,
      // withdrawn records are shown struck through and count nowhere
      withdrawn: w.withdrawnAt !== null,
      withdrawnAt: formatInstant(w.withdrawnAt),
      withdrawReason: w.withdrawReason,
      // records kept from before membership dates were checked: flagged, not refused
      outside: w.withdrawnAt === null && memberOf.has(w.personId) ? outsideMembership(memberOf.get(w.personId)!, w.periodStart, w.periodEnd) : null,
    })),
    entries: entries.map((e) => ({
      id: e.id,
      category: e.category,
      kind: e.kind,
      person: e.personId ? (names.get(e.personId) ?? "") : "",
      amountFen: e.amountFen,
      costFen: e.costFen,
      source: e.source,
      receivedOn: e.receivedOn,
      note: e.note,
      outside: entryOutside(h.members, e.personId, e.receivedOn, year),
    })),
    harvests: harvests.map((v) => ({ id: v.id, harvestedOn: v.harvestedOn, crop: v.crop, variety: v.variety, quantityKg: v.quantityKg, salesFen: v.salesFen, buyer: v.buyer, plotId: v.plot.id, plotCode: v.plot.code })),
    arrears: arrears
      .filter((i) => (i.amountFen ?? 0n) > i.paidFen)
      .map((i) => ({ id: i.id, contractId: i.contractId, contractLabel: i.contract.contractNo ?? i.contract.draftNo, seq: i.seq, dueDate: i.dueDate, amountFen: i.amountFen ?? 0n, paidFen: i.paidFen })),
    unpaid: unpaid.filter((l) => l.netFen > l.paidFen).map((l) => ({ lineId: l.id, runId: l.run.id, year: l.run.year, cooperative: l.run.cooperative.name, netFen: l.netFen, paidFen: l.paidFen })),
    canWriteEntries: can(user, "write:income", h),
    // a new work day of an accountant is their own cooperative's
    canWriteWorkDays: can(user, "write:work-days", workDayTarget(h, ownPlace(user.scope)?.cooperativeId ?? null)),
  };
}

/** The household if it lies in the user's scope (its place and members with their dates), else null. */
export async function incomeHousehold(user: CurrentUser, householdId: number) {
  return prisma.household.findFirst({
    where: { id: householdId, ...householdScopeWhere(user.scope) },
    select: { id: true, headName: true, townshipId: true, villageId: true, members: { select: { id: true, name: true, joinedOn: true, leftOn: true } } },
  });
}

/** What a saved or withdrawn work record was, for the message after the save (the household is already checked). */
export async function workDaySummary(householdId: number, workDayId: number) {
  const w = await prisma.workDay.findFirst({ where: { id: workDayId, householdId }, select: { days: true, periodStart: true, periodEnd: true, personId: true } });
  if (!w) return null;
  const p = await prisma.person.findUnique({ where: { id: w.personId }, select: { name: true } });
  return { person: p?.name ?? "", days: w.days, start: w.periodStart, end: w.periodEnd };
}

/** What an income entry was, for the message after it is saved or removed. */
export async function incomeEntrySummary(householdId: number, entryId: number) {
  return prisma.incomeEntry.findFirst({ where: { id: entryId, householdId }, select: { amountFen: true, year: true, kind: true, source: true } });
}

type Problem = { key: string; params?: Record<string, string | number> };
export type WriteResult = { ok: true; id: number } | { ok: false; status: 403 | 404 } | { ok: false; status: 400; errors: Record<string, Problem> };
type Member = Membership & { id: number; name: string };

/** What is wrong with the date of an entry against the household's membership, or null. */
export type EntryProblem = MembershipProblem | { key: "noMemberOn" | "notMemberInYear" | "noMemberInYear"; date: string };

/**
 * An entry of one member must be dated within their membership (or, with
 * no date, fall in a year they belonged to the household); an entry of the
 * whole household must be dated on a day at least one member belonged to
 * it. Unknown dates (null) never refuse anything.
 */
export function entryOutside(members: readonly Member[], personId: number | null, receivedOn: string | null, year: number): EntryProblem | null {
  if (personId != null) {
    const m = members.find((x) => x.id === personId);
    if (!m) return null;
    if (receivedOn) return outsideMembership(m, receivedOn);
    return memberDays(m, year) === 0 ? { key: "notMemberInYear", date: String(year) } : null;
  }
  if (members.length === 0) return null;
  if (receivedOn) return members.some((m) => outsideMembership(m, receivedOn) === null) ? null : { key: "noMemberOn", date: receivedOn };
  return householdMemberDays(members, year) === 0 ? { key: "noMemberInYear", date: String(year) } : null;
}

const memberName = (members: readonly Member[], id: number | null) => members.find((m) => m.id === id)?.name ?? "";

export async function addIncomeEntry(user: CurrentUser, householdId: number, input: IncomeEntryInput): Promise<WriteResult> {
  const h = await incomeHousehold(user, householdId);
  if (!h) return { ok: false, status: 404 };
  if (!can(user, "write:income", h)) return { ok: false, status: 403 };
  if (input.personId != null && !h.members.some((m) => m.id === input.personId)) return { ok: false, status: 400, errors: { personId: { key: "income.entry.personNotMember" } } };
  // Money not yet received is not income (the form says so too; this holds for every caller).
  const asOf = today();
  if (input.receivedOn && input.receivedOn > asOf) return { ok: false, status: 400, errors: { receivedOn: { key: "income.form.dateFuture", params: { today: asOf } } } };
  const outside = entryOutside(h.members, input.personId, input.receivedOn, input.year);
  if (outside) {
    const field = outside.key === "notMemberInYear" || outside.key === "noMemberInYear" ? "personId" : "receivedOn";
    return { ok: false, status: 400, errors: { [field]: { key: `income.entry.${outside.key}`, params: { name: memberName(h.members, input.personId), date: outside.date } } } };
  }
  return prisma.$transaction(async (tx) => {
    const e = await tx.incomeEntry.create({ data: { ...input, householdId, townshipId: h.townshipId, villageId: h.villageId, recordedById: user.id } });
    await recordAudit({ actor: actor(user), action: "create", entity: "IncomeEntry", entityId: e.id, townshipId: h.townshipId, villageId: h.villageId, after: input }, tx);
    return { ok: true as const, id: e.id };
  });
}

/** Typed entries are working records, not issued documents: a mistaken one is removed, and the trail keeps it. */
export async function deleteIncomeEntry(user: CurrentUser, householdId: number, entryId: number, reason = ""): Promise<WriteResult> {
  const h = await incomeHousehold(user, householdId);
  if (!h) return { ok: false, status: 404 };
  if (!can(user, "write:income", h)) return { ok: false, status: 403 };
  const e = await prisma.incomeEntry.findFirst({ where: { id: entryId, householdId } });
  if (!e) return { ok: false, status: 404 };
  await prisma.$transaction(async (tx) => {
    await tx.incomeEntry.delete({ where: { id: e.id } });
    await recordAudit({ actor: actor(user), action: "delete", entity: "IncomeEntry", entityId: e.id, townshipId: h.townshipId, villageId: h.villageId, before: e, after: reason ? { reason } : undefined }, tx);
  });
  return { ok: true, id: e.id };
}

// ─── Work days: recorded, corrected or withdrawn, never two of one day ─────

type Household = NonNullable<Awaited<ReturnType<typeof incomeHousehold>>>;

/** The cooperative a work day is recorded for, checked against the user and the household's village. */
async function workDayCooperative(user: CurrentUser, h: Household, input: WorkDayInput): Promise<{ coopId: number | null } | WriteResult> {
  // an accountant records for their own cooperative, whatever the form names
  const coopId = ownPlace(user.scope)?.cooperativeId ?? input.cooperativeId;
  if (!can(user, "write:work-days", workDayTarget(h, coopId))) return { ok: false, status: 403 };
  if (!h.members.some((m) => m.id === input.personId)) return { ok: false, status: 400, errors: { personId: { key: "income.entry.personNotMember" } } };
  if (coopId != null) {
    const served = await prisma.cooperativeVillage.findFirst({ where: { cooperativeId: coopId, villageId: h.villageId } });
    const coop = await prisma.cooperative.findFirst({ where: { id: coopId, townshipId: h.townshipId } });
    if (!served && !coop) return { ok: false, status: 400, errors: { cooperativeId: { key: "income.work.cooperativeElsewhere" } } };
  }
  return { coopId };
}

/** Dates after today, or outside the worker's membership, refused next to their field. */
function workDayDateErrors(h: Household, input: WorkDayInput): Record<string, Problem> | null {
  const asOf = today();
  if (input.periodEnd > asOf) return { periodEnd: { key: "income.form.dateFuture", params: { today: asOf } } };
  if (input.paidOn && input.paidOn > asOf) return { paidOn: { key: "income.form.dateFuture", params: { today: asOf } } };
  const m = h.members.find((x) => x.id === input.personId)!;
  const outside = outsideMembership(m, input.periodStart, input.periodEnd);
  if (outside) return { [outside.key === "beforeJoined" ? "periodStart" : "periodEnd"]: { key: `income.work.${outside.key}`, params: { name: m.name, date: outside.date } } };
  return null;
}

/**
 * The live record of the same person whose period shares a day with the
 * input's, as the message that names it, or null. Read inside the writing
 * transaction, so that two saves of the same days cannot both pass.
 */
async function overlapError(tx: Prisma.TransactionClient, input: WorkDayInput, exceptId: number | null): Promise<Record<string, Problem> | null> {
  const other = await tx.workDay.findFirst({
    where: { personId: input.personId, withdrawnAt: null, periodStart: { lte: input.periodEnd }, periodEnd: { gte: input.periodStart }, ...(exceptId != null ? { id: { not: exceptId } } : {}) },
    orderBy: { periodStart: "asc" },
  });
  if (!other) return null;
  const employer = other.cooperativeId ? ((await tx.cooperative.findUnique({ where: { id: other.cooperativeId }, select: { name: true } }))?.name ?? "") : other.employer;
  return { periodStart: { key: "income.work.overlap", params: { id: other.id, start: other.periodStart, end: other.periodEnd, employer, days: other.days } } };
}

class Refused extends Error {
  constructor(readonly errors: Record<string, Problem>) {
    super("refused");
  }
}

async function refusedAs400<T>(run: () => Promise<T>): Promise<T | WriteResult> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Refused) return { ok: false, status: 400, errors: e.errors };
    throw e;
  }
}

/**
 * Records days worked by one member. Refused: a period ending after today,
 * outside the worker's membership, or sharing a day with a live record of
 * the same person (saving the same days twice would pay them twice: the
 * message names the record to correct instead).
 */
export async function addWorkDay(user: CurrentUser, householdId: number, input: WorkDayInput): Promise<WriteResult> {
  const h = await incomeHousehold(user, householdId);
  if (!h) return { ok: false, status: 404 };
  const c = await workDayCooperative(user, h, input);
  if ("ok" in c) return c;
  const dateErrors = workDayDateErrors(h, input);
  if (dateErrors) return { ok: false, status: 400, errors: dateErrors };
  return refusedAs400(() =>
    prisma.$transaction(async (tx) => {
      const overlap = await overlapError(tx, input, null);
      if (overlap) throw new Refused(overlap);
      const w = await tx.workDay.create({ data: { ...input, cooperativeId: c.coopId, householdId, townshipId: h.townshipId, villageId: h.villageId, recordedById: user.id } });
      await recordAudit({ actor: actor(user), action: "create", entity: "WorkDay", entityId: w.id, townshipId: h.townshipId, villageId: h.villageId, after: input }, tx);
      return { ok: true as const, id: w.id };
    }),
  );
}

const MAX_REASON = 200;

function reasonError(reason: string): Record<string, Problem> | null {
  const r = reason.trim();
  if (!r) return { withdrawReason: { key: "income.work.reasonRequired" } };
  if (r.length > MAX_REASON) return { withdrawReason: { key: "text.tooLong", params: { max: MAX_REASON } } };
  return null;
}

/** A live record of the household the user may change, or why not. */
async function liveWorkDay(user: CurrentUser, h: Household, workDayId: number) {
  const w = await prisma.workDay.findFirst({ where: { id: workDayId, householdId: h.id } });
  if (!w) return { ok: false as const, status: 404 as const };
  if (!can(user, "write:work-days", workDayTarget(h, w.cooperativeId))) return { ok: false as const, status: 403 as const };
  if (w.withdrawnAt) return { ok: false as const, status: 400 as const, errors: { withdrawReason: { key: "income.work.alreadyWithdrawn" } } };
  return w;
}

/**
 * Corrects a record: the new one (with correctsId) replaces the old, which
 * is withdrawn with the reason in the same transaction, so that exactly one
 * of the two counts at any moment. The same checks as a new record, except
 * that the period may overlap the record it replaces.
 */
export async function correctWorkDay(user: CurrentUser, householdId: number, workDayId: number, input: WorkDayInput, reason: string): Promise<WriteResult> {
  const h = await incomeHousehold(user, householdId);
  if (!h) return { ok: false, status: 404 };
  const old = await liveWorkDay(user, h, workDayId);
  if ("ok" in old) return old;
  const c = await workDayCooperative(user, h, input);
  if ("ok" in c) return c;
  const errors = workDayDateErrors(h, input) ?? reasonError(reason);
  if (errors) return { ok: false, status: 400, errors };
  return refusedAs400(() =>
    prisma.$transaction(async (tx) => {
      const overlap = await overlapError(tx, input, old.id);
      if (overlap) throw new Refused(overlap);
      // only a record still live is withdrawn: a concurrent withdrawal or correction wins
      const at = now();
      const done = await tx.workDay.updateMany({ where: { id: old.id, withdrawnAt: null }, data: { withdrawnAt: at, withdrawnById: user.id, withdrawReason: reason.trim() } });
      if (done.count !== 1) throw new Refused({ withdrawReason: { key: "income.work.alreadyWithdrawn" } });
      const w = await tx.workDay.create({ data: { ...input, cooperativeId: c.coopId, correctsId: old.id, householdId, townshipId: h.townshipId, villageId: h.villageId, recordedById: user.id } });
      await recordAudit({ actor: actor(user), action: "update", entity: "WorkDay", entityId: old.id, townshipId: h.townshipId, villageId: h.villageId, before: old, after: { withdrawnAt: at, withdrawReason: reason.trim(), correctedBy: w.id } }, tx);
      await recordAudit({ actor: actor(user), action: "create", entity: "WorkDay", entityId: w.id, townshipId: h.townshipId, villageId: h.villageId, after: { ...input, correctsId: old.id } }, tx);
      return { ok: true as const, id: w.id };
    }),
  );
}

/** Withdraws a mistaken record with a reason: it stays for the trail and counts nowhere. */
export async function withdrawWorkDay(user: CurrentUser, householdId: number, workDayId: number, reason: string): Promise<WriteResult> {
  const h = await incomeHousehold(user, householdId);
  if (!h) return { ok: false, status: 404 };
  const w = await liveWorkDay(user, h, workDayId);
  if ("ok" in w) return w;
  const errors = reasonError(reason);
  if (errors) return { ok: false, status: 400, errors };
  return refusedAs400(() =>
    prisma.$transaction(async (tx) => {
      const at = now();
      const done = await tx.workDay.updateMany({ where: { id: w.id, withdrawnAt: null }, data: { withdrawnAt: at, withdrawnById: user.id, withdrawReason: reason.trim() } });
      if (done.count !== 1) throw new Refused({ withdrawReason: { key: "income.work.alreadyWithdrawn" } });
      await recordAudit({ actor: actor(user), action: "update", entity: "WorkDay", entityId: w.id, townshipId: h.townshipId, villageId: h.villageId, before: w, after: { withdrawnAt: at, withdrawReason: reason.trim() } }, tx);
      return { ok: true as const, id: w.id };
    }),
  );
}

export async function listMonitoringLines() {
  return prisma.monitoringLine.findMany({ orderBy: [{ year: "desc" }, { provinceCode: "asc" }] });
}

/** A line is a province's figure for a year: entering it again replaces it, and the trail keeps the old value. */
export async function saveMonitoringLine(user: CurrentUser, input: MonitoringLineInput) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.monitoringLine.findUnique({ where: { year_provinceCode: { year: input.year, provinceCode: input.provinceCode } } });
    const line = await tx.monitoringLine.upsert({
      where: { year_provinceCode: { year: input.year, provinceCode: input.provinceCode } },
      create: { ...input, enteredById: user.id },
      update: { amountFen: input.amountFen, source: input.source, sourceUrl: input.sourceUrl, enteredById: user.id },
    });
    await recordAudit({ actor: actor(user), action: before ? "update" : "create", entity: "MonitoringLine", entityId: line.id, before: before ?? undefined, after: input }, tx);
    return line;
  });
}

/** The work days a cooperative's accountant has recorded for its base. */
export async function cooperativeWorkDays(cooperativeId: number, year: number) {
  return prisma.workDay.findMany({ where: { cooperativeId, year, withdrawnAt: null }, orderBy: [{ periodStart: "desc" }, { id: "desc" }], take: 200 });
}

/** Cooperatives a household's members may have worked for: those of its township. */
export async function cooperativeChoices(user: CurrentUser, townshipId: number) {
  if (user.scope.kind === "cooperative") {
    return prisma.cooperative.findMany({ where: { id: user.scope.cooperativeId }, select: { id: true, name: true } });
  }
  return prisma.cooperative.findMany({ where: { townshipId }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

/** The 2-digit province code of a township, from its statistical division code. */
export async function provinceOf(townshipId: number): Promise<string> {
  const t = await prisma.township.findUnique({ where: { id: townshipId }, select: { code: true } });
  return t?.code.slice(0, 2) ?? "37";
}

/** A current member of a household in the user's scope, found by ID number, for recording base work. */
export async function findWorker(user: CurrentUser, idNumber: string) {
  const p = await prisma.person.findFirst({
    where: { idNumber: idNumber.trim().toUpperCase(), leftOn: null, household: householdScopeWhere(user.scope) },
    select: { id: true, name: true, householdId: true, household: { select: { code: true, village: { select: { name: true } } } } },
  });
  return p ? { personId: p.id, name: p.name, householdId: p.householdId, householdCode: p.household.code, villageName: p.household.village.name } : null;
}

/** Work days recorded in the user's scope for a year, newest first, with the worker's name. */
export async function workDaysOfScope(user: CurrentUser, year: number) {
  // an accountant's register is their cooperative's work days, wherever the workers live
  const where = { year, withdrawnAt: null, ...placeScopeWhere(user.scope, (s) => ({ cooperativeId: s.cooperativeId })) };
  const rows = await prisma.workDay.findMany({ where, orderBy: [{ periodStart: "desc" }, { id: "desc" }], take: 200 });
  const people = new Map((await prisma.person.findMany({ where: { id: { in: rows.map((r) => r.personId) } }, select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  return rows.map((r) => ({ id: r.id, householdId: r.householdId, person: people.get(r.personId) ?? "", periodStart: r.periodStart, periodEnd: r.periodEnd, days: r.days, dailyWageFen: r.dailyWageFen, amountFen: r.amountFen }));
}
