/**
 * The manual voucher form as posted: date, summary, attachments, and lines
 * `lines.N.account` (the account picked, "code name" as the list shows it),
 * `lines.N.summary`, `lines.N.debit`, `lines.N.credit` in yuan. Wholly empty
 * lines are the form's spare blanks and are dropped; amounts go through
 * parseYuan (so the 10亿元 bound holds). Pure: the core checks balance,
 * leaves and the period (./voucher.ts).
 */
import { isValidDate } from "~/lib/dates";
import type { FieldErrors, RawForm } from "~/lib/forms";
import { parseYuan, toFen } from "~/lib/money";

/** Blank lines the form shows without JavaScript (and at least, with it). */
export const BLANK_LINES = 6;
/** The most lines one voucher takes from the form. */
export const MAX_LINES = 60;

export interface FormLine {
  account: string;
  summary: string;
  debit: string;
  credit: string;
}

export interface VoucherFormValues {
  date: string;
  summary: string;
  attachments: string;
  lines: FormLine[];
}

export interface ParsedVoucher {
  date: string;
  summary: string;
  attachments: number;
  lines: { accountId: number; summary: string; debitFen: bigint; creditFen: bigint }[];
}

/** The form's values, as posted (every line index up to MAX_LINES). */
export function voucherFormValues(raw: RawForm): VoucherFormValues {
  const lines: FormLine[] = [];
  for (let i = 0; i < MAX_LINES; i++) {
    const line = { account: raw[`lines.${i}.account`] ?? "", summary: raw[`lines.${i}.summary`] ?? "", debit: raw[`lines.${i}.debit`] ?? "", credit: raw[`lines.${i}.credit`] ?? "" };
    if (raw[`lines.${i}.account`] === undefined && raw[`lines.${i}.debit`] === undefined && raw[`lines.${i}.credit`] === undefined) continue;
    lines.push(line);
  }
  return { date: (raw.date ?? "").trim(), summary: (raw.summary ?? "").trim(), attachments: (raw.attachments ?? "0").trim(), lines };
}

const isBlank = (l: FormLine) => !l.account.trim() && !l.summary.trim() && !l.debit.trim() && !l.credit.trim();

/** The account a picked text names: its code is the first word ("114-0001 张三"). */
export function accountCodeOf(text: string): string {
  return text.trim().split(/\s+/)[0] ?? "";
}

/**
 * Parses the form; field errors are keyed as the form names its fields, with
 * the line's index among the posted lines, so each sits next to its field.
 * `today` bounds the date (no vouchers dated after today).
 */
export function parseVoucherForm(
  values: VoucherFormValues,
  accountIdOf: (code: string) => number | undefined,
  today: string,
): { ok: true; voucher: ParsedVoucher; kept: number[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!isValidDate(values.date)) errors.date = { key: "booksVoucher.badDate" };
  else if (values.date > today) errors.date = { key: "booksVoucher.futureDate" };
  if (!values.summary) errors.summary = { key: "booksVoucher.summaryRequired" };
  const attachments = Number(values.attachments || "0");
  if (!/^\d{1,3}$/.test(values.attachments || "0") || !Number.isInteger(attachments)) errors.attachments = { key: "booksVoucher.badAttachments" };
  const lines: ParsedVoucher["lines"] = [];
  const kept: number[] = [];
  values.lines.forEach((l, i) => {
    if (isBlank(l)) return;
    const code = accountCodeOf(l.account);
    const accountId = code ? accountIdOf(code) : undefined;
    if (!code) errors[`lines.${i}.account`] = { key: "booksVoucher.chooseAccount" };
    else if (accountId === undefined) errors[`lines.${i}.account`] = { key: "books.line.unknownAccount" };
    let debitFen = 0n;
    let creditFen = 0n;
    for (const [side, text] of [["debit", l.debit], ["credit", l.credit]] as const) {
      if (!text.trim()) continue;
      const p = parseYuan(text);
      if (!p.ok) errors[`lines.${i}.${side}`] = { key: p.error };
      else if (side === "debit") debitFen = toFen(p.value);
      else creditFen = toFen(p.value);
    }
    if (!errors[`lines.${i}.debit`] && !errors[`lines.${i}.credit`]) {
      if (debitFen !== 0n && creditFen !== 0n) errors[`lines.${i}.credit`] = { key: "books.line.oneSide" };
      else if (debitFen === 0n && creditFen === 0n) errors[`lines.${i}.debit`] = { key: "books.line.zero" };
    }
    lines.push({ accountId: accountId ?? 0, summary: l.summary.trim().slice(0, 200), debitFen, creditFen });
    kept.push(i);
  });
  if (lines.length < 2 && !Object.keys(errors).some((k) => k.startsWith("lines."))) errors.lines = { key: "books.voucher.tooFewLines" };
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, voucher: { date: values.date, summary: values.summary.slice(0, 200), attachments, lines }, kept };
}

/** Running totals of what is typed (what parses; the rest counts as nothing), for the form's live line. */
export function formTotals(lines: readonly FormLine[]): { debitFen: bigint; creditFen: bigint } {
  let debitFen = 0n;
  let creditFen = 0n;
  for (const l of lines) {
    const d = l.debit.trim() ? parseYuan(l.debit) : null;
    const c = l.credit.trim() ? parseYuan(l.credit) : null;
    if (d?.ok) debitFen += toFen(d.value);
    if (c?.ok) creditFen += toFen(c.value);
  }
  return { debitFen, creditFen };
}

/**
 * Maps the core's errors (keyed by the index among the lines kept) back to
 * the form's line indexes.
 */
export function remapLineErrors(errors: FieldErrors, kept: readonly number[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^lines\.(\d+)\.(\w+)$/.exec(k);
    if (!m) {
      out[k] = v;
      continue;
    }
    const at = kept[Number(m[1])] ?? Number(m[1]);
    const field = m[2] === "accountId" ? "account" : m[2] === "amount" ? "debit" : m[2]!;
    out[`lines.${at}.${field}`] = v;
  }
  return out;
}
