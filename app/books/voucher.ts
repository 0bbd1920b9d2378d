/**
 * The rules of a voucher (记账凭证), pure: balanced to the fen, at least two
 * lines, each line on one side only and not zero, leaf accounts only, an open
 * period. Red ink (红字) is a negative amount on the line's usual side, so a
 * reversal has the same sides as what it reverses (docs/decisions/021-the-books.md).
 */
import type { FieldErrors } from "~/lib/forms";
import { formatYuan, MAX_AMOUNT_YUAN } from "~/lib/money";

/** The bound of parseYuan (10亿元), for amounts that do not come through it. */
export const MAX_VOUCHER_FEN = BigInt(MAX_AMOUNT_YUAN) * 100n;

export interface VoucherLineInput {
  accountId: number;
  summary: string;
  debitFen: bigint;
  creditFen: bigint;
}

export interface AccountInfo {
  id: number;
  code: string;
  name: string;
  isLeaf: boolean;
  cooperativeId?: number;
}

export interface PeriodInfo {
  year: number;
  month: number;
  closed: boolean;
}

export function checkVoucherLines(
  lines: readonly VoucherLineInput[],
  accountsById: ReadonlyMap<number, AccountInfo>,
  period: PeriodInfo,
  cooperativeId?: number,
): { ok: true } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (period.closed) errors.date = { key: "books.voucher.periodClosed", params: { year: period.year, month: period.month } };
  if (lines.length < 2) errors.lines = { key: "books.voucher.tooFewLines" };
  let debit = 0n;
  let credit = 0n;
  lines.forEach((l, i) => {
    const account = accountsById.get(l.accountId);
    if (!account || (cooperativeId !== undefined && account.cooperativeId !== undefined && account.cooperativeId !== cooperativeId)) {
      errors[`lines.${i}.accountId`] = { key: "books.line.unknownAccount" };
    } else if (!account.isLeaf) {
      errors[`lines.${i}.accountId`] = { key: "books.line.notLeaf", params: { code: account.code, name: account.name } };
    }
    if (l.debitFen !== 0n && l.creditFen !== 0n) errors[`lines.${i}.amount`] = { key: "books.line.oneSide" };
    else if (l.debitFen === 0n && l.creditFen === 0n) errors[`lines.${i}.amount`] = { key: "books.line.zero" };
    else if (abs(l.debitFen) > MAX_VOUCHER_FEN || abs(l.creditFen) > MAX_VOUCHER_FEN) errors[`lines.${i}.amount`] = { key: "money.tooLarge" };
    debit += l.debitFen;
    credit += l.creditFen;
  });
  if (lines.length >= 2 && debit !== credit) errors.lines = { key: "books.voucher.unbalanced", params: { debit: fenText(debit), credit: fenText(credit) } };
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true };
}

export function voucherTotals(lines: readonly { debitFen: bigint; creditFen: bigint }[]): { debitFen: bigint; creditFen: bigint } {
  let debitFen = 0n;
  let creditFen = 0n;
  for (const l of lines) {
    debitFen += l.debitFen;
    creditFen += l.creditFen;
  }
  return { debitFen, creditFen };
}

/** A voucher is red ink when every amount on it is negative (a reversal). */
export function isRedInk(lines: readonly { debitFen: bigint; creditFen: bigint }[]): boolean {
  return lines.length > 0 && lines.every((l) => l.debitFen + l.creditFen < 0n);
}

/** The lines of a red-ink reversal: the same accounts and sides, every amount negated. */
export function reversalLines<T extends { debitFen: bigint; creditFen: bigint }>(lines: readonly T[]): T[] {
  return lines.map((l) => ({ ...l, debitFen: -l.debitFen, creditFen: -l.creditFen }));
}

/** Year and month of a "YYYY-MM-DD" date. */
export function periodOf(date: string): { year: number; month: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

/**
 * Where a voucher dated `date` books: its own month when open, else the first
 * open month after it (dated the first day of that month). `isClosed(year,
 * month)` answers for months 1–12 (a closed year closes all its months).
 */
export function bookingPeriod(date: string, isClosed: (year: number, month: number) => boolean): { year: number; month: number; date: string; moved: boolean } {
  let { year, month } = periodOf(date);
  let moved = false;
  // bounded: a closed period is at most every month up to the last closed year
  for (let i = 0; i < 12 * 200 && isClosed(year, month); i++) {
    moved = true;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return { year, month, date: moved ? `${year}-${String(month).padStart(2, "0")}-01` : date, moved };
}

/** Whether numbers 1..n are each used exactly once. */
export function numberingHasNoGaps(numbers: readonly number[]): boolean {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted.every((n, i) => n === i + 1);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function fenText(fen: bigint): string {
  return formatYuan(fen);
}
