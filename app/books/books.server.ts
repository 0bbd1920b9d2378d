/**
 * The cooperative's books (issue 17, docs/decisions/021-the-books.md): the
 * chart of its system, vouchers made by hand or booked from the money events
 * the app holds, checking, voiding and closing. Every write is one
 * transaction (serialised: BEGIN IMMEDIATE on SQLite, the advisory lock on
 * PostgreSQL), so numbering and "book once" hold across processes.
 */
import { Prisma } from "@prisma/client";
import { recordAudit } from "~/auth/audit.server";
import { type Actor } from "~/auth/permissions";
import { requireCan } from "~/auth/permissions.server";
import { chinaDate, isValidDate, now } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import { notFound } from "~/lib/http";
import { bookingOf, closingLines, payableParts, splitPayment, type Booking, type BookingEvent, type DistributionLine } from "./booking";
import { CHARTS, isAccountingSystem, ROLE_CODES, standardParents, subAccountCode, subAccountSeq, type AccountingSystem, type AccountRole } from "./chart";
import { accountsOf, balancesThrough, bookedSources, insertLedgerAccounts, insertVoucherLines, paymentsOf, rentPaymentsOf, runLinesOf, yearBalances } from "./books.queries.server";
import { bookingPeriod, checkVoucherLines, isRedInk, reversalLines, voucherTotals, type AccountInfo, type VoucherLineInput } from "./voucher";

export { trialBalance, accountLedger, accountsOf, type TrialBalanceRow, type LedgerEntry, type AccountRow } from "./books.queries.server";

type Tx = Prisma.TransactionClient;

export type Result<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

/** Who acts: the signed-in user (CurrentUser fits). */
export type BooksActor = Actor & { username?: string; displayName?: string };

/** Where the vouchers come from (Voucher.source). */
export const SOURCES = {
  manual: "MANUAL",
  rentPaid: "RENT_PAYMENT",
  rentCollected: "RENT_COLLECTED",
  harvest: "HARVEST",
  runCost: "RUN_COST",
  runReserve: "RUN_RESERVE",
  runDistribution: "RUN_DISTRIBUTION",
  runDeduction: "RUN_DEDUCTION",
  dividendPayment: "DIVIDEND_PAYMENT",
  memberCapital: "MEMBER_CAPITAL",
  closing: "CLOSING",
} as const;

const TX = { maxWait: 15_000, timeout: 120_000 };

function nameOf(actor: BooksActor): string {
  return actor.displayName || actor.username || String(actor.id);
}
function auditActor(actor: BooksActor) {
  return { id: actor.id, name: actor.username ?? nameOf(actor) };
}

async function cooperativeOf(cooperativeId: number, tx: Tx = prisma) {
  const coop = await tx.cooperative.findUnique({ where: { id: cooperativeId }, select: { id: true, name: true, townshipId: true, accountingSystem: true } });
  if (!coop) throw notFound();
  const system: AccountingSystem = isAccountingSystem(coop.accountingSystem) ? coop.accountingSystem : "COOP_2021";
  return { ...coop, system };
}

function requireBooks(actor: BooksActor, permission: "read:books" | "write:voucher" | "check:voucher" | "close:books", coop: { id: number; townshipId: number }) {
  requireCan(actor, permission, { townshipId: coop.townshipId, cooperativeId: coop.id });
}

/** Reading the books of a cooperative (403 outside the reader's scope). */
export async function requireBooksReader(actor: BooksActor, cooperativeId: number) {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "read:books", coop);
  return coop;
}

// ---------------------------------------------------------------- the chart

/** Creates the standard chart of the cooperative's system once (idempotent, safe when two run at once). */
export async function ensureBooks(cooperativeId: number): Promise<void> {
  const coop = await cooperativeOf(cooperativeId);
  const have = await prisma.ledgerAccount.count({ where: { cooperativeId, standard: true } });
  if (have >= CHARTS[coop.system].length) return;
  await prisma.$transaction((tx) => ensureBooksTx(tx, cooperativeId, coop.system), TX);
}

async function ensureBooksTx(tx: Tx, cooperativeId: number, system: AccountingSystem): Promise<void> {
  const existing = new Map((await tx.ledgerAccount.findMany({ where: { cooperativeId, standard: true }, select: { id: true, code: true } })).map((a) => [a.code, a.id]));
  const parents = standardParents(system);
  // the chart lists every parent before its children
  for (const a of CHARTS[system]) {
    if (existing.has(a.code)) continue;
    const created = await tx.ledgerAccount.create({
      data: {
        cooperativeId,
        code: a.code,
        name: a.name,
        parentId: a.parentCode ? (existing.get(a.parentCode) ?? null) : null,
        category: a.category,
        normalSide: a.normalSide,
        // per-member accounts are posted through their members' sub-accounts only
        isLeaf: !(a.perMember || parents.has(a.code)),
        standard: true,
      },
      select: { id: true },
    });
    existing.set(a.code, created.id);
  }
}

async function roleAccounts(tx: Tx, cooperativeId: number, system: AccountingSystem): Promise<Map<string, { id: number; code: string; name: string; isLeaf: boolean }>> {
  const rows = await tx.ledgerAccount.findMany({ where: { cooperativeId, standard: true }, select: { id: true, code: true, name: true, isLeaf: true } });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  if (byCode.size < CHARTS[system].length) {
    await ensureBooksTx(tx, cooperativeId, system);
    return roleAccounts(tx, cooperativeId, system);
  }
  return byCode;
}

