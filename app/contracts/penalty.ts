/**
 * Late-payment penalty (逾期违约金) of one rent installment, accrued day by day.
 *
 * The model contract (GF-2021-2606) reads 每逾期一日按年租金的万分之 N 支付违约金.
 * ADR 008 takes its base as the outstanding amount of each overdue
 * installment (for yearly rent that is the year's rent), so:
 *
 *   accrued = round_half_up( Σ over each overdue day d of unpaid(d) × N / 10,000 )
 *
 * - Day d is overdue when dueDate < d ≤ asOf. Paying on the due date is on
 *   time; paying the next day is one day late.
 * - unpaid(d) = amount − (payments dated before d), kept within [0, amount]
 *   (an overpayment never earns a credit, a negative row never owes more
 *   than the installment). A payment dated P therefore still counts P itself
 *   as a late day and stops accrual on what it pays from the next day: a
 *   payment recorded today leaves today's accrued penalty as it was, and no
 *   payment ever removes a day that has already accrued.
 * - A reversal (a row with reversesId) takes its original out altogether:
 *   the accrual is what it would have been had the payment never been made.
 * - The sum is exact in fen-days (bigint) and rounded once, half up to the
 *   fen, per installment. Rounding once keeps every invariant below exact:
 *   paying later never lowers the penalty, paying earlier never raises it,
 *   it never falls as asOf advances, and the order of the rows is irrelevant.
 *
 * Pure: no framework imports.
 */
import { dayNumber } from "~/lib/dates";

export interface PenaltyPayment {
  id?: number;
  /** "YYYY-MM-DD" */
  paidOn: string;
  /** fen; a reversal is negative */
  amountFen: bigint;
  /** a reversal points at the payment it undoes */
  reversesId?: number | null;
}

export interface PenaltyInput {
  /** "YYYY-MM-DD" */
  dueDate: string;
  /** the installment's amount, fen */
  amountFen: bigint;
  /** N in 万分之 N per day, a decimal string ("5", "0.5") */
  perTenThousand: string;
  payments: readonly PenaltyPayment[];
  /** "YYYY-MM-DD": the last day counted */
  asOf: string;
}

const RATE = /^\d+(?:\.\d+)?$/;

/** N/10,000 as an exact fraction num/den. */
function rateFraction(perTenThousand: string): { num: bigint; den: bigint } {
  if (typeof perTenThousand !== "string" || !RATE.test(perTenThousand)) throw new RangeError("penalty.badRate");
  const [i, f = ""] = perTenThousand.split(".");
  return { num: BigInt(i! + f), den: 10000n * 10n ** BigInt(f.length) };
}

/** The payments that stand: reversals and what they reverse are both left out. */
export function standingPayments<P extends PenaltyPayment>(payments: readonly P[]): P[] {
  const reversed = new Set<number>();
  for (const p of payments) if (p.reversesId != null) reversed.add(p.reversesId);
  return payments.filter((p) => p.reversesId == null && !(p.id != null && reversed.has(p.id)));
}

/**
 * Σ unpaid fen × overdue days up to asOf (the exact base of the penalty,
 * before the rate). Exposed for tests and for summing without rounding.
 */
export function overdueFenDays(input: Omit<PenaltyInput, "perTenThousand">): bigint {
  const { amountFen } = input;
  if (typeof amountFen !== "bigint" || amountFen < 0n) throw new RangeError("penalty.badAmount");
  const due = dayNumber(input.dueDate);
  const asOf = dayNumber(input.asOf);
  if (asOf <= due || amountFen === 0n) return 0n;
  // Each payment takes effect at the end of its day, clamped to the overdue window.
  const events = standingPayments(input.payments)
    .map((p) => ({ at: Math.min(Math.max(dayNumber(p.paidOn), due), asOf), fen: p.amountFen }))
    .sort((a, b) => a.at - b.at);
  let paid = 0n;
  let prev = due;
  let fenDays = 0n;
  const unpaid = () => (paid <= 0n ? amountFen : paid >= amountFen ? 0n : amountFen - paid);
  for (const e of events) {
    if (e.at > prev) {
      fenDays += unpaid() * BigInt(e.at - prev);
      prev = e.at;
    }
    paid += e.fen;
  }
  fenDays += unpaid() * BigInt(asOf - prev);
  return fenDays;
}

/** The penalty accrued on one installment up to and including asOf, in fen. */
export function accruedPenaltyFen(input: PenaltyInput): bigint {
  const { num, den } = rateFraction(input.perTenThousand);
  if (num === 0n) return 0n;
  const fenDays = overdueFenDays(input);
  // half up: floor((2x + d) / 2d) for x ≥ 0
  return (2n * fenDays * num + den) / (2n * den);
}

/** Outstanding penalty of an account: accrued − paid − waived (negative when more was settled than has accrued since). */
export function outstandingPenaltyFen(accruedFen: bigint, paidFen: bigint, waivedFen: bigint): bigint {
  return accruedFen - paidFen - waivedFen;
}
