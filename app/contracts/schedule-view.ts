import { Decimal } from "~/lib/money";
import { parseRateNote } from "./schedule";

/**
 * The rent schedule as people read it: one table of years × households with
 * totals per household, per year and overall, in fen; and each installment's
 * actual rate per mu after its step-ups (1102.50, not "1000.00 +5%×2").
 * Cancelled installments count nowhere. Pure.
 */
export interface ViewInstallment {
  householdId: number;
  dueDate: string;
  /** null: an in-kind price not yet recorded */
  amountFen: bigint | null;
  cancelled: boolean;
}

export interface ScheduleTotals {
  households: number[];
  years: number[];
  /** `${year}:${householdId}` → fen */
  cell: Map<string, bigint>;
  byHousehold: Map<number, bigint>;
  byYear: Map<number, bigint>;
  grandFen: bigint;
  /** some amount is not known yet (in-kind price missing): the totals are of the known ones */
  incomplete: boolean;
}

/** The year an installment belongs to: the year its rent falls due. */
export const yearOf = (i: { dueDate: string }) => Number(i.dueDate.slice(0, 4));

export function scheduleTotals(installments: readonly ViewInstallment[], householdOrder: readonly number[] = []): ScheduleTotals {
  const live = installments.filter((i) => !i.cancelled);
  const households = [...new Set([...householdOrder.filter((h) => live.some((i) => i.householdId === h)), ...live.map((i) => i.householdId)])];
  const years = [...new Set(live.map(yearOf))].sort((a, b) => a - b);
  const cell = new Map<string, bigint>();
  const byHousehold = new Map<number, bigint>();
  const byYear = new Map<number, bigint>();
  let grandFen = 0n;
  let incomplete = false;
  for (const i of live) {
    if (i.amountFen === null) {
      incomplete = true;
      continue;
    }
    const y = yearOf(i);
    cell.set(`${y}:${i.householdId}`, (cell.get(`${y}:${i.householdId}`) ?? 0n) + i.amountFen);
    byHousehold.set(i.householdId, (byHousehold.get(i.householdId) ?? 0n) + i.amountFen);
    byYear.set(y, (byYear.get(y) ?? 0n) + i.amountFen);
    grandFen += i.amountFen;
  }
  return { households, years, cell, byHousehold, byYear, grandFen, incomplete };
}

/** The yearly rate per mu an installment was computed at, after step-ups, rounded to the fen as the schedule does; null when unknown. */
export function actualRatePerMu(note: string): Decimal | null {
  const r = parseRateNote(note.split("; ")[0] ?? "");
  if (!r) return null;
  const base = r.kind === "CASH" ? new Decimal(r.baseYuanPerMu) : r.price ? new Decimal(r.jinPerMu).times(r.price) : null;
  if (!base) return null;
  const factor = r.steps && r.stepPercent ? new Decimal(r.stepPercent).dividedBy(100).plus(1).pow(r.steps) : new Decimal(1);
  return base.times(factor).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** "第 N 期" of an installment within its household's year (1-based, by due date). */
export function seqInYear(installments: readonly (ViewInstallment & { id: number })[], id: number): { year: number; n: number } | null {
  const me = installments.find((i) => i.id === id);
  if (!me) return null;
  const y = yearOf(me);
  const same = installments.filter((i) => !i.cancelled && i.householdId === me.householdId && yearOf(i) === y).sort((a, b) => (a.dueDate === b.dueDate ? a.id - b.id : a.dueDate < b.dueDate ? -1 : 1));
  return { year: y, n: same.findIndex((i) => i.id === id) + 1 };
}