async function nextSeq(tx: Tx, cooperativeId: number, parent: { id: number; code: string }): Promise<number> {
  const kids = await tx.ledgerAccount.findMany({ where: { cooperativeId, parentId: parent.id }, select: { code: true } });
  let max = 0;
  for (const k of kids) {
    const n = subAccountSeq(parent.code, k.code);
    if (n !== null && n > max) max = n;
  }
  return max + 1;
}

async function hasPostings(tx: Tx, accountId: number): Promise<boolean> {
  return (await tx.voucherLine.count({ where: { accountId, voucher: { status: { not: "VOID" } } } })) > 0;
}

/** Adds a sub-account (per member or counterparty) under an account; the parent stops being postable. */
export async function addSubAccount(actor: BooksActor, cooperativeId: number, input: { parentId: number; name: string; householdId?: number; counterparty?: string }): Promise<Result<{ accountId: number }>> {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "write:voucher", coop);
  await ensureBooks(cooperativeId);
  const name = input.name.trim().slice(0, 60);
  if (!name) return { ok: false, errors: { name: { key: "books.account.nameRequired" } } };
  return prisma.$transaction(async (tx): Promise<Result<{ accountId: number }>> => {
    const parent = await tx.ledgerAccount.findFirst({ where: { id: input.parentId, cooperativeId } });
    if (!parent) return { ok: false, errors: { parentId: { key: "books.line.unknownAccount" } } };
    if (parent.householdId !== null) return { ok: false, errors: { parentId: { key: "books.account.memberNoChildren" } } };
    if (parent.isLeaf && (await hasPostings(tx, parent.id))) return { ok: false, errors: { parentId: { key: "books.account.hasPostings", params: { code: parent.code, name: parent.name } } } };
    if (input.householdId !== undefined) {
      const dup = await tx.ledgerAccount.findFirst({ where: { cooperativeId, parentId: parent.id, householdId: input.householdId }, select: { id: true } });
      if (dup) return { ok: true, accountId: dup.id };
      const household = await tx.household.findUnique({ where: { id: input.householdId }, select: { id: true } });
      if (!household) return { ok: false, errors: { householdId: { key: "books.account.unknownHousehold" } } };
    }
    const counterparty = (input.counterparty ?? "").trim().slice(0, 60);
    if (counterparty && (await tx.ledgerAccount.findFirst({ where: { cooperativeId, parentId: parent.id, counterparty }, select: { id: true } })))
      return { ok: false, errors: { counterparty: { key: "books.account.duplicate", params: { name: counterparty } } } };
    const code = subAccountCode(parent.code, await nextSeq(tx, cooperativeId, parent));
    const created = await tx.ledgerAccount.create({
      data: { cooperativeId, code, name, parentId: parent.id, category: parent.category, normalSide: parent.normalSide, isLeaf: true, householdId: input.householdId ?? null, counterparty },
      select: { id: true },
    });
    if (parent.isLeaf) await tx.ledgerAccount.update({ where: { id: parent.id }, data: { isLeaf: false } });
    await recordAudit({ actor: auditActor(actor), action: "create", entity: "LedgerAccount", entityId: created.id, townshipId: coop.townshipId, after: { cooperativeId, code, name, parent: parent.code, householdId: input.householdId ?? null, counterparty } }, tx);
    return { ok: true, accountId: created.id };
  }, TX);
}

/** The member's sub-account under the role's account (created when missing). */
export async function memberAccount(tx: Tx, cooperativeId: number, role: AccountRole, householdId: number): Promise<number> {
  const coop = await cooperativeOf(cooperativeId, tx);
  const ids = await memberAccounts(tx, cooperativeId, coop.system, role, [householdId]);
  return ids.get(householdId)!;
}

/** Members' sub-accounts under one role's account, made in one insert for those missing (a run of thousands). */
async function memberAccounts(tx: Tx, cooperativeId: number, system: AccountingSystem, role: AccountRole, householdIds: readonly number[], knownNames: ReadonlyMap<number, string> = new Map()): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (householdIds.length === 0) return out;
  const accounts = await roleAccounts(tx, cooperativeId, system);
  const parent = accounts.get(ROLE_CODES[system][role])!;
  const wanted = [...new Set(householdIds)];
  const kids = await tx.ledgerAccount.findMany({ where: { cooperativeId, parentId: parent.id }, select: { id: true, code: true, householdId: true } });
  let seq = 0;
  for (const k of kids) {
    if (k.householdId !== null) out.set(k.householdId, k.id);
    const n = subAccountSeq(parent.code, k.code);
    if (n !== null && n > seq) seq = n;
  }
  const missing = wanted.filter((h) => !out.has(h));
  if (missing.length === 0) return out;
  const parentRow = await tx.ledgerAccount.findUniqueOrThrow({ where: { id: parent.id } });
  const names = new Map<number, string>();
  for (const h of missing) if (knownNames.has(h)) names.set(h, knownNames.get(h)!);
  const unknown = missing.filter((h) => !names.has(h));
  // a few hundred ids a query: Prisma's driver adapters bound the parameters of one statement
  for (let i = 0; i < unknown.length; i += 500) {
    for (const h of await tx.household.findMany({ where: { id: { in: unknown.slice(i, i + 500) } }, select: { id: true, headName: true } })) names.set(h.id, h.headName);
  }
  const rows = missing.map((h) => ({
    cooperativeId,
    code: subAccountCode(parent.code, ++seq),
    name: names.get(h) || `成员 ${h}`,
    parentId: parent.id,
    category: parentRow.category,
    normalSide: parentRow.normalSide,
    householdId: h,
  }));
  await insertLedgerAccounts(tx, rows);
  if (parentRow.isLeaf) await tx.ledgerAccount.update({ where: { id: parent.id }, data: { isLeaf: false } });
  const made = await tx.ledgerAccount.findMany({ where: { cooperativeId, parentId: parent.id, householdId: { not: null } }, select: { id: true, householdId: true } });
  for (const k of made) if (k.householdId !== null && !out.has(k.householdId)) out.set(k.householdId, k.id);
  return out;
}

