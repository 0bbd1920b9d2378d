/**
 * A deduction (扣除) on one line of a draft run, pure.
 *
 * RULE. While a run is a draft the accountant may withhold part of a
 * household's gross with a reason (e.g. 代扣代缴医保): 0 ≤ deduction ≤ gross,
 * net = gross − deduction, so the run's Σ net + Σ deductions = Σ gross to the
 * fen and no net is negative; the pools (Σ gross = distributed) do not move.
 * An empty amount or 0 clears the deduction; any other amount needs a reason.
 */
import { formatYuan, parseYuan, toFen } from "~/lib/money";
import type { FieldErrors } from "~/lib/forms";

/** Longest reason kept (it is printed on the statement and the roster). */
export const DEDUCTION_NOTE_MAX = 40;

export type DeductionInput = { ok: true; fen: bigint; note: string } | { ok: false; errors: FieldErrors };

export function parseDeduction(raw: { amount: string; note: string }, grossFen: bigint): DeductionInput {
  const errors: FieldErrors = {};
  const note = raw.note.trim();
  let fen = 0n;
  if (raw.amount.trim() !== "") {
    // parseYuan bounds the amount (10亿元, money.tooLarge) and refuses a sign or a third decimal.
    const amount = parseYuan(raw.amount);
    if (!amount.ok) errors.deduction = { key: amount.error };
    else fen = toFen(amount.value);
  }
  if (!errors.deduction && fen > grossFen) errors.deduction = { key: "dividend.deductionTooLarge", params: { gross: formatYuan(grossFen) } };
  if (fen > 0n && note === "") errors.deductionNote = { key: "dividend.deductionNoteRequired" };
  else if (Array.from(note).length > DEDUCTION_NOTE_MAX) errors.deductionNote = { key: "dividend.deductionNoteTooLong", params: { max: DEDUCTION_NOTE_MAX } };
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, fen, note: fen === 0n ? "" : note };
}

/** A line's amounts after a deduction: the gross stays, the net is what is left. */
export function withDeduction(grossFen: bigint, deductionFen: bigint): { deductionFen: bigint; netFen: bigint } {
  if (deductionFen < 0n || deductionFen > grossFen) throw new RangeError("dividend.deductionTooLarge");
  return { deductionFen, netFen: grossFen - deductionFen };
}
