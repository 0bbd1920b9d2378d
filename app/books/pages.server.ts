/**
 * What the books' pages read besides the core (./books.server.ts): the
 * cooperative and year a page shows, month overviews, paged voucher lists,
 * where a generated voucher's source record lives, and the statements from
 * the trial balance (./statements.ts). Writes stay in ./books.server.ts.
 */
import { requirePermission, cooperativeScopeWhere } from "~/auth/permissions.server";
import type { CurrentUser } from "~/auth/session.server";
import { currentYear } from "~/lib/dates";
import { prisma } from "~/lib/db.server";
import { notFound } from "~/lib/http";
import { requireBooksReader, SOURCES, trialBalance, type TrialBalanceRow } from "./books.server";
import { CHARTS, type AccountingSystem } from "./chart";
import { balanceSheet, equityStatement, incomeStatement, statementsOf, type BalanceSheet, type ClosingFlows, type EquityStatement, type IncomeStatement } from "./statements";

export interface BooksCooperative {
  id: number;
  name: string;
  townshipId: number;
  system: AccountingSystem;
}

/** A year in the query (`?year=`), or this year in China. */
export function yearParam(url: URL): number {
  const y = Number(url.searchParams.get("year"));
  return Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : currentYear();
}

/** A month 1–12 in the query, or `fallback`. */
export function monthParam(url: URL, name: string, fallback: number): number {
  const m = Number(url.searchParams.get(name));
  return Number.isInteger(m) && m >= 1 && m <= 12 ? m : fallback;
}

/**
 * The signed-in reader of the books, the cooperatives they may read, and the
 * one the page shows (`?coop=`, else the first): 403 without read:books,
 * 404 for a cooperative outside the scope.
 */
export async function booksPage(request: Request): Promise<{ user: CurrentUser; url: URL; year: number; cooperatives: { id: number; name: string }[]; coop: BooksCooperative | null }> {
  const user = await requirePermission(request, "read:books");
  const url = new URL(request.url);
  const year = yearParam(url);
  const cooperatives = await prisma.cooperative.findMany({ where: cooperativeScopeWhere(user.scope), orderBy: { id: "asc" }, select: { id: true, name: true }, take: 500 });
  const raw = url.searchParams.get("coop");
  let picked: { id: number; name: string } | null = cooperatives[0] ?? null;
  if (raw) {
    const id = Number(raw);
    picked = (Number.isSafeInteger(id) ? cooperatives.find((c) => c.id === id) : undefined) ?? null;
    if (!picked) notFound();
  }
  if (!picked) return { user, url, year, cooperatives, coop: null };
  const c = await requireBooksReader(user, picked.id);
  return { user, url, year, cooperatives, coop: { id: c.id, name: c.name, townshipId: c.townshipId, system: c.system } };
}

export { booksQuery } from "./query";

// ---------------------------------------------------------------- overview

export interface MonthOverview {
  month: number;
  closed: boolean;
  vouchers: number;
  unchecked: number;
}

/** Per month of the year: closed or not, how many vouchers (void ones left out) and how many unchecked. */
export async function monthsOf(cooperativeId: number, year: number): Promise<{ months: MonthOverview[]; yearClosed: boolean; closedAt: Record<number, string> }> {
  const [groups, periods] = await Promise.all([
    prisma.voucher.groupBy({ by: ["month", "status"], where: { cooperativeId, year }, _count: { _all: true } }),
    prisma.accountingPeriod.findMany({ where: { cooperativeId, year, reopenedAt: null }, select: { month: true, closedAt: true } }),
  ]);
  const yearClosed = periods.some((p) => p.month === 0);
  const closed = new Set(periods.map((p) => p.month));
  const closedAt: Record<number, string> = {};
  for (const p of periods) closedAt[p.month] = p.closedAt.toISOString();
  const months: MonthOverview[] = [];
  for (let m = 1; m <= 12; m++) {
    const of = groups.filter((g) => g.month === m);
    months.push({
      month: m,
      closed: yearClosed || closed.has(m),
      vouchers: of.filter((g) => g.status !== "VOID").reduce((s, g) => s + g._count._all, 0),
      unchecked: of.filter((g) => g.status === "UNCHECKED").reduce((s, g) => s + g._count._all, 0),
    });
  }
  return { months, yearClosed, closedAt };
}

/** Payments of issued runs that moved no money (failed at the bank): never booked, listed with the bank's reason. */
export async function unbookedPayments(cooperativeId: number) {
  const rows = await prisma.dividendPayment.findMany({
    where: { status: { not: "PAID" }, line: { run: { cooperativeId, status: "ISSUED" } } },
    orderBy: { id: "asc" },
    take: 200,
    select: { id: true, paidOn: true, amountFen: true, failureReason: true, line: { select: { runId: true, run: { select: { year: true } }, household: { select: { headName: true, code: true } } } } },
  });
  return rows.map((r) => ({ id: r.id, runId: r.line.runId, runYear: r.line.run.year, paidOn: r.paidOn, amountFen: r.amountFen, reason: r.failureReason, household: `${r.line.household.code} ${r.line.household.headName}` }));
}

// ---------------------------------------------------------------- vouchers

export { VOUCHER_STATUSES } from "./query";
export const PAGE_SIZE = 50;