// ---------------------------------------------------------------- periods

async function closedPeriods(tx: Tx, cooperativeId: number): Promise<(year: number, month: number) => boolean> {
  const rows = await tx.accountingPeriod.findMany({ where: { cooperativeId, reopenedAt: null }, select: { year: true, month: true } });
  const months = new Set(rows.filter((r) => r.month > 0).map((r) => r.year * 100 + r.month));
  const years = new Set(rows.filter((r) => r.month === 0).map((r) => r.year));
  return (year, month) => years.has(year) || months.has(year * 100 + month);
}

/** The periods of the books: which months (1–12) and years (month 0) are closed. */
export async function periodsOf(cooperativeId: number) {
  return prisma.accountingPeriod.findMany({ where: { cooperativeId, reopenedAt: null }, orderBy: [{ year: "asc" }, { month: "asc" }], select: { year: true, month: true, closedAt: true, closedById: true } });
}

// ---------------------------------------------------------------- vouchers

interface NewVoucher {
  date: string;
  summary: string;
  attachments?: number;
  source: string;
  sourceId?: string | null;
  sourceVersion?: number;
  reversesId?: number | null;
  lines: VoucherLineInput[];
  status?: "UNCHECKED" | "CHECKED";
  /** the closing vouchers: into this period even though it is closed */
  intoPeriod?: { year: number; month: number };
}

