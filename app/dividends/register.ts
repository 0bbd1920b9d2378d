/**
 * The share register's history and the member accounts (股权登记簿, 成员账户),
 * pure: no Prisma, Remix or Node imports.
 *
 * History of changes. Nothing of the register is typed: every change is read
 * from the equity contracts and their versions (ADR 008/009).
 * - A contract's holding starts on its start date ("start"), or, when it
 *   amends or renews an earlier contract, the change is named so ("amended",
 *   "renewed") on the new version's start date.
 * - It ends on its termination date when terminated early ("terminated"),
 *   else on its end date ("end") unless a renewal or an amendment takes over
 *   (status RENEWED or SUPERSEDED), which is told by that version's event.
 * - Drafts are not holdings and have no history. Events later than `upTo`
 *   are left out (a contract's end in 2039 is not yet a change).
 * Events are sorted by date, then household, then contract.
 *
 * Member accounts. Per household and year:
 * - capital: contributions dated in the year, and the balance at its end;
 * - quantified reserve (量化公积金): Σ providentShareFen of the household's lines
 *   in the year's issued runs (a correction's lines are differences, so they
 *   add); credited to the account, never paid in cash;
 * - dividends due: Σ netFen of the same lines; paid: Σ PAID payments of those
 *   lines (a FAILED transfer pays nothing);
 * - transactions: Σ transactions dated in the year.
 * INVARIANTS (register.test.ts): Σ over members of the reserve of a run = the
 * run's quantified provident fund (= its providentFen when members hold
 * weights), and Σ over members of paid = Σ of the PAID payments, to the fen.
 */
import { Decimal } from "~/lib/money";

export interface HistoryContract {
  id: number;
  householdId: number;
  label: string;
  status: string;
  startDate: string;
  endDate: string;
  terminatedOn: string | null;
  amendsId: number | null;
  renewsId: number | null;
  areaMu: string;
}

export type HistoryKind = "start" | "amended" | "renewed" | "terminated" | "end";

export interface HistoryEvent {
  date: string;
  householdId: number;
  contractId: number;
  label: string;
  kind: HistoryKind;
  areaMu: string;
}

export function registerHistory(contracts: readonly HistoryContract[], upTo: string): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (const c of contracts) {
    if (c.status === "DRAFT") continue;
    const base = { householdId: c.householdId, contractId: c.id, label: c.label, areaMu: c.areaMu };
    const startKind: HistoryKind = c.amendsId !== null ? "amended" : c.renewsId !== null ? "renewed" : "start";
    out.push({ ...base, date: c.startDate, kind: startKind });
    if (c.terminatedOn && c.terminatedOn < c.endDate) out.push({ ...base, date: c.terminatedOn, kind: "terminated" });
    else if (c.status !== "RENEWED" && c.status !== "SUPERSEDED") out.push({ ...base, date: c.endDate, kind: "end" });
  }
  return out
    .filter((e) => e.date <= upTo)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.householdId - b.householdId || a.contractId - b.contractId));
}

export interface AccountLine {
  runId: number;
  year: number;
  householdId: number;
  providentShareFen: bigint;
  netFen: bigint;
}

export interface AccountPayment {
  runId: number;
  householdId: number;
  status: string;
  amountFen: bigint;
}

export interface AccountEntry {
  householdId: number;
  date: string;
  amountFen: bigint;
}

export interface YearAccount {
  year: number;
  /** capital contributed in the year */
  capitalFen: bigint;
  /** capital at the end of the year */
  capitalBalanceFen: bigint;
  /** quantified reserve credited by the year's runs */
  reserveFen: bigint;
  /** quantified reserve credited up to the end of the year */
  reserveBalanceFen: bigint;
  dueFen: bigint;
  paidFen: bigint;
  transactionFen: bigint;
}

const zero = (year: number): YearAccount => ({ year, capitalFen: 0n, capitalBalanceFen: 0n, reserveFen: 0n, reserveBalanceFen: 0n, dueFen: 0n, paidFen: 0n, transactionFen: 0n });

const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * Each household's accounts by year (ascending), from the issued runs' lines,
 * their payments, and the capital and transaction records. Every year in
 * which anything happened appears, and balances carry through the years
 * between.
 */
export function memberAccounts(input: { lines: readonly AccountLine[]; payments: readonly AccountPayment[]; capital: readonly AccountEntry[]; transactions: readonly AccountEntry[] }): Map<number, YearAccount[]> {
  const byHousehold = new Map<number, Map<number, YearAccount>>();
  const at = (householdId: number, year: number) => {
    let years = byHousehold.get(householdId);
    if (!years) byHousehold.set(householdId, (years = new Map()));
    let a = years.get(year);
    if (!a) years.set(year, (a = zero(year)));
    return a;
  };
  const runYear = new Map<number, number>();
  for (const l of input.lines) {
    runYear.set(l.runId, l.year);
    const a = at(l.householdId, l.year);
    a.reserveFen += l.providentShareFen;
    a.dueFen += l.netFen;
  }
  for (const p of input.payments) {
    const year = runYear.get(p.runId);
    if (year === undefined || p.status !== "PAID") continue;
    at(p.householdId, year).paidFen += p.amountFen;
  }
  for (const c of input.capital) at(c.householdId, yearOf(c.date)).capitalFen += c.amountFen;
  for (const t of input.transactions) at(t.householdId, yearOf(t.date)).transactionFen += t.amountFen;

  const out = new Map<number, YearAccount[]>();
  for (const [householdId, years] of byHousehold) {
    const sorted = [...years.values()].sort((a, b) => a.year - b.year);
    const filled: YearAccount[] = [];
    let capital = 0n;
    let reserve = 0n;
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      capital += a.capitalFen;
      reserve += a.reserveFen;
      filled.push({ ...a, capitalBalanceFen: capital, reserveBalanceFen: reserve });
    }
    out.set(householdId, filled);
  }
  return out;
}

/** The account of one year, or the balances carried into it when nothing happened that year. */
export function accountForYear(years: readonly YearAccount[] | undefined, year: number): YearAccount {
  const before = (years ?? []).filter((a) => a.year <= year);
  const hit = before.find((a) => a.year === year);
  if (hit) return hit;
  const last = before[before.length - 1];
  return { ...zero(year), capitalBalanceFen: last?.capitalBalanceFen ?? 0n, reserveBalanceFen: last?.reserveBalanceFen ?? 0n };
}

/** Σ area, shares and day-weighted shares of the register's rows, exact (plain decimal strings). */
export function registerTotals(rows: readonly { areaMu: string; shares: string; weight: string }[]): { areaMu: string; shares: string; weight: string } {
  const sum = (k: "areaMu" | "shares" | "weight") => rows.reduce((s, r) => s.plus(r[k]), new Decimal(0));
  return { areaMu: sum("areaMu").toFixed(2), shares: sum("shares").toFixed(), weight: sum("weight").toFixed() };
}

/** A weight for the screen and the paper: 4 decimals (the file keeps all 12). */
export function weightShown(weight: string): string {
  return new Decimal(weight).toFixed(4);
}