/** A page of the year's vouchers (a month, or all with 0), optionally of one status, in number order. */
export async function voucherPage(cooperativeId: number, year: number, month: number, status: string | null, page: number) {
  const where = { cooperativeId, year, ...(month > 0 ? { month } : {}), ...(status ? { status } : {}) };
  const [total, rows] = await Promise.all([
    prisma.voucher.count({ where }),
    prisma.voucher.findMany({
      where,
      orderBy: [{ month: "asc" }, { number: "asc" }],
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, month: true, number: true, date: true, summary: true, source: true, status: true, redInk: true, totalFen: true, makerName: true, checkerName: true, attachments: true },
    }),
  ]);
  return { total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), rows };
}

/** Where a generated voucher's source record is shown in the app, or null. */
export async function sourceLink(source: string, sourceId: string | null): Promise<string | null> {
  if (!sourceId) return null;
  const id = Number(sourceId);
  switch (source) {
    case SOURCES.rentPaid:
    case SOURCES.rentCollected: {
      if (!Number.isSafeInteger(id)) return null;
      const p = await prisma.rentPayment.findUnique({ where: { id }, select: { contractId: true } });
      return p ? `/contracts/${p.contractId}` : null;
    }
    case SOURCES.harvest:
      return `/harvests/records`;
    case SOURCES.runCost:
    case SOURCES.runReserve:
    case SOURCES.runDistribution:
    case SOURCES.runDeduction:
      return Number.isSafeInteger(id) ? `/dividends/${id}` : null;
    case SOURCES.dividendPayment: {
      if (!Number.isSafeInteger(id)) return null;
      const p = await prisma.dividendPayment.findUnique({ where: { id }, select: { line: { select: { runId: true } } } });
      return p ? `/dividends/${p.line.runId}` : null;
    }
    case SOURCES.memberCapital: {
      if (!Number.isSafeInteger(id)) return null;
      const c = await prisma.memberCapital.findUnique({ where: { id }, select: { householdId: true } });
      return c ? `/dividends/accounts/${c.householdId}` : null;
    }
    case SOURCES.closing:
      return `/books/closing`;
    default:
      return null;
  }
}

/** The vouchers that reverse this one (red ink), for the "reversed by" line. */
export function reversalsOf(voucherId: number) {
  return prisma.voucher.findMany({ where: { reversesId: voucherId }, orderBy: { id: "asc" }, select: { id: true, year: true, month: true, number: true } });
}

export function voucherBrief(id: number) {
  return prisma.voucher.findUnique({ where: { id }, select: { id: true, year: true, month: true, number: true } });
}

/** Leaf accounts a manual voucher may post to, in code order. */
export function postableAccounts(cooperativeId: number) {
  return prisma.ledgerAccount.findMany({ where: { cooperativeId, isLeaf: true }, orderBy: { code: "asc" }, select: { id: true, code: true, name: true } });
}

// ---------------------------------------------------------------- statements

/** The year-end carrying-forward lines of the year (source CLOSING), per account code, so the statements report the flows before them. */
async function closingFlows(cooperativeId: number, year: number): Promise<ClosingFlows> {
  const lines = await prisma.voucherLine.findMany({
    where: { cooperativeId, voucher: { year, source: SOURCES.closing, status: { not: "VOID" } } },
    select: { accountId: true, debitFen: true, creditFen: true },
  });
  if (lines.length === 0) return new Map();
  const accounts = await prisma.ledgerAccount.findMany({ where: { id: { in: [...new Set(lines.map((l) => l.accountId))] } }, select: { id: true, code: true } });
  const codeOf = new Map(accounts.map((a) => [a.id, a.code]));
  const out = new Map<string, { debitFen: bigint; creditFen: bigint }>();
  for (const l of lines) {
    const code = codeOf.get(l.accountId)!;
    const t = out.get(code) ?? { debitFen: 0n, creditFen: 0n };
    t.debitFen += l.debitFen;
    t.creditFen += l.creditFen;
    out.set(code, t);
  }
  return out;
}

export interface Statements {
  system: AccountingSystem;
  year: number;
  toMonth: number;
  kinds: ("balance" | "income" | "equity")[];
  balance: BalanceSheet;
  income: IncomeStatement;
  /** last year's amounts of the income statement, by line key */
  incomeLastYear: Record<string, string>;
  equity: EquityStatement | null;
  unchecked: number;
  yearClosed: boolean;
}

/** The statements of a year through `toMonth` (12 for the year), from the trial balance. */
export async function statementsFor(coop: BooksCooperative, year: number, toMonth = 12): Promise<Statements> {
  const [rows, lastRows, closing, lastClosing, unchecked, yearClosed] = await Promise.all([
    trialBalance(coop.id, year, 1, toMonth),
    trialBalance(coop.id, year - 1, 1, 12),
    closingFlows(coop.id, year),
    closingFlows(coop.id, year - 1),
    prisma.voucher.count({ where: { cooperativeId: coop.id, year, status: "UNCHECKED" } }),
    prisma.accountingPeriod.count({ where: { cooperativeId: coop.id, year, month: 0, reopenedAt: null } }),
  ]);
  const chartCodes = CHARTS[coop.system].map((a) => a.code);
  const kinds = statementsOf(coop.system);
  return {
    system: coop.system,
    year,
    toMonth,
    kinds,
    balance: balanceSheet(coop.system, rows, { chartCodes }),
    income: incomeStatement(coop.system, rows, { closing, chartCodes }),
    incomeLastYear: incomeStatement(coop.system, lastRows, { closing: lastClosing, chartCodes }).amounts,
    equity: kinds.includes("equity") ? equityStatement(rows, { closing, chartCodes }) : null,
    unchecked,
    yearClosed: yearClosed > 0,
  };
}

export type { TrialBalanceRow };