/** Numbers and writes one voucher inside the caller's transaction (the period and balance are the caller's to have checked). */
async function insertVoucher(tx: Tx, coop: { id: number; townshipId: number }, actor: BooksActor, v: NewVoucher, isClosed: (y: number, m: number) => boolean): Promise<{ id: number; number: number; year: number; month: number }> {
  let { year, month, date, moved } = v.intoPeriod ? { ...v.intoPeriod, date: v.date, moved: false } : bookingPeriod(v.date, isClosed);
  const summary = moved ? `${v.summary}（原日期 ${v.date}）` : v.summary;
  const last = await tx.voucher.aggregate({ where: { cooperativeId: coop.id, year, month }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const { debitFen } = voucherTotals(v.lines);
  const at = now();
  const created = await tx.voucher.create({
    data: {
      cooperativeId: coop.id,
      townshipId: coop.townshipId,
      year,
      month,
      number,
      date,
      summary: summary.slice(0, 200),
      attachments: v.attachments ?? 0,
      source: v.source,
      sourceId: v.sourceId ?? null,
      sourceVersion: v.sourceVersion ?? 0,
      reversesId: v.reversesId ?? null,
      redInk: isRedInk(v.lines),
      status: v.status ?? "UNCHECKED",
      totalFen: debitFen,
      makerId: actor.id,
      makerName: nameOf(actor),
      ...(v.status === "CHECKED" ? { checkerName: "结账自动生成", checkedAt: at } : {}),
    },
    select: { id: true },
  });
  const rows = v.lines.map((l, i) => ({ voucherId: created.id, cooperativeId: coop.id, seq: i + 1, accountId: l.accountId, summary: l.summary.slice(0, 200), debitFen: l.debitFen, creditFen: l.creditFen }));
  await insertVoucherLines(tx, rows);
  return { id: created.id, number, year, month };
}

export interface ManualVoucherInput {
  date: string;
  summary: string;
  attachments: number;
  lines: VoucherLineInput[];
}

/** A manual voucher: balanced, leaf accounts of this cooperative, an open period; refused whole otherwise. */
export async function createManualVoucher(actor: BooksActor, cooperativeId: number, input: ManualVoucherInput): Promise<Result<{ voucherId: number; number: number }>> {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "write:voucher", coop);
  await ensureBooks(cooperativeId);
  const errors: FieldErrors = {};
  if (!isValidDate(input.date)) errors.date = { key: "books.voucher.badDate" };
  const summary = input.summary.trim();
  if (!summary) errors.summary = { key: "books.voucher.summaryRequired" };
  if (!Number.isInteger(input.attachments) || input.attachments < 0 || input.attachments > 999) errors.attachments = { key: "books.voucher.badAttachments" };
  if (Object.keys(errors).length) return { ok: false, errors };
  return prisma.$transaction(async (tx): Promise<Result<{ voucherId: number; number: number }>> => {
    const ids = [...new Set(input.lines.map((l) => l.accountId))];
    const accounts = await tx.ledgerAccount.findMany({ where: { id: { in: ids }, cooperativeId }, select: { id: true, code: true, name: true, isLeaf: true, cooperativeId: true } });
    const byId = new Map<number, AccountInfo>(accounts.map((a) => [a.id, a]));
    const isClosed = await closedPeriods(tx, cooperativeId);
    const y = Number(input.date.slice(0, 4));
    const m = Number(input.date.slice(5, 7));
    const check = checkVoucherLines(input.lines, byId, { year: y, month: m, closed: isClosed(y, m) }, cooperativeId);
    if (!check.ok) return check;
    const v = await insertVoucher(tx, coop, actor, { date: input.date, summary, attachments: input.attachments, source: SOURCES.manual, lines: input.lines }, isClosed);
    const totals = voucherTotals(input.lines);
    await recordAudit({ actor: auditActor(actor), action: "create", entity: "Voucher", entityId: v.id, townshipId: coop.townshipId, after: { cooperativeId, year: v.year, month: v.month, number: v.number, date: input.date, summary, totalFen: totals.debitFen, lines: input.lines.length } }, tx);
    return { ok: true, voucherId: v.id, number: v.number };
  }, TX);
}

/** Checks (审核) a voucher: someone other than its maker, with check:voucher. */
export async function checkVoucher(actor: BooksActor, voucherId: number): Promise<Result> {
  const v = await prisma.voucher.findUnique({ where: { id: voucherId }, select: { id: true, cooperativeId: true, townshipId: true, status: true, makerId: true, year: true, month: true, number: true } });
  if (!v) throw notFound();
  requireBooks(actor, "check:voucher", { id: v.cooperativeId, townshipId: v.townshipId });
  if (v.makerId === actor.id) return { ok: false, errors: { voucher: { key: "books.voucher.selfCheck" } } };
  if (v.status !== "UNCHECKED") return { ok: false, errors: { voucher: { key: "books.voucher.notUnchecked" } } };
  return prisma.$transaction(async (tx): Promise<Result> => {
    const done = await tx.voucher.updateMany({ where: { id: voucherId, status: "UNCHECKED", NOT: { makerId: actor.id } }, data: { status: "CHECKED", checkerId: actor.id, checkerName: nameOf(actor), checkedAt: now() } });
    if (done.count !== 1) return { ok: false, errors: { voucher: { key: "books.voucher.notUnchecked" } } };
    await recordAudit({ actor: auditActor(actor), action: "update", entity: "Voucher", entityId: voucherId, townshipId: v.townshipId, before: { status: "UNCHECKED" }, after: { status: "CHECKED", year: v.year, month: v.month, number: v.number } }, tx);
    return { ok: true };
  }, TX);
}

/** Checks every unchecked voucher of a month that the actor did not make; answers how many. */
export async function checkMonth(actor: BooksActor, cooperativeId: number, year: number, month: number): Promise<Result<{ checked: number; ownSkipped: number }>> {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "check:voucher", coop);
  return prisma.$transaction(async (tx) => {
    const own = await tx.voucher.count({ where: { cooperativeId, year, month, status: "UNCHECKED", makerId: actor.id } });
    const done = await tx.voucher.updateMany({ where: { cooperativeId, year, month, status: "UNCHECKED", NOT: { makerId: actor.id } }, data: { status: "CHECKED", checkerId: actor.id, checkerName: nameOf(actor), checkedAt: now() } });
    if (done.count > 0) await recordAudit({ actor: auditActor(actor), action: "update", entity: "Voucher", entityId: `${cooperativeId}:${year}-${month}`, townshipId: coop.townshipId, before: { status: "UNCHECKED" }, after: { status: "CHECKED", year, month, count: done.count } }, tx);
    return { ok: true as const, checked: done.count, ownSkipped: own };
  }, TX);
}

/** Voids an unchecked manual voucher: it keeps its number and counts nowhere. */
export async function voidVoucher(actor: BooksActor, voucherId: number, reason: string): Promise<Result> {
  const v = await prisma.voucher.findUnique({ where: { id: voucherId }, select: { id: true, cooperativeId: true, townshipId: true, status: true, source: true, year: true, month: true, number: true } });
  if (!v) throw notFound();
  requireBooks(actor, "write:voucher", { id: v.cooperativeId, townshipId: v.townshipId });
  const why = reason.trim().slice(0, 200);
  if (!why) return { ok: false, errors: { reason: { key: "confirm.reasonRequired" } } };
  if (v.source !== SOURCES.manual) return { ok: false, errors: { voucher: { key: "books.voucher.generatedNoVoid" } } };
  if (v.status !== "UNCHECKED") return { ok: false, errors: { voucher: { key: "books.voucher.notUnchecked" } } };
  return prisma.$transaction(async (tx): Promise<Result> => {
    const done = await tx.voucher.updateMany({ where: { id: voucherId, status: "UNCHECKED" }, data: { status: "VOID" } });
    if (done.count !== 1) return { ok: false, errors: { voucher: { key: "books.voucher.notUnchecked" } } };
    await recordAudit({ actor: auditActor(actor), action: "update", entity: "Voucher", entityId: voucherId, townshipId: v.townshipId, before: { status: "UNCHECKED" }, after: { status: "VOID", reason: why, year: v.year, month: v.month, number: v.number } }, tx);
    return { ok: true };
  }, TX);
}

// ---------------------------------------------------------------- booking the money events

export interface BookingReport {
  booked: number;
  reversed: number;
  skipped: { source: string; sourceId: string; reason: string }[];
}

interface Pending {
  source: string;
  sourceId: string;
  version: number;
  order: number;
  seq: number;
  event: BookingEvent;
  /** a red-ink reversal of this voucher (its lines negated) instead of a booking of `event` */
  reverses?: { voucherId: number };
  /** the voucher of the source record this one reverses (a reversing rent payment) */
  reversesOf?: { source: string; sourceId: string };
}

/**
 * Books every money event not yet booked (and re-books changed harvests), in
 * date order, in one transaction. Idempotent: a source's booking is unique
 * by (source, sourceId, sourceVersion), and the transaction re-reads what is
 * booked under the write lock, so a second run at once books nothing new.
 */
export async function bookPendingEvents(actor: BooksActor, cooperativeId: number): Promise<BookingReport> {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "write:voucher", coop);
  await ensureBooks(cooperativeId);
  const report = await prisma.$transaction((tx) => bookPendingTx(tx, coop, actor), TX);
  if (report.booked + report.reversed > 0)
    await recordAudit({ actor: auditActor(actor), action: "create", entity: "Voucher", entityId: `${cooperativeId}:events`, townshipId: coop.townshipId, after: { booked: report.booked, reversed: report.reversed, skipped: report.skipped.length } });
  return report;
}

async function bookPendingTx(tx: Tx, coop: Awaited<ReturnType<typeof cooperativeOf>>, actor: BooksActor): Promise<BookingReport> {
  const booked = await bookedSources(tx, coop.id);
  const has = (source: string, id: string) => (booked.get(source)?.get(id)?.length ?? 0) > 0;
  const pending: Pending[] = [];
  const skipped: BookingReport["skipped"] = [];
  let seq = 0;
  const push = (p: Omit<Pending, "seq">) => pending.push({ ...p, seq: seq++ });

  // rent the cooperative paid as transferee; a reversing row books red ink against the original's voucher
  for (const r of await rentPaymentsOf(tx, coop.id, "paid")) {
    const id = String(r.id);
    if (has(SOURCES.rentPaid, id)) continue;
    push({
      source: SOURCES.rentPaid,
      sourceId: id,
      version: 0,
      order: 1,
      event: { kind: "RENT_PAID", date: r.paidOn, amountFen: r.amountFen, method: r.method, contract: r.contract, payee: r.headName, reversal: r.reversesId !== null },
      reversesOf: r.reversesId !== null ? { source: SOURCES.rentPaid, sourceId: String(r.reversesId) } : undefined,
    });
  }
  // a collective collects and pays over the rent of its villages' households
  if (coop.system === "COLLECTIVE_2023") {
    for (const r of await rentPaymentsOf(tx, coop.id, "collected")) {
      const id = String(r.id);
      if (has(SOURCES.rentCollected, id)) continue;
      push({
        source: SOURCES.rentCollected,
        sourceId: id,
        version: 0,
        order: 1,
        event: { kind: "RENT_COLLECTED", date: r.paidOn, amountFen: r.amountFen, method: r.method, contract: r.contract, householdId: r.householdId, payee: r.headName, reversal: r.reversesId !== null },
        reversesOf: r.reversesId !== null ? { source: SOURCES.rentCollected, sourceId: String(r.reversesId) } : undefined,
      });
    }
  }

  // harvest sales: a changed amount or a deleted harvest reverses the last booking, then books anew
  const harvests = await tx.harvest.findMany({ where: { cooperativeId: coop.id }, select: { id: true, harvestedOn: true, salesFen: true, crop: true, buyer: true } });
  const harvestIds = new Set<string>();
  for (const h of harvests) {
    const id = String(h.id);
    harvestIds.add(id);
    const versions = booked.get(SOURCES.harvest)?.get(id) ?? [];
    const last = versions[versions.length - 1];
    const live = last && !last.redInk ? last : undefined;
    let version = last ? last.version + 1 : 0;
    if (live && live.totalFen === h.salesFen) continue;
    if (live) push({ source: SOURCES.harvest, sourceId: id, version: version++, order: 2, event: harvestEvent(h), reverses: { voucherId: live.id } });
    if (h.salesFen !== 0n) push({ source: SOURCES.harvest, sourceId: id, version, order: 2, event: harvestEvent(h) });
  }
  for (const [id, versions] of booked.get(SOURCES.harvest) ?? []) {
    if (harvestIds.has(id)) continue;
    const last = versions[versions.length - 1]!;
    if (!last.redInk) push({ source: SOURCES.harvest, sourceId: id, version: last.version + 1, order: 2, event: { kind: "HARVEST", date: chinaDate(now()), salesFen: last.totalFen, crop: "（已删除的采收记录）", buyer: "" }, reverses: { voucherId: last.id } });
  }

  // issued dividend runs: cost, reserves, distribution, deductions (a correction books its differences)
  const runs = await tx.dividendRun.findMany({ where: { cooperativeId: coop.id, status: "ISSUED" }, orderBy: { id: "asc" }, select: { id: true, year: true, costFen: true, providentFen: true, riskFen: true, correctsId: true, issuedAt: true } });
  const lastCost = new Map<number, bigint>(); // per root run: the cost of the latest issued run of its chain
  for (const run of runs) {
    const id = String(run.id);
    const date = chinaDate(run.issuedAt ?? now());
    const root = run.correctsId ?? run.id;
    const correction = run.correctsId !== null;
    const costDiff = run.costFen - (lastCost.get(root) ?? 0n);
    lastCost.set(root, run.costFen);
    if (!has(SOURCES.runCost, id)) push({ source: SOURCES.runCost, sourceId: id, version: 0, order: 3, event: { kind: "RUN_COST", date, year: run.year, costFen: costDiff, correction } });
    if (!has(SOURCES.runReserve, id)) push({ source: SOURCES.runReserve, sourceId: id, version: 0, order: 4, event: { kind: "RUN_RESERVE", date, year: run.year, providentFen: run.providentFen, riskFen: run.riskFen, correction } });
    if (has(SOURCES.runDistribution, id) && has(SOURCES.runDeduction, id)) continue;
    const dl: DistributionLine[] = await runLinesOf(tx, run.id);
    if (!has(SOURCES.runDistribution, id)) push({ source: SOURCES.runDistribution, sourceId: id, version: 0, order: 5, event: { kind: "RUN_DISTRIBUTION", date, year: run.year, lines: dl, correction } });
    if (!has(SOURCES.runDeduction, id)) push({ source: SOURCES.runDeduction, sourceId: id, version: 0, order: 6, event: { kind: "RUN_DEDUCTION", date, year: run.year, lines: dl, correction } });
  }

  // payments: PAID moves money; FAILED moves none (listed, never booked)
  const paidBefore = new Map<number, bigint>();
  for (const p of await paymentsOf(tx, coop.id)) {
    const id = String(p.id);
    if (p.status !== "PAID") {
      skipped.push({ source: SOURCES.dividendPayment, sourceId: id, reason: `资金未付出（支付失败${p.failureReason ? `：${p.failureReason}` : ""}）` });
      continue;
    }
    const before = paidBefore.get(p.lineId) ?? 0n;
    paidBefore.set(p.lineId, before + p.amountFen);
    if (has(SOURCES.dividendPayment, id)) continue;
    const parts = payableParts(p);
    const split = splitPayment(parts, before, p.amountFen);
    push({ source: SOURCES.dividendPayment, sourceId: id, version: 0, order: 7, event: { kind: "DIVIDEND_PAYMENT", date: p.paidOn, year: p.year, householdId: p.householdId, name: p.headName, returnFen: split.returnFen, surplusFen: split.surplusFen, reference: p.reference } });
  }

  // member capital
  const capital = await tx.memberCapital.findMany({ where: { cooperativeId: coop.id }, orderBy: { id: "asc" }, select: { id: true, householdId: true, date: true, amountFen: true, note: true } });
  const capitalNames = new Map((await tx.household.findMany({ where: { id: { in: [...new Set(capital.map((c) => c.householdId))] } }, select: { id: true, headName: true } })).map((h) => [h.id, h.headName]));
  for (const c of capital) {
    const id = String(c.id);
    if (has(SOURCES.memberCapital, id)) continue;
    push({ source: SOURCES.memberCapital, sourceId: id, version: 0, order: 8, event: { kind: "MEMBER_CAPITAL", date: c.date, householdId: c.householdId, name: capitalNames.get(c.householdId) ?? "", amountFen: c.amountFen, note: c.note } });
  }

  // date order; a re-booked harvest's reversal and new booking keep their order (seq)
  pending.sort((a, b) => a.event.date.localeCompare(b.event.date) || a.order - b.order || a.seq - b.seq);
  const isClosed = await closedPeriods(tx, coop.id);
  const accounts = await roleAccounts(tx, coop.id, coop.system);
  const codes = ROLE_CODES[coop.system];
  const member = await memberIdsFor(tx, coop.id, coop.system, pending);
  const voucherOf = new Map<string, number>(); // "source:sourceId" → its first voucher
  for (const [source, byId] of booked) for (const [id, versions] of byId) voucherOf.set(`${source}:${id}`, versions[0]!.id);
  let bookedCount = 0;
  let reversed = 0;
  for (const p of pending) {
    let lines: VoucherLineInput[];
    let summary: string;
    let date: string;
    let reversesId: number | null = null;
    if (p.reverses) {
      const orig = await tx.voucher.findUniqueOrThrow({ where: { id: p.reverses.voucherId }, select: { summary: true, lines: { orderBy: { seq: "asc" }, select: { accountId: true, summary: true, debitFen: true, creditFen: true } } } });
      lines = reversalLines(orig.lines);
      summary = `冲销：${orig.summary}`;
      date = p.event.date;
      reversesId = p.reverses.voucherId;
    } else {
      const b: Booking | null = bookingOf(p.event);
      if (!b) {
        skipped.push({ source: p.source, sourceId: p.sourceId, reason: "金额为零，无需记账" });
        continue;
      }
      lines = b.lines.map((l) => ({
        accountId: l.householdId !== undefined && member.has(`${l.role}:${l.householdId}`) ? member.get(`${l.role}:${l.householdId}`)! : accounts.get(codes[l.role])!.id,
        summary: l.summary,
        debitFen: l.debitFen,
        creditFen: l.creditFen,
      }));
      summary = b.summary;
      date = b.date;
      if (p.reversesOf) reversesId = voucherOf.get(`${p.reversesOf.source}:${p.reversesOf.sourceId}`) ?? null;
    }
    const v = await insertVoucher(tx, coop, actor, { date, summary, source: p.source, sourceId: p.sourceId, sourceVersion: p.version, reversesId, lines }, isClosed);
    if (!voucherOf.has(`${p.source}:${p.sourceId}`)) voucherOf.set(`${p.source}:${p.sourceId}`, v.id);
    if (p.reverses) reversed++;
    else bookedCount++;
  }
  return { booked: bookedCount, reversed, skipped };
}

function harvestEvent(h: { harvestedOn: string; salesFen: bigint; crop: string; buyer: string }): BookingEvent {
  return { kind: "HARVEST", date: h.harvestedOn, salesFen: h.salesFen, crop: h.crop, buyer: h.buyer };
}

/** Every member sub-account the pending bookings post to, "role:householdId" → account id, a few queries per role. */
async function memberIdsFor(tx: Tx, cooperativeId: number, system: AccountingSystem, pending: readonly Pending[]): Promise<Map<string, number>> {
  const wanted = new Map<AccountRole, Set<number>>();
  const names = new Map<number, string>();
  for (const p of pending) {
    if (p.reverses) continue;
    const e = p.event;
    if (e.kind === "RUN_DISTRIBUTION" || e.kind === "RUN_DEDUCTION") for (const l of e.lines) names.set(l.householdId, l.name);
    else if (e.kind === "DIVIDEND_PAYMENT" || e.kind === "MEMBER_CAPITAL") names.set(e.householdId, e.name);
    else if (e.kind === "RENT_COLLECTED") names.set(e.householdId, e.payee);
    const b = bookingOf(p.event);
    for (const l of b?.lines ?? []) {
      if (l.householdId === undefined) continue;
      const s = wanted.get(l.role) ?? new Set<number>();
      s.add(l.householdId);
      wanted.set(l.role, s);
    }
  }
  const out = new Map<string, number>();
  // roles sharing an account (a collective's two payables) share the member's sub-account
  const byCode = new Map<string, { roles: AccountRole[]; ids: Set<number> }>();
  for (const [role, ids] of wanted) {
    const code = ROLE_CODES[system][role];
    const entry = byCode.get(code) ?? { roles: [], ids: new Set<number>() };
    entry.roles.push(role);
    ids.forEach((i) => entry.ids.add(i));
    byCode.set(code, entry);
  }
  for (const { roles, ids } of byCode.values()) {
    const map = await memberAccounts(tx, cooperativeId, system, roles[0]!, [...ids], names);
    for (const role of roles) for (const [h, id] of map) out.set(`${role}:${h}`, id);
  }
  return out;
}

/** The vouchers booked from a source record, in booking order (a source page links to them). */
export async function vouchersOf(source: string | readonly string[], sourceId: string | number) {
  return prisma.voucher.findMany({
    where: { source: typeof source === "string" ? source : { in: [...source] }, sourceId: String(sourceId) },
    orderBy: [{ id: "asc" }],
    select: { id: true, cooperativeId: true, year: true, month: true, number: true, date: true, summary: true, source: true, sourceVersion: true, totalFen: true, status: true, redInk: true, reversesId: true },
  });
}

// ---------------------------------------------------------------- closing

/**
 * Closes a month (1–12) or the year (0). A month: every voucher checked, every
 * earlier month of the year closed, and the year before closed when it has
 * vouchers. The year: every month closed; books the carry-forward into
 * December (checked by the closing itself) and locks the year.
 */
export async function closePeriod(actor: BooksActor, cooperativeId: number, year: number, month: number): Promise<Result> {
  const coop = await cooperativeOf(cooperativeId);
  requireBooks(actor, "close:books", coop);
  if (!Number.isInteger(year) || year < 2000 || year > 2200 || !Number.isInteger(month) || month < 0 || month > 12) return { ok: false, errors: { period: { key: "books.period.bad" } } };
  await ensureBooks(cooperativeId);
  return prisma.$transaction(async (tx): Promise<Result> => {
    const isClosed = await closedPeriods(tx, cooperativeId);
    const periods = await tx.accountingPeriod.findMany({ where: { cooperativeId, reopenedAt: null }, select: { year: true, month: true } });
    const closed = new Set(periods.map((p) => `${p.year}-${p.month}`));
    if (closed.has(`${year}-0`) || closed.has(`${year}-${month}`)) return { ok: false, errors: { period: { key: "books.period.alreadyClosed", params: { year, month } } } };
    const previousYearHasVouchers = (await tx.voucher.count({ where: { cooperativeId, year: { lt: year }, status: { not: "VOID" } } })) > 0;
    const previousOpen = previousYearHasVouchers && !(await allEarlierYearsClosed(tx, cooperativeId, year, closed));
    if (previousOpen) return { ok: false, errors: { period: { key: "books.period.earlierYearOpen", params: { year: year - 1 } } } };
    if (month > 0) {
      for (let m = 1; m < month; m++) if (!closed.has(`${year}-${m}`)) return { ok: false, errors: { period: { key: "books.period.earlierOpen", params: { year, month: m } } } };
      const unchecked = await tx.voucher.count({ where: { cooperativeId, year, month, status: "UNCHECKED" } });
      if (unchecked > 0) return { ok: false, errors: { period: { key: "books.period.unchecked", params: { count: unchecked } } } };
      await tx.accountingPeriod.create({ data: { cooperativeId, year, month, closedById: actor.id } });
      await recordAudit({ actor: auditActor(actor), action: "update", entity: "AccountingPeriod", entityId: `${cooperativeId}:${year}-${month}`, townshipId: coop.townshipId, after: { closed: `${year}-${String(month).padStart(2, "0")}` } }, tx);
      return { ok: true };
    }
    for (let m = 1; m <= 12; m++) if (!closed.has(`${year}-${m}`)) return { ok: false, errors: { period: { key: "books.period.earlierOpen", params: { year, month: m } } } };
    const made = await bookClosing(tx, coop, actor, year, isClosed);
    await tx.accountingPeriod.create({ data: { cooperativeId, year, month: 0, closedById: actor.id } });
    await recordAudit({ actor: auditActor(actor), action: "update", entity: "AccountingPeriod", entityId: `${cooperativeId}:${year}`, townshipId: coop.townshipId, after: { closed: String(year), closingVouchers: made } }, tx);
    return { ok: true };
  }, TX);
}

async function allEarlierYearsClosed(tx: Tx, cooperativeId: number, year: number, closed: Set<string>): Promise<boolean> {
  const years = await tx.voucher.findMany({ where: { cooperativeId, year: { lt: year }, status: { not: "VOID" } }, distinct: ["year"], select: { year: true } });
  return years.every((y) => closed.has(`${y.year}-0`));
}

async function bookClosing(tx: Tx, coop: Awaited<ReturnType<typeof cooperativeOf>>, actor: BooksActor, year: number, isClosed: (y: number, m: number) => boolean): Promise<number> {
  const accounts = await accountsOf(coop.id, tx);
  const codes = ROLE_CODES[coop.system];
  const byCode = new Map(accounts.map((a) => [a.code, a]));
  const yearNet = await yearBalances(tx, coop.id, year);
  const throughNet = await balancesThrough(tx, coop.id, year);
  const signedOf = (side: "DEBIT" | "CREDIT", raw: bigint) => (side === "DEBIT" ? raw : -raw);
  const incomeAndExpense = accounts.filter((a) => a.isLeaf && a.category === "PROFIT_LOSS").map((a) => ({ accountId: a.id, category: a.category, normalSide: a.normalSide, balanceFen: signedOf(a.normalSide, yearNet.get(a.id) ?? 0n) }));
  const distribution = byCode.get(codes.surplusDistribution)!;
  const undistributed = byCode.get(codes.undistributed)!;
  const under = new Set<number>();
  const walk = (id: number) => accounts.filter((a) => a.parentId === id).forEach((k) => (under.add(k.id), walk(k.id)));
  walk(distribution.id);
  const details = accounts.filter((a) => a.isLeaf && under.has(a.id) && a.id !== undistributed.id).map((a) => ({ accountId: a.id, category: a.category, normalSide: a.normalSide, balanceFen: signedOf(a.normalSide, throughNet.get(a.id) ?? 0n) }));
  const { toSurplus, toUndistributed } = closingLines(year, incomeAndExpense, details, byCode.get(codes.currentSurplus)!.id, undistributed.id);
  let made = 0;
  const date = `${year}-12-31`;
  const into = { year, month: 12 };
  if (toSurplus.length >= 2) {
    await insertVoucher(tx, coop, actor, { date, summary: `结转${year}年度收入、支出`, source: SOURCES.closing, sourceId: String(year), sourceVersion: 0, lines: toSurplus, status: "CHECKED", intoPeriod: into }, isClosed);
    made++;
  }
  if (toUndistributed.length >= 2) {
    await insertVoucher(tx, coop, actor, { date, summary: `结转${year}年度${coop.system === "COLLECTIVE_2023" ? "本年收益及收益分配" : "本年盈余及盈余分配"}`, source: SOURCES.closing, sourceId: String(year), sourceVersion: 1, lines: toUndistributed, status: "CHECKED", intoPeriod: into }, isClosed);
    made++;
  }
  return made;
}

// ---------------------------------------------------------------- reading

/** The vouchers of a month (or the whole year with month 0), numbered order, with their totals. */
export async function vouchersIn(cooperativeId: number, year: number, month: number) {
  return prisma.voucher.findMany({
    where: { cooperativeId, year, ...(month > 0 ? { month } : {}) },
    orderBy: [{ month: "asc" }, { number: "asc" }],
    select: { id: true, year: true, month: true, number: true, date: true, summary: true, attachments: true, source: true, sourceId: true, sourceVersion: true, reversesId: true, redInk: true, status: true, totalFen: true, makerId: true, makerName: true, checkerId: true, checkerName: true, checkedAt: true },
  });
}

/** One voucher with its lines and their accounts (null when not in this cooperative). */
export async function voucherDetail(cooperativeId: number, voucherId: number) {
  const v = await prisma.voucher.findFirst({
    where: { id: voucherId, cooperativeId },
    include: { lines: { orderBy: { seq: "asc" } } },
  });
  if (!v) return null;
  const accounts = await prisma.ledgerAccount.findMany({ where: { id: { in: [...new Set(v.lines.map((l) => l.accountId))] } }, select: { id: true, code: true, name: true, parentId: true } });
  const parents = await prisma.ledgerAccount.findMany({ where: { id: { in: accounts.flatMap((a) => (a.parentId ? [a.parentId] : [])) } }, select: { id: true, code: true, name: true } });
  const byId = new Map([...accounts, ...parents].map((a) => [a.id, a]));
  return {
    ...v,
    lines: v.lines.map((l) => {
      const a = byId.get(l.accountId)!;
      const parent = "parentId" in a && a.parentId ? byId.get(a.parentId as number) : undefined;
      return { ...l, code: a.code, accountName: a.name, parentName: parent?.name ?? null, fullName: parent ? `${parent.name}—${a.name}` : a.name };
    }),
  };
}
